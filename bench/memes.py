"""What English taggers find in the held-out SemEval-2021 meme texts; prints a table.

    python bench/memes.py [--model DIR ...]

The memes of the ``test`` split (`propscope.corpora.load_memes`: ids split like the
articles, about 10% of the 686 memes, packed into texts of at most 1,000 characters) are
kept out of ``propscope train --memes``. Each model decodes them at its default settings;
SI is the SemEval-2020 partial-overlap F1, span + technique the same F1 counting overlap only
where techniques are equal (23 techniques). The per-technique rows show whether the memes
taught the English tagger the techniques its news articles never show (Questioning the
reputation, Appeal to values): a tagger never trained on one scores 0 there.
"""

from __future__ import annotations

import argparse

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="model directory (default: shipped)")
    args = parser.parse_args()
    memes = load_memes(split="test")
    gold_flc = [FLCRow(a.id, t, s, e) for a in memes for t, s, e in a.spans]
    gold_si = [SIRow(r.article_id, r.start, r.end) for r in gold_flc]
    table = Table(title=f"held-out memes ({len(memes)} texts, {len(gold_flc)} gold spans)")
    for column in ("model", "SI F1", "span+tech F1", *(f"{t} F1 (gold)" for t in SHOWN)):
        table.add_column(column, justify="left" if column == "model" else "right")
    for name in args.model or [None]:
        model = load_model(name).for_language("en")
        pred = [
            FLCRow(a.id, r.technique, r.start, r.end)
            for a in memes
            for r in model.spans_of(model.encode(a.text))
        ]
        si = score_si(gold_si, [SIRow(r.article_id, r.start, r.end) for r in pred])
        flc = score_flc(gold_flc, pred, labels=TECHNIQUES)
        cells = [f"{flc.per_label[t]['f1']:.3f} ({flc.per_label[t]['support']})" for t in SHOWN]
        table.add_row(name or "shipped", f"{si.f1:.3f}", f"{flc.f1:.3f}", *cells)
    Console().print(table)


if __name__ == "__main__":
    main()
