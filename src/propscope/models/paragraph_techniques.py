"""Paragraph-level persuasion techniques (SemEval-2023 ST3, 23 labels) for six languages.

No multilingual encoder is available here, so each language gets its own character n-gram
model: TF-IDF (``char_wb`` 2-5, sublinear) of the paragraph, optionally next to the TF-IDF
of its neighbouring paragraphs (context), and one class-balanced linear SVM per technique
with Platt scaling (`propscope.models.linear_text`). A paragraph gets a technique when its
probability reaches the language's threshold, chosen on out-of-fold predictions of the
training articles. Char n-grams need no tokenizer and survive Polish and Russian
inflection, but they see wording, not argument: expect roughly 0.3-0.4 micro-F1, well
below fine-tuned XLM-R (0.43-0.55 on the official test sets).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from propscope.errors import ModelError
from propscope.models.linear_text import CharTfidf, LinearHeads, predict_sets
from propscope.taxonomy import TECHNIQUES

__all__ = ["ParagraphTechniqueModel", "neighbour_indices", "with_context"]


def neighbour_indices(groups: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Row index of the previous and next paragraph of the same article (-1 at the edges).

    ``groups`` holds each row's article id, rows in article order.
    """
    groups = np.asarray(groups)
    n = len(groups)
    index = np.arange(n)
    same_as_previous = np.zeros(n, dtype=bool)
    same_as_previous[1:] = groups[1:] == groups[:-1]
    previous = np.where(same_as_previous, index - 1, -1)
    same_as_next = np.zeros(n, dtype=bool)
    same_as_next[:-1] = groups[:-1] == groups[1:]
    following = np.where(same_as_next, index + 1, -1)
    return previous, following


def _rows_or_zero(x: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """``x[rows]`` with an all-zero row wherever ``rows`` is -1."""
    picked = x[np.maximum(rows, 0)]
    return sp.csr_matrix(sp.diags((rows >= 0).astype(np.float32)) @ picked)


def with_context(x: sp.csr_matrix, groups: Sequence[str], weight: float) -> sp.csr_matrix:
    """Each row next to ``weight`` x (previous + next paragraph's row); ``x`` if weight is 0.

    Neighbours tell a paragraph's role (a quoted reply, the end of an argument); separate
    columns let the model weigh them differently from the paragraph itself.
    """
    if weight <= 0:
        return sp.csr_matrix(x)
    previous, following = neighbour_indices(groups)
    context = (_rows_or_zero(x, previous) + _rows_or_zero(x, following)) * weight
    return sp.hstack([x, context]).tocsr()


@dataclass
class ParagraphTechniqueModel:
    """The paragraph-technique model of one language."""

    lang: str  # ISO 639-1 code
    tfidf: CharTfidf
    heads: LinearHeads
    thresholds: np.ndarray  # one probability cut-off per technique
    context_weight: float = 0.0
    metrics: dict | None = None

    def features(self, paragraph_texts: Sequence[str]) -> sp.csr_matrix:
        """Model inputs for the paragraphs of one article, in order (neighbours = context)."""
        x = self.tfidf.transform(list(paragraph_texts))
        return with_context(x, ["article"] * len(paragraph_texts), self.context_weight)

    def probability_matrix(self, paragraph_texts: Sequence[str]) -> np.ndarray:
        """(n_paragraphs, 23) calibrated probabilities in `TECHNIQUES` order."""
        if not paragraph_texts:
            return np.zeros((0, len(self.heads.labels)), dtype=np.float32)
        return self.heads.probabilities(self.features(paragraph_texts))

    def probabilities(self, paragraph_texts: Sequence[str]) -> list[dict[str, float]]:
        """Per paragraph, ``{technique: probability}`` for all 23 techniques."""
        return [
            {name: float(v) for name, v in zip(self.heads.labels, row, strict=True)}
            for row in self.probability_matrix(paragraph_texts)
        ]

    def labels(self, paragraph_texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Per paragraph, the techniques at or above their thresholds, most probable first."""
        p = self.probability_matrix(paragraph_texts)
        chosen = predict_sets(p, self.thresholds)
        names = self.heads.labels
        return [
            tuple(names[j] for j in sorted(np.flatnonzero(row), key=lambda j: -prob[j]))
            for row, prob in zip(chosen, p, strict=True)
        ]

    # --- files -------------------------------------------------------------------------------

    def file_name(self) -> str:
        return f"paragraphs-{self.lang}.npz"

    def save(self, path: Path) -> Path:
        """Write the arrays; `meta` holds the rest (stored in the article models' JSON)."""
        target = Path(path) / self.file_name()
        np.savez_compressed(target, **self.tfidf.arrays("tfidf_"), **self.heads.arrays("heads_"))
        return target

    def meta(self) -> dict:
        return {
            "file": self.file_name(),
            "labels": list(self.heads.labels),  # column order of the weights
            "thresholds": {
                name: round(float(t), 4)
                for name, t in zip(self.heads.labels, self.thresholds, strict=True)
            },
            "context_weight": self.context_weight,
            "metrics": self.metrics or {},
        }

    @classmethod
    def load(cls, path: Path, lang: str, info: dict) -> ParagraphTechniqueModel:
        target = Path(path) / info["file"]
        if not target.is_file():
            raise ModelError(f"paragraph model file '{target}' is missing; retrain the models")
        labels = tuple(info["labels"])
        if set(labels) != set(TECHNIQUES) or set(info["thresholds"]) != set(labels):
            raise ModelError(f"'{target}' is not a 23-technique model; retrain the models")
        with np.load(target, allow_pickle=False) as npz:
            arrays = dict(npz)
        return cls(
            lang=lang,
            tfidf=CharTfidf.from_arrays(arrays, "tfidf_"),
            heads=LinearHeads.from_arrays(arrays, "heads_", labels),
            thresholds=np.array([info["thresholds"][name] for name in labels], dtype=np.float32),
            context_weight=float(info.get("context_weight", 0.0)),
            metrics=info.get("metrics") or {},
        )
