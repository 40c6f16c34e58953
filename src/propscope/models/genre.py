"""Genre (opinion / reporting / satire) from pooled multilingual encoder states and style.

The English genre labels are 91% opinion, so a model trained on English alone learns the
prior and calls every article opinion. e5-small maps the six languages into one space, so
one classifier fitted on the French, German, Italian, Polish and Russian labels also serves
English, zero-shot (``train_multilingual.GENRE_LABEL_LANGUAGES`` says why English's own labels
are left out). The language itself is not a feature (it would carry each language's prior
back in).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from propscope.models.array_files import load_arrays, save_arrays
from propscope.models.article_classifiers import STYLE_FEATURES, style_features
from propscope.models.forks import fork_safe_lock
from propscope.models.windows import pad_batch, tokenize, window_starts

GENRE_FILE = "genre.npz"
# The first two windows (~450 tokens): where an article shows what kind it is. Against the
# first window alone (5 fold seeds, C 0.05): fr/de/it/pl/ru macro-F1 .618 vs .578, and .541
# vs .485 with each language left out, the zero-shot case of English; four windows gave
# .599 / .512.
POOLED_WINDOWS = 2
# Frozen e5 layer 6 alone: as good as layers 9 + 6 in-language and across languages (first
# window, 5 fold seeds: fr/de/it/pl/ru mean macro-F1 .578 vs .580; leave-one-language-out
# .485 vs .486), and the three layers above it are not run. Lower layers are more
# language-bound: leave-one-language-out falls to .434 (layer 5) and .363 (layer 3).
GENRE_LAYERS = (6,)
FORMER_LAYERS = (9, 6)  # what a genre file without "feature_layers" was fitted on
_STYLE = [i for i, name in enumerate(STYLE_FEATURES) if not name.startswith("lang_")]


def genre_style(text: str, lang: str) -> np.ndarray:
    """Style features without the language indicators."""
    return style_features(text, lang)[_STYLE]


def pool_windows(features: list[torch.Tensor]) -> np.ndarray:
    """Mean over the tokens of each window, then over the windows."""
    return torch.stack([f.float().mean(dim=0) for f in features]).mean(dim=0).numpy()


@torch.inference_mode()
def pooled_features(
    encoder,
    tokenizer,
    text: str,
    layers: tuple[int, ...] = GENRE_LAYERS,
    window: int = 254,
    stride: int = 192,
):
    """Pooled states of the encoder's ``layers`` over the first ``POOLED_WINDOWS`` windows
    (same windows as training)."""
    tokens = tokenize(tokenizer, text)
    starts = window_starts(len(tokens), window, stride)[:POOLED_WINDOWS] if len(tokens) else [0]
    rows = [
        [tokenizer.cls_token_id, *tokens.ids[w0 : w0 + window], tokenizer.sep_token_id]
        for w0 in starts
    ]
    features = encoder.features(*pad_batch(rows, tokenizer.pad_token_id), layers=layers)
    return pool_windows([features[i, : len(r)] for i, r in enumerate(rows)])


def article_row(encoder, tokenizer, text: str, lang: str, layers: tuple[int, ...] = GENRE_LAYERS):
    """[pooled states of ``layers``, style]: the row the genre and frame models read."""
    pooled = pooled_features(encoder, tokenizer, text, layers=layers)
    return np.concatenate([pooled, genre_style(text, lang)])


@dataclass
class PooledGenreModel:
    """Multinomial logistic regression over standardised [pooled states, style]."""

    classes: tuple[str, ...]
    coef: np.ndarray  # [n_classes, n_features]
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    meta: dict

    def fitted_on(self, lang: str) -> bool:
        """Whether labelled articles of ``lang`` were fitted (else its genre is zero-shot);
        a genre file from before ``label_languages`` was kept fitted all six."""
        return lang in self.meta.get("label_languages", ("en", "fr", "de", "it", "pl", "ru"))

    @property
    def layers(self) -> tuple[int, ...]:
        """The frozen encoder layers whose pooled states this model reads."""
        return tuple(self.meta.get("feature_layers", FORMER_LAYERS))

    def logits(self, row: np.ndarray) -> np.ndarray:
        return self.coef @ ((row - self.mean) / self.scale) + self.intercept

    def row_probabilities(self, row: np.ndarray) -> dict[str, float]:
        # The temperature was fitted on out-of-fold logits: a regression on ~800 features
        # and ~900 articles is sure of itself far more often than it is right.
        logits = self.logits(row) / float(self.meta.get("temperature", 1.0))
        p = np.exp(logits - logits.max())
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def save(self, folder: Path) -> Path:
        """Write the model into ``folder`` (whole or not at all)."""
        arrays = {"coef": self.coef, "intercept": self.intercept, "mean": self.mean}
        arrays |= {"scale": self.scale, "classes": np.array(self.classes)}
        path = save_arrays(Path(folder) / GENRE_FILE, arrays, self.meta)
        _LOADED.pop(Path(folder).resolve(), None)
        return path

    @classmethod
    def load(cls, folder: Path) -> PooledGenreModel | None:
        stored = load_arrays(Path(folder) / GENRE_FILE)
        if stored is None:
            return None
        arrays, meta = stored
        classes = tuple(str(c) for c in arrays["classes"])
        parts = (arrays["coef"], arrays["intercept"], arrays["mean"], arrays["scale"])
        return cls(classes, *parts, meta)


def fit_genre_model(x: np.ndarray, labels: list[str], c: float = 1.0) -> PooledGenreModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit((x - mean) / scale, labels)
    return PooledGenreModel(
        tuple(model.classes_), model.coef_, model.intercept_, mean, scale, {"C": c}
    )


_LOADED: dict[Path, PooledGenreModel | None] = {}
_LOCK = fork_safe_lock()


def load_genre_model(folder: Path) -> PooledGenreModel | None:
    """The genre model stored beside a multilingual tagger (None if it has none); cached."""
    folder = Path(folder).resolve()
    with _LOCK:  # threads analysing at once read the file once
        if folder not in _LOADED:
            _LOADED[folder] = PooledGenreModel.load(folder)
    return _LOADED[folder]


def fit_temperature(logits: np.ndarray, labels: list[str], classes: tuple[str, ...]) -> float:
    """The softmax temperature that minimises the log loss of out-of-fold logits."""
    index = np.array([classes.index(label) for label in labels])
    best = (np.inf, 1.0)
    for t in np.exp(np.linspace(np.log(0.5), np.log(50.0), 60)):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(len(index)), index].mean()
        if loss < best[0]:
            best = (loss, float(t))
    return round(best[1], 3)
