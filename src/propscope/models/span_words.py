"""A span's own words as evidence of its technique: n-gram TF-IDF and one logistic regression.

The span head reads a span through the encoder, in context. This model reads only the span's
words and characters (word 1-2 grams and ``char_wb`` 2-5 grams, sublinear TF-IDF, one
multinomial logistic regression over the techniques seen in training). Alone it labels
fewer held-out gold spans correctly than the span head, but it errs differently: blended
into the tagger's technique probabilities with a weight chosen on held-out articles, it
labels 1 to 3 points more gold spans correctly in each of the six languages (see the README,
"Which technique").

Stored as plain arrays (``span_words.npz``, no pickle), like the other small models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from propscope.models.array_files import load_arrays, save_arrays
from propscope.models.linear_text import CharTfidf, ngram_counts

__all__ = ["SPAN_WORDS_FILE", "SpanWords", "WordTfidf"]

SPAN_WORDS_FILE = "span_words.npz"
WORD_RANGE = (1, 2)
# Chosen on the English tune split (accuracy of the blend); 2, 4 and 8 were within 0.001.
C = 4.0
# The n-grams in most training spans; more add file size, not accuracy.
MAX_WORDS = 20_000
MAX_CHARS = 40_000


@dataclass
class WordTfidf(CharTfidf):
    """`CharTfidf` over word 1-2 grams (scikit-learn's default word pattern)."""

    analyzer: ClassVar[str] = "word"
    ngram_range: ClassVar[tuple[int, int]] = WORD_RANGE


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class SpanWords:
    """``probabilities(texts, techniques)``: each span text's technique distribution."""

    classes: tuple[str, ...]  # the techniques seen in training: the columns of ``weights``
    words: WordTfidf
    chars: CharTfidf
    weights: np.ndarray  # (n_word_features + n_char_features, n_classes)
    bias: np.ndarray  # (n_classes,)
    meta: dict = field(default_factory=dict)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def probabilities(self, texts: Sequence[str], techniques: Sequence[str]) -> np.ndarray:
        """[len(texts), len(techniques)]: 0 for the techniques never seen in training."""
        out = np.zeros((len(texts), len(techniques)), np.float32)
        if not len(texts):
            return out
        z = np.asarray(self.features(texts) @ self.weights) + self.bias
        probs = _softmax(z.astype(np.float64))
        column = {t: i for i, t in enumerate(techniques)}
        for j, name in enumerate(self.classes):
            if name in column:
                out[:, column[name]] = probs[:, j]
        return out

    @classmethod
    def fit(
        cls, texts: Sequence[str], labels: Sequence[str], c: float = C, meta: dict | None = None
    ) -> SpanWords:
        """Fit on gold span texts and their techniques (a span with k techniques is k rows)."""
        if not texts:
            raise ValueError("no training spans")
        word_rows, word_names = ngram_counts(texts, WordTfidf.analyzer, WordTfidf.ngram_range)
        char_rows, char_names = ngram_counts(texts)
        words, word_cols = WordTfidf.select(word_rows, word_names, MAX_WORDS, min_df=2)
        chars, char_cols = CharTfidf.select(char_rows, char_names, MAX_CHARS, min_df=3)
        x = sp.hstack(
            [words.weigh(word_rows[:, word_cols]), chars.weigh(char_rows[:, char_cols])]
        ).tocsr()
        classes = tuple(sorted(set(labels)))
        y = np.array([classes.index(label) for label in labels])
        model = LogisticRegression(C=c, max_iter=3000).fit(x, y)
        weights = model.coef_.T.astype(np.float32)
        bias = model.intercept_.astype(np.float32)
        if len(classes) == 2:  # scikit-learn keeps one column for two classes
            weights = np.hstack([-weights / 2, weights / 2])
            bias = np.array([-bias[0] / 2, bias[0] / 2], np.float32)
        info = {"c": c, "spans": len(texts), **(meta or {})}
        return cls(classes, words, chars, weights, bias, info)

    def save(self, folder: Path, name: str = SPAN_WORDS_FILE) -> Path:
        arrays = {
            **self.words.arrays("words_"),
            **self.chars.arrays("chars_"),
            "weights": self.weights,
            "bias": self.bias,
            "classes": np.array(self.classes, dtype=str),
        }
        return save_arrays(Path(folder) / name, arrays, self.meta)

    @classmethod
    def load(cls, folder: Path, name: str = SPAN_WORDS_FILE) -> SpanWords | None:
        """The model in ``folder``, or None when the directory has none."""
        found = load_arrays(Path(folder) / name)
        if found is None:
            return None
        arrays, meta = found
        return cls(
            tuple(str(c) for c in arrays["classes"]),
            WordTfidf.from_arrays(arrays, "words_"),
            CharTfidf.from_arrays(arrays, "chars_"),
            arrays["weights"].astype(np.float32),
            arrays["bias"].astype(np.float32),
            meta,
        )
