"""Span + technique F1 with the span head and with the found-span head; prints a table.

    python bench/found_head.py [--model DIR] [--language en]

The tagger's detections are labelled once by the gold-trained span head and once by the
found-span head (`propscope.train_found_head`), on the held-out articles of a language
(English: the tune and test splits; the multilingual model's other languages: their tune
part). Detection is the same, so SI does not move. Per split: span + technique F1 (23
techniques) for both, the paired bootstrap over articles of the change (2,000 draws), and,
of the found spans that touch a gold span, the share whose technique is one of the touched
gold spans' (with the found boundaries), against the same spans labelled with the
boundaries of the gold span they overlap most.
"""

from __future__ import annotations

import argparse

import numpy as np
from rich.console import Console
from rich.table import Table

from propscope.corpora import load_semeval2023
from propscope.evaluate import score_flc
from propscope.io.formats import FLCRow
from propscope.models.tagger import load_model
from propscope.taxonomy import TECHNIQUES

DRAWS = 2000


def held_out(model, language: str) -> dict[str, list]:
    if language == "en":
        return {split: load_semeval2023("en", split=split) for split in ("tune", "test")}
    from propscope.train import held_out_corpus

    return {"tune part": held_out_corpus(model)[1][language]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    base = load_model(args.model)
    if base.found_head is None:
        raise SystemExit(f"error: {args.model or 'the shipped model'} has no found-span head")
    model = base.for_language(args.language)
    settings = model.decoding
    table = Table(title=f"{args.language}: the span head against the found-span head")
    for column in (
        "split (articles)",
        "span+tech, span head",
        "span+tech, found head",
        "change (95%)",
        "technique right, span head: found / gold boundaries",
        "found head: found / gold boundaries",
    ):
        table.add_column(column, justify="left" if column.startswith("split") else "right")
    for split, articles in held_out(base, args.language).items():
        encoded = [model.encode(a.text) for a in articles]
        gold = {a.id: [FLCRow(a.id, t, s, e) for t, s, e in a.spans] for a in articles}
        preds, right = [], []
        for found in (0, 1):
            model.decoding = {**settings, "found": found}
            pred, hits = {}, [[], []]
            for a, enc in zip(articles, encoded, strict=True):
                spans = model.spans_of(enc, calibrated=False)
                pred[a.id] = [FLCRow(a.id, r.technique, r.start, r.end) for r in spans]
                pairs = []
                for r in spans:
                    touched = [
                        (min(r.end, e) - max(r.start, s), s, e, t)
                        for t, s, e in a.spans
                        if min(r.end, e) > max(r.start, s)
                    ]
                    if touched:
                        _, s, e, _ = max(touched)
                        pairs.append((r.technique, (s, e), {t for *_, t in touched}))
                if pairs:
                    at_gold = model.classify(enc, [p[1] for p in pairs], found=True)
                    for (technique, _, techniques), p in zip(pairs, at_gold, strict=True):
                        hits[0].append(technique in techniques)
                        hits[1].append(model.techniques[int(p.argmax())] in techniques)
            preds.append(pred)
            right.append(f"{np.mean(hits[0]):.3f} / {np.mean(hits[1]):.3f} ({len(hits[0])})")

        def f1(pred: dict, ids, gold: dict = gold) -> float:
            g = [row for i in ids for row in gold[i]]
            return score_flc(g, [row for i in ids for row in pred[i]], labels=TECHNIQUES).f1

        ids = [a.id for a in articles]
        rng = np.random.default_rng(0)
        diffs = []
        for _ in range(DRAWS):
            drawn = list(rng.choice(ids, size=len(ids)))
            diffs.append(f1(preds[1], drawn) - f1(preds[0], drawn))
        low, high = np.percentile(diffs, [2.5, 97.5])
        whole = [f1(p, ids) for p in preds]
        table.add_row(
            f"{split} ({len(articles)})",
            f"{whole[0]:.3f}",
            f"{whole[1]:.3f}",
            f"{whole[1] - whole[0]:+.3f} ({low:+.3f} to {high:+.3f})",
            *right,
        )
    model.decoding = settings
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
