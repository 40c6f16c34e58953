"""Confidence users can trust: isotonic calibration of span scores and its measurement.

A span's raw score (detection x technique probability) ranks findings well but is not a
probability of being right. Isotonic regression, fitted on held-out articles, maps it to the
observed share of spans that are correct (they overlap a gold span of the same technique).
The fitted map is stored as breakpoints in ``propscope.json`` and applied with ``np.interp``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    """A monotone map from raw score to calibrated probability (piecewise linear)."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, score: float) -> float:
        return float(np.interp(score, self.x, self.y))

    def to_dict(self) -> dict:
        return {"x": list(self.x), "y": list(self.y)}

    @classmethod
    def from_dict(cls, data: dict | None) -> Calibration | None:
        return cls(tuple(data["x"]), tuple(data["y"])) if data else None


def fit_calibration(scores: Sequence[float], correct: Sequence[bool]) -> Calibration:
    """Isotonic regression of correctness on score, kept as at most ~50 breakpoints."""
    from sklearn.isotonic import IsotonicRegression

    x = np.asarray(scores, dtype=float)
    y = np.asarray(correct, dtype=float)
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
    grid = np.unique(np.concatenate([[0.0, 1.0], np.quantile(x, np.linspace(0, 1, 49))]))
    # A step fitted on a few hundred spans says 0% below the lowest correct span; a finding
    # shown to the user is never certainly wrong (or right), so the ends are bounded.
    values = np.clip(np.maximum.accumulate(iso.predict(grid)), 0.01, 0.99)
    return Calibration(tuple(np.round(grid, 5)), tuple(np.round(values, 5)))


def fit_platt(scores: Sequence[float], correct: Sequence[bool]) -> Calibration:
    """Platt scaling (a logistic curve on the logit of the score), sampled as breakpoints:
    two parameters, so it is steadier than isotonic regression on a few hundred spans."""
    from sklearn.linear_model import LogisticRegression

    x = np.clip(np.asarray(scores, dtype=float), 1e-4, 1 - 1e-4)
    logits = np.log(x / (1 - x)).reshape(-1, 1)
    model = LogisticRegression(C=1e4).fit(logits, np.asarray(correct, dtype=int))
    grid = np.linspace(0.0, 1.0, 51)
    g = np.clip(grid, 1e-4, 1 - 1e-4)
    values = model.predict_proba(np.log(g / (1 - g)).reshape(-1, 1))[:, 1]
    return Calibration(tuple(np.round(grid, 5)), tuple(np.round(values, 5)))


IDENTITY = Calibration((0.0, 1.0), (0.0, 1.0))


def choose_calibration(
    scores: Sequence[float], correct: Sequence[bool], folds: int = 5, seed: int = 0
) -> tuple[str, Calibration, dict[str, float]]:
    """Pick none / Platt / isotonic by cross-validated ECE on held-out spans, then refit
    the winner on all of them. A calibration that does not help out of fold is not used."""
    x = np.asarray(scores, dtype=float)
    y = np.asarray(correct, dtype=bool)
    if len(x) < 10 * folds or y.all() or not y.any():  # too little to calibrate honestly
        return "none", IDENTITY, {"none": round(reliability(x, y)[0], 4)}
    order = np.random.default_rng(seed).permutation(len(x))
    parts = np.array_split(order, folds)
    fitters = {"platt": fit_platt, "isotonic": fit_calibration}
    predicted = {"none": x.copy(), **{name: np.zeros_like(x) for name in fitters}}
    for k, held in enumerate(parts):
        rest = np.concatenate([p for j, p in enumerate(parts) if j != k])
        for name, fit in fitters.items():
            curve = fit(x[rest], y[rest])
            predicted[name][held] = [curve(v) for v in x[held]]
    ece = {name: round(reliability(p, y)[0], 4) for name, p in predicted.items()}
    best = min(ece, key=ece.get)
    curve = IDENTITY if best == "none" else fitters[best](x, y)
    return best, curve, ece


def reliability(
    probabilities: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> tuple[float, list[dict]]:
    """Expected calibration error and the reliability table (equal-width bins)."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(correct, dtype=float)
    if len(p) == 0:
        return 0.0, []
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        mask = index == b
        if not mask.any():
            continue
        confidence, accuracy = float(p[mask].mean()), float(y[mask].mean())
        ece += mask.sum() / len(p) * abs(confidence - accuracy)
        rows.append(
            {
                "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
                "spans": int(mask.sum()),
                "mean confidence": round(confidence, 3),
                "share correct": round(accuracy, 3),
            }
        )
    return float(ece), rows
