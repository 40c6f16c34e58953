"""What English taggers find in SemEval-2021 meme texts; prints a table.

    python bench/memes.py [--model DIR ...] [--split all]

The memes of the ``test`` split (`propscope.corpora.load_memes`: ids split like the
articles, about 10% of the 686 memes, packed into texts of at most 1,000 characters) are
kept out of ``propscope train --memes``. Each model decodes them at its default settings;
SI is the SemEval-2020 partial-overlap F1, span + technique the same F1 counting overlap only
where techniques are equal (23 techniques). The per-technique rows show whether the memes
taught the English tagger the techniques its news articles never show (Questioning the
reputation, Appeal to values): a tagger never trained on one scores 0 there.

``--split all`` scores every meme: English text from another source than the news articles
both shipped taggers trained on (short, informal, 2016-2020), so an out-of-domain check of
the English model choice. It refuses a model trained with ``--memes``. With two models, the
last columns give the second one's difference from the first, with a 95% interval from a
paired bootstrap over the packed texts (2,000 draws).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from rich.console import Console
from rich.table import Table

from propscope.corpora import load_memes
from propscope.evaluate import score_flc, score_si
from propscope.io.formats import FLCRow, SIRow
from propscope.models.tagger import load_model
from propscope.taxonomy import TECHNIQUES

SHOWN = (
    "Questioning_the_Reputation",
    "Appeal_to_Values",
    "Name_Calling-Labeling",
    "Loaded_Language",
)
DRAWS = 2000


def scores(memes, gold_flc, pred: dict[str, list[FLCRow]], ids) -> tuple[float, float]:
    """SI and span + technique F1 over the texts ``ids`` (repeats count as often as drawn)."""
    gold_by_id: dict[str, list[FLCRow]] = {a.id: [] for a in memes}
    for row in gold_flc:
        gold_by_id[row.article_id].append(row)
    gold, predicted = [], []
    for draw, key in enumerate(ids):  # a text drawn twice is two articles
        rename = f"{key}#{draw}"
        gold += [row._replace(article_id=rename) for row in gold_by_id[key]]
        predicted += [row._replace(article_id=rename) for row in pred[key]]
    si = score_si(
        [SIRow(r.article_id, r.start, r.end) for r in gold],
        [SIRow(r.article_id, r.start, r.end) for r in predicted],
    )
    return si.f1, score_flc(gold, predicted, labels=TECHNIQUES).f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="model directory (default: shipped)")
    parser.add_argument("--split", choices=["test", "all"], default="test")
    args = parser.parse_args()
    memes = load_memes(split="test" if args.split == "test" else None)
    gold_flc = [FLCRow(a.id, t, s, e) for a in memes for t, s, e in a.spans]
    gold_si = [SIRow(r.article_id, r.start, r.end) for r in gold_flc]
    what = "held-out memes" if args.split == "test" else "all memes"
    table = Table(title=f"{what} ({len(memes)} texts, {len(gold_flc)} gold spans)")
    columns = ["model", "SI F1", "span+tech F1", *(f"{t} F1 (gold)" for t in SHOWN)]
    if len(args.model or []) == 2:
        columns += ["SI change (95%)", "span+tech change (95%)"]
    for column in columns:
        table.add_column(column, justify="left" if column == "model" else "right")
    predictions = []
    for name in args.model or [None]:
        model = load_model(name).for_language("en")
        if args.split == "all" and "meme" in str(model.meta.get("trained_on", "")).lower():
            sys.exit(
                f"error: {name or 'the shipped model'} was trained on memes; "
                "score it with --split test"
            )
        pred = {
            a.id: [
                FLCRow(a.id, r.technique, r.start, r.end)
                for r in model.spans_of(model.encode(a.text))
            ]
            for a in memes
        }
        predictions.append(pred)
        rows = [row for a in memes for row in pred[a.id]]
        si = score_si(gold_si, [SIRow(r.article_id, r.start, r.end) for r in rows])
        flc = score_flc(gold_flc, rows, labels=TECHNIQUES)
        cells = [f"{flc.per_label[t]['f1']:.3f} ({flc.per_label[t]['support']})" for t in SHOWN]
        extra = []
        if len(predictions) == 2:
            ids = [a.id for a in memes]
            rng = np.random.default_rng(0)
            diffs = []
            for _ in range(DRAWS):
                drawn = list(rng.choice(ids, size=len(ids)))
                first, second = (scores(memes, gold_flc, p, drawn) for p in predictions)
                diffs.append((second[0] - first[0], second[1] - first[1]))
            whole = [scores(memes, gold_flc, p, ids) for p in predictions]
            for k in (0, 1):
                low, high = np.percentile([d[k] for d in diffs], [2.5, 97.5])
                extra.append(f"{whole[1][k] - whole[0][k]:+.3f} ({low:+.3f} to {high:+.3f})")
        elif len(args.model or []) == 2:
            extra = ["", ""]
        table.add_row(name or "shipped", f"{si.f1:.3f}", f"{flc.f1:.3f}", *cells, *extra)
    Console().print(table)


if __name__ == "__main__":
    main()
