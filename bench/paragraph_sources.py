"""Paragraph techniques (ST3) per language: from the tagger's spans, from the character
n-gram paragraph classifier, or both; prints one table.

The shipped n-gram classifier saw every article, so it is refitted here on the articles the
span tagger trained on, and both are scored on articles neither saw:
- English: the MiniLM tagger's ``tune`` and ``test`` splits (the combination is chosen on
  ``tune`` and reported on ``test``);
- fr/de/it/pl/ru: the multilingual tagger's held-out tune part (1 article in 6, by id), the
  only articles its training did not see (its decoding was chosen there, so spans are
  slightly favoured).

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
from propscope.models.tagger import load_model, load_multilingual_model
from propscope.taxonomy import TECHNIQUES
from propscope.train_articles import (
    ParagraphConfig,
    _fit_paragraphs,
    _language_dir,
    _paragraph_scores,
    _read_text,
    _st3_score,
    load_paragraph_data,
)


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
    for name in ("spans", "n-gram classifier", "union", "intersection"):
        table.add_column(name, justify="right")
    for lang in args.languages.split(","):
        model = load_model(args.model) if lang == "en" else load_multilingual_model()
        for part, row in held_out_scores(lang, model).items():
            table.add_row(lang, part, *(f"{v:.4f}" for v in row.values()))
    Console().print(table)


if __name__ == "__main__":
    main()
