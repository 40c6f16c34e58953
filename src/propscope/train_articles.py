"""Train and cross-validate the article-level models (genre, frames, paragraph techniques).

``train_article_models(output_dir)`` reproduces the files shipped in
``src/propscope/model/articles/`` from ``../shared/data/semeval2023_task3`` (all six
languages); ``cross_validate_article_models()`` measures the same recipe with 5-fold
cross-validation by article, scoring with the official SemEval-2023 definitions
(`propscope.evaluate`). Both are CPU-only and single-threaded (liblinear). Measured on 2
CPU cores shared with other jobs: training 4.5 minutes, the 5-fold cross-validation that
``train_article_models`` runs by default 13.5 minutes more (18 minutes in all)::

    python -m propscope.train_articles src/propscope/model/articles   # the shipped files

Honesty of the numbers: in cross-validation every learned quantity -- n-gram vocabulary,
IDF, style scaling, weights, Platt calibration and thresholds -- comes from the training
folds only. Calibration and thresholds use an inner 3-fold split of those training folds
(nested), never the held-out fold. Scores are pooled over the five held-out folds.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import GroupKFold, StratifiedKFold

from propscope.article import Article
from propscope.corpora import default_data_dir
from propscope.errors import InputError
from propscope.evaluate import score_st1, score_st2, score_st3
from propscope.io.formats import ST1Row, ST2Row, ST3Row, read_st1, read_st2, read_st3
from propscope.language import SEMEVAL_CODE
from propscope.models.article_classifiers import (
    ArticleFeaturizer,
    ArticleModels,
    adjust_genre_probabilities,
    style_features,
)
from propscope.models.linear_text import (
    CharTfidf,
    best_global_threshold,
    expected_calibration_error,
    fit_heads,
    ngram_counts,
    per_label_thresholds,
    predict_sets,
    reliability_table,
)
from propscope.models.paragraph_techniques import ParagraphTechniqueModel, with_context
from propscope.taxonomy import FRAMES, GENRES, TECHNIQUES

__all__ = [
    "ArticleConfig",
    "ArticleData",
    "ParagraphConfig",
    "ParagraphData",
    "cross_validate_article_models",
    "load_article_data",
    "load_paragraph_data",
    "train_article_models",
]

Log = Callable[[str], None]
LANGUAGES: tuple[str, ...] = tuple(SEMEVAL_CODE)  # ISO codes


@dataclass(frozen=True)
class ArticleConfig:
    """Hyper-parameters of the genre and frame models (chosen by cross-validation)."""

    max_features: int = 60_000
    style_weight: float = 0.3
    genre_c: float = 0.1
    frames_c: float = 0.1


@dataclass(frozen=True)
class ParagraphConfig:
    """Hyper-parameters of the per-language paragraph-technique models."""

    max_features: int = 40_000
    c: float = 0.1
    context_weight: float = 0.0
    per_technique_thresholds: bool = False


# --- data --------------------------------------------------------------------------------------


@dataclass
class ArticleData:
    """ST1/ST2 training articles of several languages, aligned lists."""

    ids: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)  # ISO codes
    texts: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    frames: list[tuple[str, ...]] = field(default_factory=list)

    def genre_matrix(self) -> np.ndarray:
        return np.array([[g == name for name in GENRES] for g in self.genres], dtype=np.int8)

    def frame_matrix(self) -> np.ndarray:
        return np.array([[name in f for name in FRAMES] for f in self.frames], dtype=np.int8)


@dataclass
class ParagraphData:
    """ST3 paragraphs of one language in article order: texts and 0/1 technique rows."""

    lang: str
    article_ids: list[str]
    paragraph_ids: list[int]
    texts: list[str]
    y: np.ndarray  # (n, 23)


def _language_dir(data_dir: Path | None, lang: str) -> Path:
    root = (data_dir or default_data_dir()) / "semeval2023_task3" / SEMEVAL_CODE[lang]
    if not root.is_dir():
        raise InputError(
            f"SemEval-2023 Task 3 data not found at '{root}': set PROPSCOPE_DATA or pass "
            "data_dir pointing to the shared data folder"
        )
    return root


def _read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:  # CRLF files: keep offsets
        return handle.read()


def load_article_data(
    data_dir: Path | None = None,
    languages: Sequence[str] = LANGUAGES,
    limit: int | None = None,
) -> ArticleData:
    """ST1 genre and ST2 frame labels with the article texts (``limit`` articles per language)."""
    data = ArticleData()
    for lang in languages:
        root = _language_dir(data_dir, lang)
        genres = {r.article_id: r.label for r in read_st1(root / "train-labels-subtask-1.txt")}
        frames = {r.article_id: r.frames for r in read_st2(root / "train-labels-subtask-2.txt")}
        for article_id in sorted(genres)[:limit]:
            if article_id not in frames:
                continue
            data.ids.append(article_id)
            data.langs.append(lang)
            data.texts.append(
                _read_text(root / "train-articles-subtask-1" / f"article{article_id}.txt")
            )
            data.genres.append(genres[article_id])
            data.frames.append(frames[article_id])
    return data


def load_paragraph_data(
    lang: str, data_dir: Path | None = None, limit: int | None = None
) -> ParagraphData:
    """ST3 paragraphs (the labelled ones, i.e. every non-empty line) of ``limit`` articles."""
    root = _language_dir(data_dir, lang)
    rows = read_st3(root / "train-labels-subtask-3.txt")
    keep = sorted({r.article_id for r in rows})[:limit]
    wanted = set(keep)
    column = {name: j for j, name in enumerate(TECHNIQUES)}
    paragraphs: dict[str, dict[int, str]] = {}
    article_ids, paragraph_ids, texts, y = [], [], [], []
    for row in sorted(rows, key=lambda r: (r.article_id, r.paragraph_id)):
        if row.article_id not in wanted:
            continue
        if row.article_id not in paragraphs:
            text = _read_text(root / "train-articles-subtask-3" / f"article{row.article_id}.txt")
            paragraphs[row.article_id] = {
                p.index: text[p.start : p.end] for p in Article.from_text(text).paragraphs
            }
        article_ids.append(row.article_id)
        paragraph_ids.append(row.paragraph_id)
        texts.append(paragraphs[row.article_id].get(row.paragraph_id, ""))
        labels = np.zeros(len(TECHNIQUES), dtype=np.int8)
        labels[[column[name] for name in row.techniques]] = 1
        y.append(labels)
    return ParagraphData(lang, article_ids, paragraph_ids, texts, np.array(y, dtype=np.int8))


# --- fitting -----------------------------------------------------------------------------------


@dataclass
class _ArticleFit:
    featurizer: ArticleFeaturizer
    columns: np.ndarray
    models: ArticleModels
    genre_oof: np.ndarray  # inner out-of-fold probabilities on the training rows
    frame_oof: np.ndarray


def _fit_articles(
    data: ArticleData,
    counts: sp.csr_matrix,
    names: np.ndarray,
    style: np.ndarray,
    rows: np.ndarray,
    config: ArticleConfig,
) -> _ArticleFit:
    """Genre and frame heads on ``rows`` of precomputed n-gram counts and style features."""
    tfidf, columns = CharTfidf.select(counts[rows], names, config.max_features)
    mean, scale = ArticleFeaturizer.fit_style(style[rows])
    featurizer = ArticleFeaturizer(tfidf, mean, scale, config.style_weight)
    x = featurizer.combine(tfidf.weigh(counts[rows][:, columns]), style[rows])
    groups = np.asarray(data.ids)[rows]
    genre_heads, genre_oof = fit_heads(
        x, data.genre_matrix()[rows], groups, GENRES, c=config.genre_c
    )
    frame_y = data.frame_matrix()[rows]
    frame_heads, frame_oof = fit_heads(x, frame_y, groups, FRAMES, c=config.frames_c)
    threshold = best_global_threshold(frame_oof, frame_y)
    genre_y = data.genre_matrix()[rows]
    prior = np.maximum(genre_y.mean(axis=0), 1e-3).astype(np.float32)
    power = _best_prior_power(genre_oof, prior, groups, [data.genres[i] for i in rows])
    models = ArticleModels(featurizer, genre_heads, frame_heads, threshold, {}, prior, power)
    return _ArticleFit(featurizer, columns, models, genre_oof, frame_oof)


def _best_prior_power(
    oof: np.ndarray, prior: np.ndarray, ids: Sequence[str], gold: Sequence[str]
) -> float:
    """The power of the prior correction maximising ST1 macro-F1 of out-of-fold predictions."""

    def macro_f1(power: float) -> float:
        adjusted = adjust_genre_probabilities(oof, prior, power)
        return _st1_score(ids, gold, [GENRES[j] for j in adjusted.argmax(axis=1)])

    return max((0.0, 0.25, 0.5, 0.75, 1.0), key=macro_f1)


def _predict_articles(
    fit: _ArticleFit, counts: sp.csr_matrix, style: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    tfidf_rows = fit.featurizer.tfidf.weigh(counts[rows][:, fit.columns])
    x = fit.featurizer.combine(tfidf_rows, style[rows])
    models = fit.models
    genre = models.genre_heads.probabilities(x)
    genre = adjust_genre_probabilities(genre, models.genre_prior, models.genre_prior_power)
    return genre, models.frame_heads.probabilities(x)


def _fit_paragraphs(
    data: ParagraphData,
    counts: sp.csr_matrix,
    names: np.ndarray,
    rows: np.ndarray,
    config: ParagraphConfig,
) -> tuple[ParagraphTechniqueModel, np.ndarray, np.ndarray]:
    """A paragraph model on ``rows``; its vocabulary's columns; inner out-of-fold probabilities."""
    tfidf, columns = CharTfidf.select(counts[rows], names, config.max_features)
    groups = np.asarray(data.article_ids)[rows]
    x = with_context(tfidf.weigh(counts[rows][:, columns]), groups, config.context_weight)
    heads, oof = fit_heads(x, data.y[rows], groups, TECHNIQUES, c=config.c)
    threshold = best_global_threshold(oof, data.y[rows])
    thresholds = (
        per_label_thresholds(oof, data.y[rows], threshold)
        if config.per_technique_thresholds
        else np.full(len(TECHNIQUES), threshold, dtype=np.float32)
    )
    model = ParagraphTechniqueModel(data.lang, tfidf, heads, thresholds, config.context_weight)
    return model, columns, oof


