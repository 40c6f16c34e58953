"""Paragraph techniques (ST3) per language: from the tagger's spans, from the character
n-gram paragraph classifier, from the multilingual encoder's paragraph probe, or two of them
together; prints one table.

The shipped n-gram classifier saw every article, so it is refitted here on the articles the
span tagger trained on, and both are scored on articles neither saw:
- English: the MiniLM tagger's ``tune`` and ``test`` splits (the combination is chosen on
  ``tune`` and reported on ``test``);
- fr/de/it/pl/ru: the multilingual tagger's held-out tune part (1 article in 6, by id), the
  only articles its training did not see (its decoding was chosen there, so spans are
  slightly favoured).
The e5 probe is refitted on the paragraphs of all six languages except the held-out articles
of the language scored, with the shipped probe's threshold for that language. The token
probe is the shipped one: it reads the tagger's token probabilities and was fitted on the
articles the tagger trained on (``propscope.train.fit_paragraph_probe``).

    python bench/paragraph_sources.py [--languages en,fr,de,it,pl,ru] [--model DIR]
"""

from __future__ import annotations

import argparse

import numpy as np
from rich.console import Console
from rich.table import Table

from propscope.analysis import analyze, spans_touching
from propscope.article import Article
from propscope.corpora import split_of
from propscope.models.linear_text import ngram_counts, predict_sets
from propscope.models.paragraph_encoder import TOKEN_PROBE_FILE, load_paragraph_probe
from propscope.models.tagger import load_model, load_multilingual_model
from propscope.taxonomy import TECHNIQUES
from propscope.train import paragraph_token_features
from propscope.train_articles import (
    ParagraphConfig,
    _fit_paragraphs,
    _language_dir,
    _paragraph_scores,
    _read_text,
    _st3_score,
    load_paragraph_data,
)

LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")


def span_sets(data, rows: np.ndarray, model, lang: str) -> np.ndarray:
    """Techniques of the spans touching each paragraph."""
    root = _language_dir(None, lang) / "train-articles-subtask-3"
    column = {t: j for j, t in enumerate(TECHNIQUES)}
    out = np.zeros((len(rows), len(TECHNIQUES)), dtype=np.int8)
    by_article: dict[str, dict[int, tuple[str, ...]]] = {}
    for k, i in enumerate(rows):
        aid = data.article_ids[i]
        if aid not in by_article:
            text = _read_text(root / f"article{aid}.txt")
            analysis = analyze(Article.from_text(text, id=aid), model, language=lang)
            by_article[aid] = {
                p.index: {s.technique for s in spans_touching(p.start, p.end, analysis.spans)}
                for p in analysis.paragraphs
            }
        for t in by_article[aid].get(data.paragraph_ids[i], ()):
            out[k, column[t]] = 1
    return out


_FEATURES: dict[str, tuple] = {}


def probe_sets(data, lang: str, held: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The probe's technique sets for ``rows`` of ``data``, the probe refitted without the
    ``held`` rows (the other languages' paragraphs all count)."""
    from propscope.models.multilingual import frozen_features
    from propscope.models.paragraph_encoder import fit_probe, paragraph_features
    from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL

    encoder, tokenizer = frozen_features(None)
    for code in LANGUAGES:
        if code not in _FEATURES:
            d = data if code == lang else load_paragraph_data(code)
            _FEATURES[code] = (paragraph_features(encoder, tokenizer, d.texts), d.y)
    keep = np.ones(len(data.texts), dtype=bool)
    keep[held] = False
    x = np.vstack([_FEATURES[c][0][keep] if c == lang else _FEATURES[c][0] for c in LANGUAGES])
    y = np.vstack([_FEATURES[c][1][keep] if c == lang else _FEATURES[c][1] for c in LANGUAGES])
    shipped = load_paragraph_probe(SHIPPED_MULTILINGUAL_MODEL)
    probabilities = fit_probe(x, y, TECHNIQUES).probabilities(_FEATURES[lang][0][rows])
    return (probabilities >= shipped.thresholds[lang]).astype(np.int8)


def token_probe_sets(data, rows: np.ndarray, model, lang: str) -> np.ndarray | None:
    """The tagger's own token-probability probe's technique sets (None: it has none)."""
    probe = None if model.path is None else load_paragraph_probe(model.path, TOKEN_PROBE_FILE)
    if probe is None or lang not in probe.meta.get("languages", ()):
        return None
    articles = {data.article_ids[i] for i in rows}
    features = paragraph_token_features(model.for_language(lang), lang, articles)
    x = np.vstack([features[(data.article_ids[i], data.paragraph_ids[i])] for i in rows])
    return (probe.probabilities(x) >= probe.thresholds[lang]).astype(np.int8)


def held_out_scores(lang: str, model) -> dict[str, dict[str, float]]:
    from propscope.train_multilingual import _in_tune

    data = load_paragraph_data(lang)
    if lang == "en":
        parts = np.array([split_of(a) for a in data.article_ids])
    else:
        parts = np.array(["tune" if _in_tune(a) else "train" for a in data.article_ids])
    counts, names = ngram_counts(data.texts)
    train = np.flatnonzero(parts == "train")
    fitted, columns, _ = _fit_paragraphs(data, counts, names, train, ParagraphConfig())
    results = {}
    for part in ("tune", "test"):
        rows = np.flatnonzero(parts == part)
        if not len(rows):
            continue
        scores = _paragraph_scores(fitted, columns, data, counts, rows)
        ngram = predict_sets(fitted.heads.calibrate(scores), fitted.thresholds)
        spans = span_sets(data, rows, model, lang)
        probe = probe_sets(data, lang, np.flatnonzero(parts != "train"), rows)
        token = token_probe_sets(data, rows, model, lang)
        sub = type(data)(
            lang,
            [data.article_ids[i] for i in rows],
            [data.paragraph_ids[i] for i in rows],
            [data.texts[i] for i in rows],
            data.y[rows],
        )
        results[f"{part} ({len(rows)} paragraphs)"] = {
            "spans": _st3_score(sub, spans),
            "n-gram classifier": _st3_score(sub, ngram),
            "union": _st3_score(sub, np.maximum(spans, ngram)),
            "intersection": _st3_score(sub, np.minimum(spans, ngram)),
            "e5 probe": _st3_score(sub, probe),
            "spans + probe": _st3_score(sub, np.maximum(spans, probe)),
            "token probe": None if token is None else _st3_score(sub, token),
            "spans + token probe": None
            if token is None
            else _st3_score(sub, np.maximum(spans, token)),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="en,fr,de,it,pl,ru")
    parser.add_argument("--model", default=None, help="the English tagger (default: shipped)")
    args = parser.parse_args()
    table = Table(title="ST3 micro-F1 (23 techniques) on held-out articles")
    table.add_column("lang")
    table.add_column("held out")
    for name in (
        "spans",
        "n-gram classifier",
        "union",
        "intersection",
        "e5 probe",
        "spans + probe",
        "token probe",
        "spans + token probe",
    ):
        table.add_column(name, justify="right")
    for lang in args.languages.split(","):
        model = load_model(args.model) if lang == "en" else load_multilingual_model()
        for part, row in held_out_scores(lang, model).items():
            table.add_row(lang, part, *("–" if v is None else f"{v:.4f}" for v in row.values()))
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
