"""Building blocks of the article-level models: char n-gram TF-IDF and calibrated linear heads.

Everything here is stored as plain arrays (``.npz``, loaded with ``allow_pickle=False``) and
JSON, so a shipped model needs no pickle and stays readable by any numpy version:

* `CharTfidf`: a fixed vocabulary of character n-grams (``char_wb``, lower-cased) with IDF
  weights; sublinear TF x IDF, L2-normalised rows, exactly like scikit-learn's
  ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)`` restricted to that vocabulary.
* `LinearHeads`: one linear scorer per label (weights, bias) followed by Platt scaling
  (``p = sigmoid(a * score + b)``) fitted on out-of-fold scores, so probabilities mean what
  they say even though the scorers were trained with balanced class weights.
* `fit_heads`: trains the heads and, from the same inner cross-validation, returns the
  out-of-fold calibrated probabilities that thresholds are chosen on.

Training n-gram counts once (`ngram_counts`) and then selecting a vocabulary per fold
(`CharTfidf.select`) keeps cross-validation honest (vocabulary and IDF come from the
training rows only) without re-tokenising every text for every fold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

__all__ = [
    "NGRAM_RANGE",
    "CharTfidf",
    "LinearHeads",
    "best_global_threshold",
    "expected_calibration_error",
    "fit_heads",
    "micro_f1",
    "ngram_counts",
    "per_label_thresholds",
    "predict_sets",
    "reliability_table",
]

NGRAM_RANGE = (2, 5)
_NEVER = -30.0  # decision value of a label never seen positive in training
# Candidate probability thresholds: exact two-decimal values (0.05 ... 0.90), so a stored
# threshold compares with probabilities exactly as it did when it was chosen.
_GRID = np.round(np.arange(5, 91) / 100, 2)


def _counter(
    vocabulary: Sequence[str] | None = None,
    analyzer: str = "char_wb",
    ngram_range: tuple[int, int] = NGRAM_RANGE,
) -> CountVectorizer:
    return CountVectorizer(
        analyzer=analyzer,
        ngram_range=ngram_range,
        lowercase=True,
        dtype=np.float32,
        vocabulary=vocabulary,
    )


def ngram_counts(
    texts: Sequence[str], analyzer: str = "char_wb", ngram_range: tuple[int, int] = NGRAM_RANGE
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Raw n-gram counts of ``texts`` over every n-gram seen, and the n-gram strings
    (character n-grams by default; ``analyzer="word"`` for word n-grams)."""
    counter = _counter(analyzer=analyzer, ngram_range=ngram_range)
    counts = counter.fit_transform(texts).tocsr()
    return counts, counter.get_feature_names_out()