def _paragraph_scores(
    model: ParagraphTechniqueModel,
    columns: np.ndarray,
    data: ParagraphData,
    counts: sp.csr_matrix,
    rows: np.ndarray,
) -> np.ndarray:
    groups = np.asarray(data.article_ids)[rows]
    x = with_context(model.tfidf.weigh(counts[rows][:, columns]), groups, model.context_weight)
    return model.heads.scores(x)


# --- scoring -----------------------------------------------------------------------------------


def _st1_score(ids: Sequence[str], gold: Sequence[str], pred: Sequence[str]) -> float:
    return score_st1(
        [ST1Row(i, g) for i, g in zip(ids, gold, strict=True)],
        [ST1Row(i, p) for i, p in zip(ids, pred, strict=True)],
    ).f1


def _as_sets(matrix: np.ndarray, names: Sequence[str]) -> list[tuple[str, ...]]:
    return [tuple(names[j] for j in np.flatnonzero(row)) for row in matrix]


def _st2_score(ids: Sequence[str], gold: np.ndarray, pred: np.ndarray) -> float:
    return score_st2(
        [ST2Row(i, f) for i, f in zip(ids, _as_sets(gold, FRAMES), strict=True)],
        [ST2Row(i, f) for i, f in zip(ids, _as_sets(pred, FRAMES), strict=True)],
    ).f1


