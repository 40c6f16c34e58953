"""Frames (SemEval-2023 subtask 2): the pooled-e5 frame model against the character n-gram
frame model, cross-validated by article on the same folds; prints one table.

Both are refitted in every fold on the other folds' articles of all six languages (folds
stratified by language and genre, as ``train_articles`` and ``train_multilingual`` cut
them) and scored with the official ST2 micro-F1 on the held-out articles. The pooled model
reads what the analysis computes for genre anyway (frozen e5 layer 6 over the first two
windows, plus style features), with the shipped model's C; the n-gram model is the shipped
recipe (``train_articles.ArticleConfig``). The baseline gives every article its language's
three most frequent frames (from the training folds).

    python bench/frames.py [--seeds 0,1,2] [--c 0.01] [--limit N]      # ~5 minutes a seed
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from rich.console import Console
from rich.table import Table

from propscope.models.frames import PooledFrameModel
from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL
from propscope.train_articles import (
    ArticleConfig,
    _article_inputs,
    _fit_articles,
    _frame_sets,
    _predict_articles,
    _st2_score,
    load_article_data,
)
from propscope.train_multilingual import frame_cross_validation, frame_folds, frame_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2", help="fold seeds, comma-separated")
    parser.add_argument("--c", type=float, default=None, help="default: the shipped model's")
    parser.add_argument("--limit", type=int, default=None, help="articles per language")
    args = parser.parse_args()
    shipped = PooledFrameModel.load(SHIPPED_MULTILINGUAL_MODEL)
    c = args.c if args.c is not None else (shipped.meta["C"] if shipped else 0.01)
    data = load_article_data(limit=args.limit)
    x = frame_rows(data)
    counts, names, style = _article_inputs(data, print)
    y = data.frame_matrix()
    ids, langs = np.asarray(data.ids), np.asarray(data.langs)
    languages = [*dict.fromkeys(data.langs), "all"]
    scores: dict[str, dict[str, list[float]]] = {}
    for seed in (int(s) for s in args.seeds.split(",")):
        started = time.perf_counter()
        predicted = {name: np.zeros(y.shape, np.int8) for name in ("top3", "ngram")}
        predicted["pooled"] = frame_cross_validation(x, data, c, seed=seed)[1]
        for train, held in frame_folds(data, seed=seed):
            for lang in set(langs[held]):
                top = np.argsort(-y[train][langs[train] == lang].sum(axis=0))[:3]
                predicted["top3"][held[langs[held] == lang][:, None], top] = 1
            fit = _fit_articles(data, counts, names, style, train, ArticleConfig())
            _, p = _predict_articles(fit, counts, style, held)
            predicted["ngram"][held] = _frame_sets(p, fit.models.frame_threshold)
        for name, pred in predicted.items():
            for lang in languages:
                rows = np.arange(len(ids)) if lang == "all" else np.flatnonzero(langs == lang)
                f1 = _st2_score(list(ids[rows]), y[rows], pred[rows])
                scores.setdefault(name, {}).setdefault(lang, []).append(f1)
        print(f"seed {seed}: {time.perf_counter() - started:.0f} s")
    table = Table(title=f"ST2 micro-F1, 5 folds by article, seeds {args.seeds} (mean ± std)")
    table.add_column("frame model")
    for lang in languages:
        table.add_column(lang, justify="right")
    labels = {
        "top3": "language's 3 most frequent frames",
        "ngram": "character n-grams + style (per fold)",
        "pooled": f"pooled e5 layer 6 + style, C {c} (per fold)",
    }
    for name, label in labels.items():
        cells = [scores[name][lang] for lang in languages]
        table.add_row(label, *(f"{np.mean(v):.3f} ± {np.std(v):.3f}" for v in cells))
    gain = [np.subtract(scores["pooled"][lang], scores["ngram"][lang]) for lang in languages]
    cells = (f"{g.mean():+.3f} ({g.min():+.3f} to {g.max():+.3f})" for g in gain)
    table.add_row("pooled - n-grams (per seed: lowest to highest)", *cells)
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
