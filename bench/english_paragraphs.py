"""English paragraph techniques (ST3): from the tagger's spans, from the character n-gram
paragraph classifier, or both; prints one table.

The n-gram classifier is refitted on the English ``train`` split only (the shipped one saw
every article), so that the ``tune`` and ``test`` splits are held out from both models; the
combination is chosen on ``tune`` and reported on ``test``.

    python bench/english_paragraphs.py [--model DIR]
"""

from __future__ import annotations

import argparse

import numpy as np
from rich.console import Console
from rich.table import Table

from propscope.analysis import analyze
from propscope.article import Article
from propscope.corpora import default_data_dir, split_of
from propscope.models.linear_text import ngram_counts, predict_sets
from propscope.models.tagger import load_model
from propscope.taxonomy import TECHNIQUES
from propscope.train_articles import (
    ParagraphConfig,
    _fit_paragraphs,
    _paragraph_scores,
    _read_text,
    _st3_score,
    load_paragraph_data,
)


def span_sets(data, rows: np.ndarray, model) -> np.ndarray:
    """Techniques of the spans touching each paragraph (what the analysis reports)."""
    root = default_data_dir() / "semeval2023_task3" / "en" / "train-articles-subtask-3"
    column = {t: j for j, t in enumerate(TECHNIQUES)}
    out = np.zeros((len(rows), len(TECHNIQUES)), dtype=np.int8)
    by_article: dict[str, dict[int, tuple[str, ...]]] = {}
    for k, i in enumerate(rows):
        aid = data.article_ids[i]
        if aid not in by_article:
            text = _read_text(root / f"article{aid}.txt")
            analysis = analyze(Article.from_text(text, id=aid), model)
            by_article[aid] = {p.index: p.techniques for p in analysis.paragraphs}
        for t in by_article[aid].get(data.paragraph_ids[i], ()):
            out[k, column[t]] = 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    model = load_model(args.model)
    data = load_paragraph_data("en")
    splits = np.array([split_of(a) for a in data.article_ids])
    counts, names = ngram_counts(data.texts)
    train = np.flatnonzero(splits == "train")
    fitted, columns, _ = _fit_paragraphs(data, counts, names, train, ParagraphConfig())
    results = {}
    for split in ("tune", "test"):
        rows = np.flatnonzero(splits == split)
        scores = _paragraph_scores(fitted, columns, data, counts, rows)
        ngram = predict_sets(fitted.heads.calibrate(scores), fitted.thresholds)
        spans = span_sets(data, rows, model)
        sub = type(data)(
            data.lang,
            [data.article_ids[i] for i in rows],
            [data.paragraph_ids[i] for i in rows],
            [data.texts[i] for i in rows],
            data.y[rows],
        )
        results[split] = {
            "spans": _st3_score(sub, spans),
            "n-gram (train split)": _st3_score(sub, ngram),
            "union": _st3_score(sub, np.maximum(spans, ngram)),
            "intersection": _st3_score(sub, np.minimum(spans, ngram)),
        }
    table = Table(title="English ST3 micro-F1 (23 techniques)")
    table.add_column("paragraph techniques from")
    for split in results:
        table.add_column(f"{split} ({int((splits == split).sum())} paragraphs)", justify="right")
    for name in results["tune"]:
        table.add_row(name, *(f"{results[s][name]:.4f}" for s in results))
    Console().print(table)


if __name__ == "__main__":
    main()