@dataclass
class CharTfidf:
    """A char n-gram vocabulary with IDF weights; `transform` turns texts into TF-IDF rows."""

    vocabulary: np.ndarray  # n-gram strings (unicode array), one per column
    idf: np.ndarray  # float32, same length
    analyzer: ClassVar[str] = "char_wb"
    ngram_range: ClassVar[tuple[int, int]] = NGRAM_RANGE

    @classmethod
    def select(
        cls,
        counts: sp.csr_matrix,
        names: np.ndarray,
        max_features: int,
        min_df: int = 2,
    ) -> tuple[CharTfidf, np.ndarray]:
        """Vocabulary from training rows' counts: the ``max_features`` n-grams in most documents.

        Returns the fitted vectoriser and the chosen column indices into ``counts`` (so
        cross-validation can weigh precomputed count rows with `weigh`).
        """
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        candidates = np.flatnonzero(df >= min_df)
        if len(candidates) > max_features:
            # Stable: ties broken by column (= alphabetical) order, so runs are reproducible.
            order = np.argsort(-df[candidates], kind="stable")[:max_features]
            candidates = np.sort(candidates[order])
        n_docs = counts.shape[0]
        idf = np.log((1.0 + n_docs) / (1.0 + df[candidates])) + 1.0
        return cls(names[candidates], idf.astype(np.float32)), candidates

    def weigh(self, counts: sp.spmatrix) -> sp.csr_matrix:
        """Sublinear TF x IDF with L2-normalised rows, from counts over this vocabulary."""
        x = sp.csr_matrix(counts, dtype=np.float32, copy=True)
        np.log(x.data, out=x.data)
        x.data += 1.0
        x = x @ sp.diags(self.idf)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ x, dtype=np.float32)

    @cached_property
    def _vectorizer(self) -> CountVectorizer:
        return _counter(list(self.vocabulary), self.analyzer, self.ngram_range)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of new texts (n-grams outside the vocabulary are ignored)."""
        return self.weigh(self._vectorizer.transform(texts))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}vocabulary": self.vocabulary.astype(str), f"{prefix}idf": self.idf}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> CharTfidf:
        return cls(arrays[f"{prefix}vocabulary"], arrays[f"{prefix}idf"].astype(np.float32))


@dataclass
class LinearHeads:
    """Per-label linear scorers with Platt scaling: ``p = sigmoid(a * (x @ w + b0) + b)``."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (n_features, n_labels)
    bias: np.ndarray  # (n_labels,)
    platt_a: np.ndarray  # (n_labels,)
    platt_b: np.ndarray  # (n_labels,)
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def scores(self, x: sp.spmatrix | np.ndarray) -> np.ndarray:
        """Uncalibrated decision values, (n_rows, n_labels)."""
        return np.asarray(x @ self.weights.astype(np.float32)) + self.bias

    def probabilities(self, x: sp.spmatrix | np.ndarray) -> np.ndarray:
        """Calibrated one-vs-rest probabilities, (n_rows, n_labels)."""
        return self.calibrate(self.scores(x))

    def calibrate(self, scores: np.ndarray) -> np.ndarray:
        """Decision values -> probabilities through each label's Platt sigmoid."""
        return _sigmoid(scores * self.platt_a + self.platt_b)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        # float16 weights halve the files; predictions change by < 1e-3 in probability.
        return {
            f"{prefix}weights": self.weights.astype(np.float16),
            f"{prefix}bias": self.bias.astype(np.float32),
            f"{prefix}platt_a": self.platt_a.astype(np.float32),
            f"{prefix}platt_b": self.platt_b.astype(np.float32),
        }

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], prefix: str, labels: Sequence[str]
    ) -> LinearHeads:
        return cls(
            labels=tuple(labels),
            weights=arrays[f"{prefix}weights"].astype(np.float32),
            bias=arrays[f"{prefix}bias"],
            platt_a=arrays[f"{prefix}platt_a"],
            platt_b=arrays[f"{prefix}platt_b"],
        )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def _fit_scorers(
    x: sp.spmatrix, y: np.ndarray, c: float, kind: str = "svm"
) -> tuple[np.ndarray, np.ndarray]:
    """One class-balanced linear scorer per label column of ``y``; (weights, bias).

    ``kind`` is ``"svm"`` (squared-hinge linear SVM) or ``"logreg"`` (logistic regression).

    A label without positives (or without negatives) in ``y`` gets a constant score, which
    Platt scaling then maps to (nearly) 0 (or 1).
    """
    n_features, n_labels = x.shape[1], y.shape[1]
    weights = np.zeros((n_features, n_labels), dtype=np.float32)
    bias = np.full(n_labels, _NEVER, dtype=np.float32)
    for j in range(n_labels):
        positives = int(y[:, j].sum())
        if positives == 0:
            continue
        if positives == len(y):
            bias[j] = -_NEVER
            continue
        if kind == "svm":
            model = LinearSVC(C=c, class_weight="balanced", max_iter=5000)
        else:
            model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear")
        model.fit(x, y[:, j])
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return weights, bias


def _fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt's sigmoid (with his smoothed targets) mapping decision values to probabilities."""
    positives = float(y.sum())
    negatives = float(len(y) - positives)
    if positives == 0 or negatives == 0:
        prior = (positives + 1.0) / (len(y) + 2.0)
        return 0.0, float(np.log(prior / (1.0 - prior)))
    target = np.where(y > 0, (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0))
    a, b = 1.0, 0.0
    s = scores.astype(np.float64)
    for _ in range(100):  # Newton's method on the cross-entropy, 2 parameters
        p = _sigmoid(a * s + b)
        gradient = np.array([np.dot(p - target, s), np.sum(p - target)])
        w = p * (1.0 - p) + 1e-12
        hessian = np.array([[np.dot(w, s * s), np.dot(w, s)], [np.dot(w, s), w.sum()]])
        hessian += np.eye(2) * 1e-9
        step = np.linalg.solve(hessian, gradient)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def fit_heads(
    x: sp.spmatrix,
    y: np.ndarray,
    groups: Sequence[str],
    labels: Sequence[str],
    c: float = 0.1,
    inner_folds: int = 3,
    kind: str = "svm",
) -> tuple[LinearHeads, np.ndarray]:
    """Train calibrated heads; also return their out-of-fold probabilities on ``x``.

    An inner ``GroupKFold`` over ``groups`` (article ids: paragraphs of one article never sit
    on both sides) gives out-of-fold decision values; Platt scaling is fitted on them, and
    the same calibrated out-of-fold probabilities are returned for threshold selection. The
    final scorers are then trained on all rows.
    """
    y = np.asarray(y, dtype=np.int8)
    groups = np.asarray(groups)
    n_splits = min(inner_folds, len(set(groups.tolist())))
    oof = np.zeros(y.shape, dtype=np.float32)
    for train, held in GroupKFold(n_splits=n_splits).split(x, y, groups):
        w, b = _fit_scorers(x[train], y[train], c, kind)
        oof[held] = np.asarray(x[held] @ w) + b
    platt = [_fit_platt(oof[:, j], y[:, j]) for j in range(y.shape[1])]
    a = np.array([p[0] for p in platt], dtype=np.float32)
    b0 = np.array([p[1] for p in platt], dtype=np.float32)
    weights, bias = _fit_scorers(x, y, c, kind)
    heads = LinearHeads(tuple(labels), weights, bias, a, b0)
    return heads, _sigmoid(oof * a + b0)


