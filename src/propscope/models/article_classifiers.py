"""Article-level models: genre (SemEval-2023 ST1), framing (ST2) and, via
`propscope.models.paragraph_techniques`, paragraph techniques (ST3) in six languages.

The genre and frame models read the whole article through the same features:

* character n-gram TF-IDF (``char_wb`` 2-5, sublinear) -- works in every language without a
  tokenizer or a pretrained encoder (none is available for French ... Russian here);
* a few style features that mean the same in every language (share of quoted text, first-
  and second-person pronoun rates from small per-language word lists, ``!`` and ``?`` rates,
  sentence length, digits, all-caps words, length) plus the language itself. Opinion pieces
  say "we" and "you" and ask questions; reports quote people and cite numbers.

All six languages train one model: English alone has 30 reporting and 2 satire articles,
far too few to learn those classes. Heads are class-balanced linear models with Platt
scaling (see `propscope.models.linear_text`); the frame threshold was chosen on
out-of-fold predictions. Models load from ``.npz`` + JSON (no pickle) with
`load_article_models`.

>>> models = load_article_models()                                      # doctest: +SKIP
>>> models.genre(text, "en")                                            # doctest: +SKIP
{'reporting': 0.12, 'opinion': 0.85, 'satire': 0.03}
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from propscope.errors import ModelError
from propscope.language import SEMEVAL_CODE, SUPPORTED_PARAGRAPHS, require_supported
from propscope.models.forks import fork_safe_lock
from propscope.models.linear_text import CharTfidf, LinearHeads
from propscope.models.paragraph_techniques import ParagraphTechniqueModel
from propscope.taxonomy import FRAMES, GENRES

__all__ = [
    "ARTICLE_MODELS_DIR",
    "FORMAT_VERSION",
    "STYLE_FEATURES",
    "ArticleFeaturizer",
    "ArticleModels",
    "adjust_genre_probabilities",
    "load_article_models",
    "style_features",
]

ARTICLE_MODELS_DIR = Path(__file__).resolve().parents[1] / "model" / "articles"
FORMAT_VERSION = 1
META_FILE = "articles.json"
ARRAYS_FILE = "articles.npz"
LANGUAGES: tuple[str, ...] = tuple(SEMEVAL_CODE)  # ISO codes, SemEval order

# --- style features ----------------------------------------------------------------------------

# First- and second-person pronouns and possessives (lower case). "Sie"/"sie" (German polite
# "you" = "they"/"she") is left out: it would mostly count third persons.
_FIRST_PERSON: dict[str, str] = {
    "en": "i me my mine myself we us our ours ourselves",
    "fr": "je j me m moi mon ma mes nous notre nos nôtre nôtres",
    "de": "ich mich mir mein meine meinen meinem meiner meines wir uns unser unsere unseren "
    "unserem unserer unseres",
    "it": "io me mi mio mia miei mie noi ci nostro nostra nostri nostre",
    "pl": "ja mnie mi mną mój moja moje moi mojego mojej mojemu moim moich my nas nam nami "
    "nasz nasza nasze nasi naszego naszej naszym naszych",
    "ru": "я меня мне мной мой моя моё мое мои моего моей моих мы нас нам нами наш наша наше "
    "наши нашего нашей наших",
}
_SECOND_PERSON: dict[str, str] = {
    "en": "you your yours yourself yourselves",
    "fr": "tu te t toi ton ta tes vous votre vos vôtre vôtres",
    "de": "du dich dir dein deine deinen deinem deiner deines ihr euch euer eure euren eurem",
    "it": "tu te ti tuo tua tuoi tue voi vi vostro vostra vostri vostre",
    "pl": "ty ciebie cię tobie ci tobą twój twoja twoje twoi twojego twojej wy was wam wami "
    "wasz wasza wasze wasi waszego waszej",
    "ru": "ты тебя тебе тобой твой твоя твоё твое твои твоего твоей вы вас вам вами ваш ваша "
    "ваше ваши вашего вашей",
}
_PRONOUNS = {
    lang: (frozenset(_FIRST_PERSON[lang].split()), frozenset(_SECOND_PERSON[lang].split()))
    for lang in _FIRST_PERSON
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_QUOTED = re.compile(r'"[^"\n]{1,1500}"|“[^”\n]{1,1500}”|«[^»\n]{1,1500}»|„[^“”\n]{1,1500}[“”]')
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")

STYLE_FEATURES: tuple[str, ...] = (
    "quoted_share",
    "first_person_rate",
    "second_person_rate",
    "exclamations_per_sentence",
    "questions_per_sentence",
    "log_words_per_sentence",
    "digit_rate",
    "all_caps_word_rate",
    "log_characters",
    "log_paragraphs",
    *(f"lang_{code}" for code in LANGUAGES),
)


def style_features(text: str, lang: str) -> np.ndarray:
    """The `STYLE_FEATURES` of one article as a float vector (``lang``: ISO code)."""
    words = _WORD.findall(text)
    n_words = max(len(words), 1)
    lowered = [w.lower() for w in words]
    first, second = _PRONOUNS.get(lang, (frozenset(), frozenset()))
    n_sentences = max(len(_SENTENCE_END.findall(text)), 1)
    quoted = sum(len(m.group()) for m in _QUOTED.finditer(text))
    n_chars = max(len(text), 1)
    paragraphs = sum(1 for line in text.split("\n") if line.strip())
    values = [
        quoted / n_chars,
        sum(w in first for w in lowered) / n_words,
        sum(w in second for w in lowered) / n_words,
        text.count("!") / n_sentences,
        text.count("?") / n_sentences,
        float(np.log1p(n_words / n_sentences)),
        sum(ch.isdigit() for ch in text) / n_chars,
        sum(len(w) > 1 and w.isupper() for w in words) / n_words,
        float(np.log1p(n_chars)),
        float(np.log1p(paragraphs)),
        *(float(lang == code) for code in LANGUAGES),
    ]
    return np.asarray(values, dtype=np.float32)


@dataclass
class ArticleFeaturizer:
    """Char n-gram TF-IDF of the article next to its standardised, down-weighted style features."""

    tfidf: CharTfidf
    style_mean: np.ndarray
    style_scale: np.ndarray
    style_weight: float

    @staticmethod
    def fit_style(style: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and scale (std, 1 where constant) of training style rows."""
        scale = style.std(axis=0)
        scale[scale == 0] = 1.0
        return style.mean(axis=0).astype(np.float32), scale.astype(np.float32)

    def combine(self, tfidf_rows: sp.spmatrix, style: np.ndarray) -> sp.csr_matrix:
        standard = (style - self.style_mean) / self.style_scale * self.style_weight
        return sp.hstack([tfidf_rows, sp.csr_matrix(standard, dtype=np.float32)]).tocsr()

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> sp.csr_matrix:
        style = np.vstack([style_features(t, lang) for t, lang in zip(texts, langs, strict=True)])
        return self.combine(self.tfidf.transform(texts), style)


