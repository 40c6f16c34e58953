"""What the span-words model adds to technique labels, per language; prints a table.

    python bench/span_words.py [--model DIR ...]

For each model directory (default: the shipped English and multilingual ones) it prints the
numbers stored when its span-words model was fitted (``propscope train --span-words-only
--output DIR`` recomputes them): on the gold spans of the held-out articles (English: the
``tune`` split; fr/de/it/pl/ru: the multilingual tagger's tune part), the share whose most
likely technique is one of theirs, with the words blended in at each weight tried. The
weight was chosen on all languages' spans together.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.models.span_words import SpanWords
from propscope.models.tagger import SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", default=None)
    args = parser.parse_args()
    console = Console()
    for folder in args.model or [SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL]:
        model = SpanWords.load(folder)
        if model is None:
            console.print(f"{folder}: no span-words model")
            continue
        meta = model.meta
        weights = list(meta["held_out_accuracy_by_weight"])
        table = Table(
            title=f"{folder.name}: technique accuracy on held-out gold spans by the words' "
            f"weight (chosen: {meta['weight']}; trained on: articles)"
        )
        table.add_column("lang")
        table.add_column("trained on", justify="right")
        for weight in weights:
            table.add_column(weight, justify="right")
        table.add_column("change", justify="right")
        chosen = str(meta["weight"])
        for lang, row in meta["held_out_accuracy_by_language"].items():
            table.add_row(
                lang,
                str(meta["trained_on"].get(lang, "")),
                *(f"{row[w]:.3f}" for w in weights),
                f"{row[chosen] - row['0.0']:+.3f}",
            )
        overall = meta["held_out_accuracy_by_weight"]
        table.add_row(
            f"all, {meta['held_out_spans']} spans",
            "",
            *(f"{overall[w]:.3f}" for w in weights),
            f"{overall[chosen] - overall['0.0']:+.3f}",
        )
        console.print(table)
        console.print(
            f"{model.weights.shape[0]:,} n-grams, {len(model.classes)} techniques, "
            f"C {meta['c']}, {meta['spans']:,} training spans, fitted in {meta['seconds']} s"
        )


if __name__ == "__main__":
    main()