def _st3_score(data: ParagraphData, pred: np.ndarray) -> float:
    keys = list(zip(data.article_ids, data.paragraph_ids, strict=True))
    return score_st3(
        [ST3Row(a, p, t) for (a, p), t in zip(keys, _as_sets(data.y, TECHNIQUES), strict=True)],
        [ST3Row(a, p, t) for (a, p), t in zip(keys, _as_sets(pred, TECHNIQUES), strict=True)],
    ).f1


def _frame_sets(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """Frames at or above the threshold; the top frame when none reaches it."""
    chosen = predict_sets(probabilities, threshold)
    empty = chosen.sum(axis=1) == 0
    chosen[empty, probabilities[empty].argmax(axis=1)] = 1
    return chosen


def _article_inputs(data: ArticleData, log: Log) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    started = time.perf_counter()
    counts, names = ngram_counts(data.texts)
    pairs = zip(data.texts, data.langs, strict=True)
    style = np.vstack([style_features(text, lang) for text, lang in pairs])
    log(f"articles: {len(data.texts)} texts, {len(names)} n-grams ({_since(started)})")
    return counts, names, style


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


# --- cross-validation --------------------------------------------------------------------------


def cross_validate_article_models(
    data_dir: Path | None = None,
    folds: int = 5,
    log: Log = print,
    languages: Sequence[str] = LANGUAGES,
    limit: int | None = None,
    article_config: ArticleConfig | None = None,
    paragraph_config: ParagraphConfig | None = None,
    tasks: Sequence[str] = ("st1", "st2", "st3"),
) -> dict:
    """K-fold cross-validation by article of the shipped recipe; official scores per language.

    ST1/ST2: one multilingual model, folds stratified by language and genre. ST3: one model
    per language, folds grouped by article. Returns ``{"st1": {"en": f1, ..., "all": f1},
    "st2": {...}, "st3": {...}, "baselines": {...}, "settings": {...}}``.
    """
    article_config = article_config or ArticleConfig()
    paragraph_config = paragraph_config or ParagraphConfig()
    results: dict = {
        "settings": {
            "folds": folds,
            "article_config": asdict(article_config),
            "paragraph_config": asdict(paragraph_config),
            "languages": list(languages),
            "limit": limit,
        },
        "baselines": {},
    }
    if {"st1", "st2"} & set(tasks):
        results.update(
            _cross_validate_articles(data_dir, folds, log, languages, limit, article_config)
        )
    if "st3" in tasks:
        results["st3"], results["st3_calibration"] = {}, {}
        results["baselines"]["st3_most_frequent"] = {}
        for lang in languages:
            outcome = _cross_validate_paragraphs(
                load_paragraph_data(lang, data_dir, limit), folds, log, paragraph_config
            )
            results["st3"][lang] = outcome.pop("micro_f1")
            results["baselines"]["st3_most_frequent"][lang] = outcome.pop("baseline")
            results["st3_calibration"][lang] = outcome
    return results


def _cross_validate_articles(
    data_dir: Path | None,
    folds: int,
    log: Log,
    languages: Sequence[str],
    limit: int | None,
    config: ArticleConfig,
) -> dict:
    data = load_article_data(data_dir, languages, limit)
    counts, names, style = _article_inputs(data, log)
    genre_p = np.zeros((len(data.ids), len(GENRES)), dtype=np.float32)
    frame_p = np.zeros((len(data.ids), len(FRAMES)), dtype=np.float32)
    frame_pred = np.zeros(frame_p.shape, dtype=np.int8)
    strata = [f"{lang}-{genre}" for lang, genre in zip(data.langs, data.genres, strict=True)]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    with warnings.catch_warnings():  # English has 2 satire articles: fewer than the folds
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        splits = list(splitter.split(data.texts, strata))
    started = time.perf_counter()
    for k, (train, held) in enumerate(splits):
        fit = _fit_articles(data, counts, names, style, train, config)
        genre_p[held], frame_p[held] = _predict_articles(fit, counts, style, held)
        frame_pred[held] = _frame_sets(frame_p[held], fit.models.frame_threshold)
        log(f"articles fold {k + 1}/{folds} done ({_since(started)})")

    genre_pred = [GENRES[j] for j in genre_p.argmax(axis=1)]
    frame_gold = data.frame_matrix()
    langs = np.asarray(data.langs)
    st1, st2, base1, base2 = {}, {}, {}, {}
    for lang in [*languages, "all"]:
        rows = np.flatnonzero(langs == lang) if lang != "all" else np.arange(len(data.ids))
        if len(rows) == 0:
            continue
        ids = [data.ids[i] for i in rows]
        gold = [data.genres[i] for i in rows]
        st1[lang] = _st1_score(ids, gold, [genre_pred[i] for i in rows])
        st2[lang] = _st2_score(ids, frame_gold[rows], frame_pred[rows])
        # Baselines: the language's majority genre; its most frequent frames (top 3).
        majority = max(set(gold), key=gold.count)
        base1[lang] = _st1_score(ids, gold, [majority] * len(ids))
        top = np.argsort(-frame_gold[rows].sum(axis=0))[:3]
        constant = np.zeros(frame_gold[rows].shape, dtype=np.int8)
        constant[:, top] = 1
        base2[lang] = _st2_score(ids, frame_gold[rows], constant)
    log(f"ST1 macro-F1 {st1}\nST2 micro-F1 {st2}")
    return {
        "st1": st1,
        "st2": st2,
        "baselines_articles": {"st1_majority": base1, "st2_top3_frames": base2},
    }


def _cross_validate_paragraphs(
    data: ParagraphData, folds: int, log: Log, config: ParagraphConfig
) -> dict:
    """Pooled out-of-fold ST3 micro-F1 of one language, a baseline and calibration error.

    ``ece_platt`` is the expected calibration error of the shipped (Platt) probabilities over
    all held-out (paragraph, technique) cells; ``ece_raw_sigmoid`` that of ``sigmoid(score)``,
    the naive reading of the SVM scores, for comparison.
    """
    started = time.perf_counter()
    counts, names = ngram_counts(data.texts)
    pred = np.zeros(data.y.shape, dtype=np.int8)
    baseline = np.zeros(data.y.shape, dtype=np.int8)
    probabilities = np.zeros(data.y.shape, dtype=np.float32)
    raw = np.zeros(data.y.shape, dtype=np.float32)
    groups = np.asarray(data.article_ids)
    n_splits = min(folds, len(set(data.article_ids)))
    for train, held in GroupKFold(n_splits=n_splits).split(data.texts, data.y, groups):
        model, columns, _ = _fit_paragraphs(data, counts, names, train, config)
        scores = _paragraph_scores(model, columns, data, counts, held)
        probabilities[held] = model.heads.calibrate(scores)
        raw[held] = 1.0 / (1.0 + np.exp(-np.clip(scores, -40, 40)))
        pred[held] = predict_sets(probabilities[held], model.thresholds)
        baseline[held] = _most_frequent_labels(data.y[train], len(held))
    result = {
        "micro_f1": _st3_score(data, pred),
        "baseline": _st3_score(data, baseline),
        "ece_platt": expected_calibration_error(probabilities, data.y),
        "ece_raw_sigmoid": expected_calibration_error(raw, data.y),
        "reliability": reliability_table(probabilities, data.y),
        "paragraphs": len(data.texts),
    }
    log(
        f"ST3 {data.lang}: micro-F1 {result['micro_f1']:.3f}, most-frequent labels "
        f"{result['baseline']:.3f}, ECE {result['ece_platt']:.4f} ({_since(started)})"
    )
    return result


def _most_frequent_labels(y_train: np.ndarray, n: int) -> np.ndarray:
    """Every paragraph gets the k most frequent training labels, k maximising train micro-F1."""
    order = np.argsort(-y_train.sum(axis=0))
    best, best_f1 = 1, -1.0
    for k in range(1, 6):
        guess = np.zeros(y_train.shape, dtype=bool)
        guess[:, order[:k]] = True
        tp = np.logical_and(guess, y_train).sum()
        f1 = 2 * tp / (guess.sum() + y_train.sum())
        if f1 > best_f1:
            best, best_f1 = k, f1
    out = np.zeros((n, y_train.shape[1]), dtype=np.int8)
    out[:, order[:best]] = 1
    return out


# --- training the shipped files ----------------------------------------------------------------


def train_article_models(
    output_dir: str | Path,
    data_dir: Path | None = None,
    log: Log = print,
    languages: Sequence[str] = LANGUAGES,
    limit: int | None = None,
    article_config: ArticleConfig | None = None,
    paragraph_config: ParagraphConfig | None = None,
    cross_validate: bool = True,
    folds: int = 5,
) -> dict:
    """Fit the genre, frame and paragraph-technique models on all training data; save them.

    Writes the files that `propscope.models.article_classifiers.load_article_models` reads
    to ``output_dir`` and returns the metrics, which are also stored in its JSON:

    * ``cross_validation`` (if ``cross_validate``): held-out scores of the same recipe,
      `cross_validate_article_models` with ``folds`` folds -- the numbers to quote;
    * ``inner_oof``: official scores of the inner 3-fold out-of-fold predictions made while
      fitting (thresholds tuned on those same predictions, so slightly optimistic).
    """
    article_config = article_config or ArticleConfig()
    paragraph_config = paragraph_config or ParagraphConfig()
    started = time.perf_counter()
    data = load_article_data(data_dir, languages, limit)
    counts, names, style = _article_inputs(data, log)
    fit = _fit_articles(data, counts, names, style, np.arange(len(data.ids)), article_config)
    models = fit.models
    genre_oof = adjust_genre_probabilities(
        fit.genre_oof, models.genre_prior, models.genre_prior_power
    )
    inner: dict = {
        "st1": _st1_score(data.ids, data.genres, [GENRES[j] for j in genre_oof.argmax(1)]),
        "st2": _st2_score(
            data.ids,
            data.frame_matrix(),
            _frame_sets(fit.frame_oof, models.frame_threshold),
        ),
        "st3": {},
    }
    log(f"genre and frame models trained ({_since(started)})")

    paragraph_models = {}
    for lang in languages:
        paragraphs = load_paragraph_data(lang, data_dir, limit)
        p_counts, p_names = ngram_counts(paragraphs.texts)
        everything = np.arange(len(paragraphs.texts))
        model, _, oof = _fit_paragraphs(paragraphs, p_counts, p_names, everything, paragraph_config)
        paragraph_models[lang] = model
        inner["st3"][lang] = _st3_score(paragraphs, predict_sets(oof, model.thresholds))
        log(f"paragraph model {lang}: {len(paragraphs.texts)} paragraphs ({_since(started)})")

    metrics: dict = {"inner_oof": inner}
    if cross_validate:
        metrics["cross_validation"] = cross_validate_article_models(
            data_dir, folds, log, languages, limit, article_config, paragraph_config
        )
    for lang, model in paragraph_models.items():
        cv = metrics.get("cross_validation", {}).get("st3", {})
        model.metrics = {"st3_micro_f1_cv": cv.get(lang), "st3_micro_f1_inner": inner["st3"][lang]}
    models = ArticleModels(
        featurizer=fit.featurizer,
        genre_heads=models.genre_heads,
        frame_heads=models.frame_heads,
        frame_threshold=models.frame_threshold,
        paragraph_models=paragraph_models,
        genre_prior=models.genre_prior,
        genre_prior_power=models.genre_prior_power,
        meta={
            "trained_on": {"articles": len(data.ids), "languages": list(languages), "limit": limit},
            "article_config": asdict(article_config),
            "paragraph_config": asdict(paragraph_config),
            "metrics": metrics,
            "metrics_note": (
                "cross_validation: pooled held-out scores of 5-fold CV by article, nested "
                "calibration and thresholds; inner_oof: optimistic in-training estimate"
            ),
        },
    )
    written = models.save(output_dir)
    log(f"wrote {len(written)} files to {output_dir} ({_since(started)})")
    return metrics


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Train the shipped article-level models.")
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("--data", type=Path, default=None, help="shared data folder")
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    args = parser.parse_args()
    found = train_article_models(args.output_dir, args.data, cross_validate=not args.no_cv)
    print(json.dumps(found, indent=1))
