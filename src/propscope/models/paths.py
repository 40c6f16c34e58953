"""Which model directory a run uses: the shipped models' names, ``$PROPSCOPE_MODEL`` and
``$PROPSCOPE_MULTILINGUAL_MODEL`` (``~`` expanded), else the shipped model.

Torch-free, so that what only reads a model's ``propscope.json`` (``batch`` deciding what
to analyse again) chooses the path by the same rule as the engine without importing torch
(seconds). `propscope.models.tagger` re-exports these names."""

from __future__ import annotations

import os
from pathlib import Path

SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "model"
# The multilingual span tagger (e5-small fine-tuned on six languages): French, German,
# Italian, Polish, Russian. English keeps the fine-tuned MiniLM tagger (faster, as good).
SHIPPED_MULTILINGUAL_MODEL = SHIPPED_MODEL / "multilingual"

# Names of the shipped models, for --model and $PROPSCOPE_MODEL: "multilingual" analyses
# English with e5 too (about half the speed; more findings, see the README).
SHIPPED_MODELS = {"english": SHIPPED_MODEL, "multilingual": SHIPPED_MULTILINGUAL_MODEL}

# The environment variables that name a model directory in place of the shipped one.
MODEL_VARIABLE = "PROPSCOPE_MODEL"
MULTILINGUAL_VARIABLE = "PROPSCOPE_MULTILINGUAL_MODEL"


def model_path(path: str | Path | None = None) -> Path:
    """An explicit path, else ``$PROPSCOPE_MODEL`` (``~`` expanded), else the model shipped
    in the package.

    A shipped model's name (``SHIPPED_MODELS``) stands for its directory unless a path of
    that name exists."""
    chosen = path if path is not None else _from_environment(MODEL_VARIABLE)
    if not chosen:
        return SHIPPED_MODEL
    if str(chosen) in SHIPPED_MODELS and not Path(chosen).exists():
        return SHIPPED_MODELS[str(chosen)]
    return Path(chosen)


def _from_environment(variable: str) -> str | None:
    """A model path from the environment, ``~`` expanded as a shell would (the database
    path in ``$PROPSCOPE_DB_URL`` is too); None when unset or empty."""
    value = os.environ.get(variable)
    return os.path.expanduser(value) if value else None