def micro_f1(y: np.ndarray, predicted: np.ndarray) -> float:
    """Micro-F1 over all cells of two 0/1 matrices (1.0 when both are empty, as official)."""
    tp = float(np.logical_and(y, predicted).sum())
    denominator = float(np.asarray(y, bool).sum() + np.asarray(predicted, bool).sum())
    return 2.0 * tp / denominator if denominator else 1.0


def best_global_threshold(
    probabilities: np.ndarray, y: np.ndarray, grid: Sequence[float] | None = None
) -> float:
    """The probability cut-off maximising micro-F1 of ``probabilities >= t`` against ``y``."""
    grid = _GRID if grid is None else np.asarray(grid)
    scores = [micro_f1(y, probabilities >= t) for t in grid]
    return float(grid[int(np.argmax(scores))])


def predict_sets(probabilities: np.ndarray, thresholds: np.ndarray | float) -> np.ndarray:
    """0/1 predictions: each label's probability against its (or the global) threshold."""
    return np.asarray(probabilities >= thresholds, dtype=np.int8)


def per_label_thresholds(
    probabilities: np.ndarray,
    y: np.ndarray,
    start: float,
    min_positives: int = 20,
    grid: Sequence[float] | None = None,
) -> np.ndarray:
    """One cut-off per label, by one pass of coordinate ascent on micro-F1 from ``start``.

    A label with fewer than ``min_positives`` positive rows keeps ``start``: a cut-off tuned
    on a handful of examples fits noise.
    """
    grid = _GRID if grid is None else np.asarray(grid)
    y = np.asarray(y, dtype=bool)
    thresholds = np.full(y.shape[1], start, dtype=np.float32)
    predicted = probabilities >= thresholds
    for j in np.argsort(-y.sum(axis=0)):
        if y[:, j].sum() < min_positives:
            continue
        hits = np.logical_and(y, predicted)
        tp_rest = hits.sum() - hits[:, j].sum()
        pred_rest = predicted.sum() - predicted[:, j].sum()
        gold = y.sum()
        best, best_f1 = thresholds[j], -1.0
        for t in grid:
            column = probabilities[:, j] >= t
            f1 = (
                2
                * (tp_rest + np.logical_and(y[:, j], column).sum())
                / (gold + pred_rest + column.sum())
            )
            if f1 > best_f1 + 1e-9:
                best, best_f1 = t, f1
        thresholds[j] = best
        predicted[:, j] = probabilities[:, j] >= best
    return thresholds


def reliability_table(
    probabilities: np.ndarray, y: np.ndarray, bins: int = 10
) -> list[dict[str, float]]:
    """Equal-width probability bins over all cells: count, mean probability, observed rate."""
    p = np.asarray(probabilities, dtype=np.float64).ravel()
    hit = np.asarray(y, dtype=np.float64).ravel()
    index = np.minimum((p * bins).astype(int), bins - 1)
    table = []
    for b in range(bins):
        inside = index == b
        n = int(inside.sum())
        table.append(
            {
                "low": b / bins,
                "high": (b + 1) / bins,
                "count": n,
                "mean_probability": float(p[inside].mean()) if n else 0.0,
                "observed_rate": float(hit[inside].mean()) if n else 0.0,
            }
        )
    return table


def expected_calibration_error(probabilities: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE: the count-weighted mean gap between mean probability and observed rate per bin."""
    table = reliability_table(probabilities, y, bins)
    total = sum(row["count"] for row in table)
    gaps = (row["count"] * abs(row["mean_probability"] - row["observed_rate"]) for row in table)
    return float(sum(gaps) / total) if total else 0.0
