"""Article-level models, 5-fold cross-validation by article; prints a table per language.

    python bench/article_models.py            # recompute (~20 min on one free CPU core)
    python bench/article_models.py --shipped  # the numbers stored with the shipped models

ST1 genre macro-F1 and ST2 framing micro-F1 come from one model trained on all six
languages (folds stratified by language and genre); ST3 paragraph-technique micro-F1 from
one model per language (folds grouped by article). All scores are the official SemEval-2023
definitions (`propscope.evaluate`) over the pooled held-out predictions of the five folds;
vocabulary, calibration and thresholds are fitted on the training folds only (nested).
Baselines in brackets: ST1 majority genre of the language, ST2 the language's three most
frequent frames for every article, ST3 the k most frequent techniques for every paragraph.
"""

from __future__ import annotations

import argparse
import json
import time

from rich.console import Console
from rich.table import Table

from propscope.language import SEMEVAL_CODE
from propscope.models.article_classifiers import ARTICLE_MODELS_DIR, META_FILE
from propscope.train_articles import cross_validate_article_models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipped", action="store_true", help="print the stored CV numbers")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print the raw results")
    args = parser.parse_args()

    console = Console()
    started = time.time()
    if args.shipped:
        meta = json.loads((ARTICLE_MODELS_DIR / META_FILE).read_text(encoding="utf-8"))
        results = meta["metrics"]["cross_validation"]
        source = f"stored in {ARTICLE_MODELS_DIR / META_FILE}"
    else:
        results = cross_validate_article_models(folds=args.folds, log=console.log)
        source = f"recomputed in {time.time() - started:.0f} s"

    base = {**results.get("baselines_articles", {}), **results.get("baselines", {})}
    folds = results["settings"]["folds"]
    table = Table(title=f"Article-level models, {folds}-fold CV by article ({source})")
    table.add_column("language")
    table.add_column("ST1 macro-F1 [majority]", justify="right")
    table.add_column("ST2 micro-F1 [top-3 frames]", justify="right")
    table.add_column("ST3 micro-F1 [most frequent]", justify="right")

    def cell(task: str, baseline: str, lang: str) -> str:
        value = results.get(task, {}).get(lang)
        if value is None:
            return "-"
        reference = base.get(baseline, {}).get(lang)
        return f"{value:.3f}" + (f" [{reference:.3f}]" if reference is not None else "")

    for lang in [*SEMEVAL_CODE, "all"]:
        name = f"{lang} ({SEMEVAL_CODE[lang]})" if lang in ("de", "pl") else lang
        table.add_row(
            name,
            cell("st1", "st1_majority", lang),
            cell("st2", "st2_top3_frames", lang),
            cell("st3", "st3_most_frequent", lang),
        )
    console.print(table)
    console.print(
        "ST1 'all' pools the six languages' held-out articles (macro-F1 over the three genres); "
        "ST3 has one model per language, so no pooled value."
    )
    calibration = results.get("st3_calibration", {})
    if calibration:
        console.print(_calibration_table(calibration))
    if args.json:
        console.print_json(json.dumps(results))


def _calibration_table(calibration: dict) -> Table:
    """ECE per language and the reliability bins pooled over languages (held-out cells)."""
    table = Table(title="ST3 paragraph probabilities: calibration on held-out folds")
    table.add_column("bin / language")
    table.add_column("cells", justify="right")
    table.add_column("mean probability", justify="right")
    table.add_column("observed rate", justify="right")
    table.add_column("ECE raw sigmoid -> Platt", justify="right")
    for lang, outcome in calibration.items():
        table.add_row(
            lang,
            str(outcome["paragraphs"] * 23),
            "",
            "",
            f"{outcome['ece_raw_sigmoid']:.4f} -> {outcome['ece_platt']:.4f}",
        )
    bins = [row for outcome in calibration.values() for row in outcome["reliability"]]
    for low in sorted({row["low"] for row in bins}):
        rows = [row for row in bins if row["low"] == low]
        n = sum(row["count"] for row in rows)
        if n == 0:
            continue
        mean = sum(row["count"] * row["mean_probability"] for row in rows) / n
        observed = sum(row["count"] * row["observed_rate"] for row in rows) / n
        table.add_row(f"{low:.1f}-{low + 0.1:.1f}", str(n), f"{mean:.3f}", f"{observed:.3f}", "")
    return table


if __name__ == "__main__":
    main()
