"""Do findings depend on the CPU? The CLI's JSON under this CPU's own kernels and under
emulated older instruction sets, compared article by article; prints a table.

    python bench/cpu_consistency.py [--english 60] [--per-language 12] [--isa avx2 --isa default]
                                    [--baseline-src /tmp/old/src]

An AMD EPYC without AVX-512 runs torch's AVX2 kernels and MKL's AVX2 code path. On an
AVX-512 machine the same paths are forced with ``ATEN_CPU_CAPABILITY`` (torch's own kernels:
softmax, GELU, layer norm), ``MKL_ENABLE_INSTRUCTIONS`` (the matrix products) and
``ONEDNN_MAX_CPU_ISA``; ``default`` goes down to SSE4 (several times slower). Each setting is
one ``propscope analyze ... --format json`` process over the same articles: the bundled
example, the first PTC articles and the first SemEval-2023 articles of the five other
languages. A finding differs when its start, end or technique does; paragraph technique
sets, genre labels and frame labels are compared as sets; probabilities (4 decimals in the
JSON) are reported as the largest absolute difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.corpora import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "amnesty-pro-armenian-official.txt"
# Environment settings that make this machine take an older CPU's code paths.
ISAS: dict[str, dict[str, str]] = {
    "native": {},
    "avx2": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        # numpy's own SIMD loops (exp, log, ...) and OpenBLAS (numpy's and scipy's matrix
        # products: genre, frames, paragraph and span-words models)
        "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
        "OPENBLAS_CORETYPE": "Haswell",
    },
    "default": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
        "OPENBLAS_CORETYPE": "Nehalem",
    },
}
FOLDERS = {"fr": "fr", "de": "ge", "it": "it", "pl": "po", "ru": "ru"}


def articles(data: Path, english: int, per_language: int) -> list[Path]:
    paths = [EXAMPLE]
    paths += sorted((data / "ptc_semeval2020_task11" / "train-articles").glob("*.txt"))[:english]
    for folder in FOLDERS.values():
        found = data / "semeval2023_task3" / folder / "train-articles-subtask-3"
        paths += sorted(found.glob("*.txt"))[:per_language]
    return paths


def analyse(paths: list[Path], isa: str, out: Path, source: Path | None = None) -> list[dict]:
    """One CLI run with the instruction-set settings of ``isa`` (and the propscope package
    of the ``src`` folder ``source``, e.g. another commit's worktree); its JSON."""
    env = {**os.environ, **ISAS[isa]}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    subprocess.run(
        [sys.executable, "-m", "propscope", "analyze", *map(str, paths)]
        + ["--format", "json", "--output", str(out)],
        env=env,
        check=True,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _floats(a, b, worst: list[float]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() & b.keys():
            _floats(a[key], b[key], worst)
    elif isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b, strict=False):
            _floats(x, y, worst)
    elif isinstance(a, float) and isinstance(b, float):
        worst[0] = max(worst[0], abs(a - b))


def compare(base: list[dict], other: list[dict]) -> dict[str, float]:
    """Counts of what differs between two runs over the same articles."""
    counts = {"findings": 0, "differ": 0, "paragraph sets differ": 0}
    counts |= {"genres differ": 0, "frame sets differ": 0}
    worst = [0.0]
    for a, b in zip(base, other, strict=True):

        def keys(x: dict) -> set[tuple]:
            return {(s["start"], s["end"], s["technique"]) for s in x["spans"]}

        counts["findings"] += len(a["spans"])
        counts["differ"] += len(keys(a) ^ keys(b))
        counts["paragraph sets differ"] += sum(
            set(p["techniques"]) != set(q["techniques"])
            for p, q in zip(a["paragraphs"], b["paragraphs"], strict=True)
        )
        counts["genres differ"] += (a["genre"] or {}).get("label") != (b["genre"] or {}).get(
            "label"
        )
        counts["frame sets differ"] += set((a["frames"] or {}).get("labels", [])) != set(
            (b["frames"] or {}).get("labels", [])
        )
        for part in ("spans", "paragraphs", "genre", "frames"):
            _floats(a[part], b[part], worst)
    counts["max |Δp|"] = worst[0]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--english", type=int, default=60, help="PTC articles")
    parser.add_argument("--per-language", type=int, default=12, help="articles of fr/de/it/pl/ru")
    parser.add_argument("--isa", action="append", choices=[k for k in ISAS if k != "native"])
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="also compare with the propscope of this src folder (another commit's worktree: "
        "git worktree add /tmp/old REV, then --baseline-src /tmp/old/src), native kernels",
    )
    args = parser.parse_args()
    paths = articles(default_data_dir(), args.english, args.per_language)
    with tempfile.TemporaryDirectory() as tmp:
        base = analyse(paths, "native", Path(tmp) / "native.json")
        rows = [("native", compare(base, base))]
        for isa in args.isa or ([] if args.baseline_src else ["avx2"]):
            rows.append((isa, compare(base, analyse(paths, isa, Path(tmp) / f"{isa}.json"))))
        if args.baseline_src:
            other = analyse(paths, "native", Path(tmp) / "baseline.json", args.baseline_src)
            rows.append((f"native, {args.baseline_src}", compare(base, other)))
    table = Table(title=f"Same findings on every CPU? {len(paths)} articles, against native")
    table.add_column("kernels")
    for name in rows[0][1]:
        table.add_column(name, justify="right")
    for isa, counts in rows:
        cells = [f"{v:.4f}" if isinstance(v, float) else str(v) for v in counts.values()]
        table.add_row(isa, *cells)
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
