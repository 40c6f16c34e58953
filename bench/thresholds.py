"""SI and span + technique F1 of a tagger against its detection threshold; prints a table.

    python bench/thresholds.py [--model DIR] [--split tune --split test] [--threshold 0.45 ...]

Each article of the split (SemEval-2023 English = the PTC articles, 23 techniques) is
encoded once and decoded at every threshold. SI is the SemEval-2020 partial-overlap F1 over
the merged spans; span + technique is the same F1 counting overlap only where techniques are
equal (``score_flc`` over the 23 techniques). "pred / gold" is the number of predicted
spans over the number of gold ones. The default threshold (``balanced``) was
chosen on ``tune``; ``test`` shows whether that choice holds on articles nothing was chosen on.
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from propscope.corpora import load_semeval2023
from propscope.evaluate import score_flc, score_si
from propscope.io.formats import FLCRow, SIRow
from propscope.models.tagger import load_model
from propscope.taxonomy import TECHNIQUES

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.525)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--split", action="append", choices=["tune", "test"])
    parser.add_argument("--threshold", action="append", type=float)
    args = parser.parse_args()
    model = load_model(args.model).for_language("en")  # a multilingual model's English settings
    thresholds = args.threshold or THRESHOLDS
    table = Table(title=f"{model.meta.get('name', 'tagger')}: F1 against the threshold")
    columns = ("split (articles)", "threshold", "SI F1", "SI P", "SI R")
    for column in (*columns, "span+tech F1", "pred / gold"):
        table.add_column(column, justify="left" if column.startswith("split") else "right")
    for split in args.split or ["tune", "test"]:
        articles = load_semeval2023("en", split=split)
        encoded = [model.encode(a.text) for a in articles]
        gold_si = [SIRow(a.id, s, e) for a in articles for _, s, e in a.spans]
        gold_flc = [FLCRow(a.id, t, s, e) for a in articles for t, s, e in a.spans]
        for threshold in thresholds:
            # The scorers merge overlapping predictions (same-technique ones for FLC).
            flc = [
                FLCRow(article.id, r.technique, r.start, r.end)
                for article, enc in zip(articles, encoded, strict=True)
                for r in model.spans_of(enc, threshold=threshold)
            ]
            si = [SIRow(row.article_id, row.start, row.end) for row in flc]
            a, b = score_si(gold_si, si), score_flc(gold_flc, flc, labels=TECHNIQUES)
            default = " (default)" if threshold == model.sensitivity.get("balanced") else ""
            table.add_row(
                f"{split} ({len(articles)})",
                f"{threshold:g}{default}",
                f"{a.f1:.3f}",
                f"{a.precision:.3f}",
                f"{a.recall:.3f}",
                f"{b.f1:.3f}",
                f"{len(si) / len(gold_si):.2f}",
            )
    Console(width=110).print(table)


if __name__ == "__main__":
    main()
