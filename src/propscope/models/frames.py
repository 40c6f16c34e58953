"""Frames (SemEval-2023 subtask 2) from the pooled multilingual encoder states and style.

The genre pass already pools the frozen e5 encoder's layer 6 over an article's first two
windows (``genre.pooled_features``); the frame model reads the same row, so frames cost no
encoder time of their own. One multi-label model for the six languages: per frame, a
class-balanced logistic regression over the standardised row with Platt scaling, and one
probability cut-off for all frames, chosen on out-of-fold probabilities. Cross-validated by
article it beat the per-language character n-gram frame model in every language (the
README's "Frames" table; ``bench/frames.py`` compares both on the same folds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propscope.models.array_files import load_arrays, save_arrays
from propscope.models.forks import fork_safe_lock
from propscope.models.linear_text import LinearHeads, best_global_threshold, fit_heads

FRAMES_FILE = "frames.npz"


@dataclass
class PooledFrameModel:
    """Per-frame calibrated linear heads over a standardised [pooled states, style] row."""

    heads: LinearHeads
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    meta: dict

    @property
    def layers(self) -> tuple[int, ...]:
        """The frozen encoder layers whose pooled states this model reads."""
        return tuple(self.meta["feature_layers"])

    def probabilities(self, row: np.ndarray) -> dict[str, float]:
        """Each frame's probability (independent: multi-label, no sum to 1)."""
        p = self.heads.probabilities(((row - self.mean) / self.scale)[None, :].astype(np.float32))
        return {label: float(v) for label, v in zip(self.heads.labels, p[0], strict=True)}

    def labels(self, probabilities: dict[str, float]) -> tuple[str, ...]:
        """Frames at or above the cut-off, most probable first; the most probable one alone
        if none reaches it (nearly every training article has a frame)."""
        ranked = sorted(probabilities, key=lambda name: -probabilities[name])
        chosen = tuple(name for name in ranked if probabilities[name] >= self.threshold)
        return chosen or tuple(ranked[:1])

    def save(self, folder: Path) -> Path:
        """Write the model into ``folder`` (whole or not at all)."""
        arrays = self.heads.arrays("") | {"mean": self.mean, "scale": self.scale}
        meta = {**self.meta, "labels": list(self.heads.labels), "threshold": self.threshold}
        path = save_arrays(Path(folder) / FRAMES_FILE, arrays, meta)
        _LOADED.pop(Path(folder).resolve(), None)
        return path

    @classmethod
    def load(cls, folder: Path) -> PooledFrameModel | None:
        stored = load_arrays(Path(folder) / FRAMES_FILE)
        if stored is None:
            return None
        arrays, meta = stored
        heads = LinearHeads.from_arrays(arrays, "", meta["labels"])
        return cls(heads, arrays["mean"], arrays["scale"], float(meta["threshold"]), meta)


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and standard deviations (1 where a column is constant)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def fit_frame_model(
    x: np.ndarray, y: np.ndarray, groups: Sequence[str], labels: Sequence[str], c: float
) -> PooledFrameModel:
    """Heads on all rows of ``x``; the cut-off maximises micro-F1 of their inner out-of-fold
    probabilities (3 folds by article)."""
    mean, scale = standardise(x)
    heads, oof = fit_heads((x - mean) / scale, y, groups, labels, c=c, kind="logreg")
    threshold = best_global_threshold(oof, y)
    return PooledFrameModel(heads, mean, scale, threshold, {"C": c})


_LOADED: dict[Path, PooledFrameModel | None] = {}
_LOCK = fork_safe_lock()


def load_frame_model(folder: Path) -> PooledFrameModel | None:
    """The frame model stored beside a multilingual tagger (None if it has none); cached."""
    folder = Path(folder).resolve()
    with _LOCK:  # threads analysing at once read the file once
        if folder not in _LOADED:
            _LOADED[folder] = PooledFrameModel.load(folder)
    return _LOADED[folder]
