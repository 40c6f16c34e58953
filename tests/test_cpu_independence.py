"""Findings must not depend on the CPU (issue 8, item 8).

A fresh clone once failed on an AMD EPYC (AVX2) because the int8 encoder rounded differently
there. Four articles are analysed here, then again by the CLI with another CPU's code paths
forced (AVX2 kernels on an AVX-512 machine, else the SSE4 ones): findings, paragraph
techniques, genre and frames must be the same. ``bench/cpu_consistency.py`` does this over
121 articles.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

AVX2 = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    # numpy's own SIMD loops (exp, log, ...) and OpenBLAS (numpy's and scipy's matrix products:
    # genre, frames, paragraph and span-words models)
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Haswell",
}
SSE4 = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
    "ONEDNN_MAX_CPU_ISA": "SSE41",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Nehalem",
}


def _run(paths, out, env) -> list[dict]:
    subprocess.run(
        [sys.executable, "-m", "propscope", "analyze", *map(str, paths)]
        + ["--format", "json", "--output", str(out)],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _capability(env) -> str:
    code = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    return done.stdout.strip()


def _same(a, b, path: str = "") -> list[str]:
    """Where two JSON documents differ, probabilities allowed 0.001 apart."""
    if isinstance(a, float) or isinstance(b, float):
        return [] if abs(a - b) <= 1e-3 else [f"{path}: {a} != {b}"]
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return [d for k in a for d in _same(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _same(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def test_findings_are_the_same_with_another_cpus_kernels(data_dir, example_path, model, tmp_path):
    native = _capability({})
    other = AVX2 if native.startswith("AVX512") else SSE4
    if _capability(other) == native:
        pytest.skip(f"this CPU ({native}) has no other code path to compare with")
    paths = [
        example_path,
        data_dir / "ptc_semeval2020_task11" / "train-articles" / "article111111111.txt",
        data_dir / "semeval2023_task3" / "fr" / "train-articles-subtask-3" / "article23102.txt",
        data_dir / "semeval2023_task3" / "ru" / "train-articles-subtask-3" / "article24104.txt",
    ]
    from propscope.analysis import analyze
    from propscope.io.readers import read_article_file

    base = [analyze(read_article_file(p), model).model_dump(mode="json") for p in paths]
    forced = _run(paths, tmp_path / "other.json", other)
    assert sum(len(a["spans"]) for a in base) >= 10  # something to compare
    for a, b in zip(base, forced, strict=True):
        parts = ("spans", "paragraphs", "genre", "frames", "summary")
        differences = [d for part in parts for d in _same(a[part], b[part], part)]
        assert not differences, (a["article"]["id"], differences[:5])


# Two paragraphs with one technique of each of six categories, in opposite orders: the six
# categories tie, and their order is the first paragraph's (720 orders a set could give).
_SUMMARY_OF_TIES = """
import json
from propscope.analysis import _summary
from propscope.article import Article
from propscope.schema import ParagraphResult
article = Article.from_text("One.\\n\\nTwo.", id="t")
six = ("Doubt", "Loaded_Language", "Flag_Waving", "Causal_Oversimplification",
       "Whataboutism", "Slogans")
pairs = [six, six[::-1]]
paragraphs = tuple(
    ParagraphResult(index=i, start=0, end=4, is_title=False, is_debris=False, techniques=pair)
    for i, pair in enumerate(pairs, 1)
)
print(json.dumps(_summary(article, (), paragraphs).paragraphs_by_category))
"""


def test_the_summary_is_the_same_whatever_the_string_hashing():
    """Tied category counts were ordered by a set's iteration, which changes with each
    process's string hashing: one input gave different JSON bytes from run to run."""
    outputs = set()
    for seed in range(3):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        result = subprocess.run(
            [sys.executable, "-c", _SUMMARY_OF_TIES], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1, outputs