def adjust_genre_probabilities(
    probabilities: np.ndarray, prior: np.ndarray, power: float
) -> np.ndarray:
    """Rows of genre probabilities divided by ``prior ** power``, renormalised to sum to 1."""
    adjusted = np.asarray(probabilities, dtype=np.float64) / np.power(prior, power)
    total = adjusted.sum(axis=1, keepdims=True)
    uniform = np.full_like(adjusted, 1.0 / adjusted.shape[1])
    return np.where(total > 0, adjusted / np.where(total > 0, total, 1.0), uniform)


@dataclass
class ArticleModels:
    """The shipped genre, frame and paragraph-technique models (load with `load_article_models`).

    ``lang`` arguments take ISO codes (``de``, ``pl``) or SemEval ones (``ge``, ``po``); a
    language outside the six raises `propscope.errors.UnsupportedLanguageError`.
    """

    featurizer: ArticleFeaturizer
    genre_heads: LinearHeads
    frame_heads: LinearHeads
    frame_threshold: float
    paragraph_models: dict[str, ParagraphTechniqueModel]
    genre_prior: np.ndarray = field(default_factory=lambda: np.ones(len(GENRES)) / len(GENRES))
    genre_prior_power: float = 0.0
    meta: dict = field(default_factory=dict)
    _last_features: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def languages(self) -> tuple[str, ...]:
        """ISO codes with a paragraph-technique model."""
        return tuple(code for code in LANGUAGES if code in self.paragraph_models)

    @property
    def metrics(self) -> dict:
        """Scores measured when the files were trained (see ``meta['metrics_note']``)."""
        return dict(self.meta.get("metrics", {}))

    def _features(self, text: str, lang: str) -> sp.csr_matrix:
        # genre() and frames() of one article share the (costly) character n-gram features.
        # One-entry cache, read once into a local so threads sharing the models stay safe.
        key = (text, require_supported(lang))
        cached = self._last_features
        if cached is not None and cached[0] == key:
            return cached[1]
        features = self.featurizer.transform([text], [key[1]])
        self._last_features = (key, features)
        return features

    def genre(self, text: str, lang: str) -> dict[str, float]:
        """Probability of each genre (``reporting``, ``opinion``, ``satire``), summing to 1.

        The training articles are 70% opinion while news streams are mostly reporting, so
        the calibrated probabilities are divided by ``genre_prior ** genre_prior_power``
        (the training frequencies; the power was chosen for macro-F1 on out-of-fold
        predictions) before normalising: a step from the training mix towards equal priors.
        """
        p = self.genre_heads.probabilities(self._features(text, lang))
        p = adjust_genre_probabilities(p, self.genre_prior, self.genre_prior_power)[0]
        return {label: float(v) for label, v in zip(self.genre_heads.labels, p, strict=True)}

    def genre_label(self, text: str, lang: str) -> str:
        """The most probable genre."""
        probabilities = self.genre(text, lang)
        return max(probabilities, key=probabilities.__getitem__)

    def frames(self, text: str, lang: str) -> dict[str, float]:
        """Probability of each of the 14 frames (independent: multi-label, no sum to 1)."""
        p = self.frame_heads.probabilities(self._features(text, lang))[0]
        return {label: float(v) for label, v in zip(self.frame_heads.labels, p, strict=True)}

    def frame_labels(self, probabilities: dict[str, float]) -> tuple[str, ...]:
        """The predicted frame set of `frames` output: most probable first, main frame first.

        Frames at or above ``frame_threshold``; if none reaches it, the single most probable
        frame (every training article has at least one frame but a handful).
        """
        ranked = sorted(probabilities, key=lambda name: -probabilities[name])
        chosen = tuple(name for name in ranked if probabilities[name] >= self.frame_threshold)
        return chosen or tuple(ranked[:1])

    def main_frame(self, probabilities: dict[str, float]) -> str:
        """The most probable frame of `frames` output."""
        return max(probabilities, key=probabilities.__getitem__)

    def paragraph_techniques(
        self, paragraph_texts: Sequence[str], lang: str
    ) -> list[dict[str, float]]:
        """Per paragraph (in article order), the probability of each of the 23 techniques."""
        return self._paragraph_model(lang).probabilities(paragraph_texts)

    def paragraph_labels(self, paragraph_texts: Sequence[str], lang: str) -> list[tuple[str, ...]]:
        """Per paragraph, the techniques at or above the language's thresholds."""
        return self._paragraph_model(lang).labels(paragraph_texts)

    def paragraph_model(self, lang: str) -> ParagraphTechniqueModel:
        """The paragraph-technique model of ``lang`` (thresholds, metrics)."""
        return self._paragraph_model(lang)

    def _paragraph_model(self, lang: str) -> ParagraphTechniqueModel:
        iso = require_supported(lang, SUPPORTED_PARAGRAPHS)
        if iso not in self.paragraph_models:
            raise ModelError(f"the article models have no paragraph model for '{iso}'")
        return self.paragraph_models[iso]

    # --- files -------------------------------------------------------------------------------

    def save(self, path: str | Path) -> list[Path]:
        """Write ``articles.json``, ``articles.npz`` and one ``paragraphs-<lang>.npz`` each."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        arrays = {
            **self.featurizer.tfidf.arrays("tfidf_"),
            "style_mean": self.featurizer.style_mean,
            "genre_prior": np.asarray(self.genre_prior, dtype=np.float32),
            "style_scale": self.featurizer.style_scale,
            **self.genre_heads.arrays("genre_"),
            **self.frame_heads.arrays("frames_"),
        }
        written = [path / ARRAYS_FILE]
        np.savez_compressed(written[0], **arrays)
        paragraphs = {}
        for lang, model in self.paragraph_models.items():
            written.append(model.save(path))
            paragraphs[lang] = model.meta()
        meta = {
            **self.meta,
            "format_version": FORMAT_VERSION,
            "genres": list(self.genre_heads.labels),
            "frames": list(self.frame_heads.labels),
            "frame_threshold": self.frame_threshold,
            "genre_prior_power": self.genre_prior_power,
            "style_features": list(STYLE_FEATURES),
            "style_weight": self.featurizer.style_weight,
            "paragraphs": paragraphs,
        }
        written.append(path / META_FILE)
        written[-1].write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return written


def load_article_models(path: str | Path | None = None) -> ArticleModels:
    """Load the article models from ``path`` (default: the files shipped in the package).

    Cached per path: load once, pass the object around.
    """
    with _LOAD_LOCK:  # lru_cache lets threads asking at once each load their own copy
        return _load(Path(path).resolve() if path is not None else ARTICLE_MODELS_DIR)


_LOAD_LOCK = fork_safe_lock()


@lru_cache(maxsize=4)
def _load(path: Path) -> ArticleModels:
    meta_file, arrays_file = path / META_FILE, path / ARRAYS_FILE
    if not meta_file.is_file() or not arrays_file.is_file():
        raise ModelError(
            f"'{path}' holds no article models ({META_FILE}, {ARRAYS_FILE}); train them with "
            "propscope.train_articles.train_article_models or use the shipped ones"
        )
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"article models in '{path}' have format {meta.get('format_version')}, this "
            f"propscope reads format {FORMAT_VERSION}; retrain them"
        )
    if tuple(meta["style_features"]) != STYLE_FEATURES:
        raise ModelError(f"article models in '{path}' use other style features; retrain them")
    if set(meta["genres"]) != set(GENRES) or set(meta["frames"]) != set(FRAMES):
        raise ModelError(f"article models in '{path}' use other genre or frame labels; retrain")
    with np.load(arrays_file, allow_pickle=False) as npz:
        arrays = dict(npz)
    featurizer = ArticleFeaturizer(
        CharTfidf.from_arrays(arrays, "tfidf_"),
        arrays["style_mean"],
        arrays["style_scale"],
        float(meta["style_weight"]),
    )
    paragraph_models = {
        lang: ParagraphTechniqueModel.load(path, lang, info)
        for lang, info in meta["paragraphs"].items()
    }
    return ArticleModels(
        featurizer=featurizer,
        genre_heads=LinearHeads.from_arrays(arrays, "genre_", meta["genres"]),
        frame_heads=LinearHeads.from_arrays(arrays, "frames_", meta["frames"]),
        frame_threshold=float(meta["frame_threshold"]),
        paragraph_models=paragraph_models,
        genre_prior=arrays["genre_prior"],
        genre_prior_power=float(meta["genre_prior_power"]),
        meta={
            k: v
            for k, v in meta.items()
            if k not in {"paragraphs", "genres", "frames", "style_features"}
        },
    )
