"""Small models stored as one ``.npz``: named arrays plus a JSON ``meta`` string.

The paragraph probes and the pooled genre model are a few arrays each (coefficients,
intercepts, standardisation). They are written whole or not at all, so a crash or a full
disk during a refit never leaves a model directory with a truncated file.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from propscope.errors import ModelError

# What to do about a damaged file of the span tagger's directory (shipped or trained).
REINSTALL_OR_RETRAIN = (
    "reinstall propscope, re-run 'propscope train' for a model you trained, "
    "or point --model at a complete model directory"
)


def damaged_file(
    path: Path, exc: BaseException | str, remedy: str = REINSTALL_OR_RETRAIN
) -> ModelError:
    """The one-line error for a model file that is missing or cannot be read as propscope
    wrote it (``exc`` says why; multi-line library messages are folded into one line)."""
    path = Path(path)
    if not path.exists():
        return ModelError(f"the model file '{path}' is missing; {remedy}")
    detail = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    detail = detail or type(exc).__name__
    if len(detail) > 200:
        detail = detail[:199] + "…"
    return ModelError(
        f"the model file '{path}' is damaged or not one propscope wrote ({detail}); {remedy}"
    )


def save_arrays(path: Path, arrays: dict[str, np.ndarray], meta: dict) -> Path:
    """Write ``arrays`` (floating ones as float32) and ``meta`` to ``path`` atomically."""
    path = Path(path)
    partial = path.with_name(".partial-" + path.name)
    stored = {
        name: values.astype(np.float32) if np.issubdtype(values.dtype, np.floating) else values
        for name, values in arrays.items()
    }
    try:
        with partial.open("wb") as handle:  # a file object: np.savez adds no suffix to it
            np.savez(handle, **stored, meta=np.array(json.dumps(meta)))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def load_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict] | None:
    """(arrays, floating ones as float64; meta) of a file ``save_arrays`` wrote, or None."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            arrays = {
                name: data[name].astype(np.float64)
                if np.issubdtype(data[name].dtype, np.floating)
                else data[name]
                for name in data.files
                if name != "meta"
            }
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        remedy = (
            "reinstall propscope, or refit that part of the model "
            "(see the README's Training section)"
        )
        raise damaged_file(path, exc, remedy) from exc
    return arrays, meta
