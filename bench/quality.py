"""Quality on the held-out split, with the official metrics; prints a table.

    python bench/quality.py [--split test] [--model DIR] [--threshold T]

SI, TC and FLC (14 PTC labels) are measured on the PTC versions of the split's articles,
ST3 (23 techniques, per paragraph) and span + technique (23 techniques) on their SemEval-2023
versions. The split is the deterministic one of ``propscope.corpora.split_of``; the shipped
model never saw ``test`` (neither for training nor for choosing thresholds). Trivial
baselines are printed beside.
"""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table

from propscope.analysis import analyze, label_spans, spans_touching
from propscope.article import Article
from propscope.corpora import default_data_dir, load_ptc, load_semeval2023
from propscope.evaluate import score_flc, score_si, score_st3, score_tc
from propscope.io.formats import FLCRow, SIRow, ST3Row, read_st1, read_st3
from propscope.io.submission import flc_rows, si_rows, st3_rows
from propscope.models.tagger import load_model, load_multilingual_model
from propscope.taxonomy import PTC_TECHNIQUES, TECHNIQUES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["test", "tune", "train"])
    parser.add_argument("--model", default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--quantize", action="store_true", help="int8 encoder (CPU-dependent)")
    args = parser.parse_args()

    model = load_model(args.model, quantize=args.quantize)
    ptc = load_ptc(split=args.split)
    semeval = load_semeval2023("en", split=args.split)
    started = time.time()
    analyses = [
        analyze(Article.from_text(a.text, id=a.id), model, threshold=args.threshold) for a in ptc
    ]
    seconds = time.time() - started

    gold_si = [SIRow(a.id, s, e) for a in ptc for _, s, e in a.spans]
    gold_flc = [FLCRow(a.id, t, s, e) for a in ptc for t, s, e in a.spans]
    si = score_si(gold_si, si_rows(analyses))
    flc = score_flc(gold_flc, flc_rows(analyses, "ptc14"), labels=PTC_TECHNIQUES)
    template = [row._replace(technique="?") for row in gold_flc]
    texts = {a.id: a.text for a in ptc}
    tc = score_tc(gold_flc, label_spans(template, texts, model), labels=PTC_TECHNIQUES)
    # what `propscope label-spans` does by default: this tagger and the multilingual one
    # averaged (the same pair when --model is the shipped English model)
    pair = (model, load_multilingual_model().for_language("en"))
    tc_pair = score_tc(gold_flc, label_spans(template, texts, pair), labels=PTC_TECHNIQUES)

    st3_analyses = [
        analyze(Article.from_text(a.text, id=a.id), model, threshold=args.threshold)
        for a in semeval
    ]
    gold_st3 = _st3_gold(semeval)
    # Span + technique over the 23 techniques, on the SemEval-2023 versions of the articles
    # (the measure; `bench/thresholds.py` decodes the same without the analysis).
    span_tech = score_flc(
        [FLCRow(a.id, t, s, e) for a in semeval for t, s, e in a.spans],
        flc_rows(st3_analyses, "semeval2023"),
        labels=TECHNIQUES,
    )
    # From the spans alone; as `--format st3` writes it (the paragraph probe on the tagger's
    # token probabilities, fitted on the `train` split: held out on tune and test); and the
    # report's paragraph sets (spans + probe).
    st3 = score_st3(gold_st3, _span_st3_rows(st3_analyses), TECHNIQUES)
    st3_export = score_st3(gold_st3, st3_rows(st3_analyses), TECHNIQUES)
    st3_report = score_st3(
        gold_st3,
        [ST3Row(a.article.id, p.index, p.techniques) for a in st3_analyses for p in a.paragraphs],
        TECHNIQUES,
    )

    # Baselines named in the issue: every sentence a span (SI); always Loaded_Language (TC).
    sentence_si = score_si(
        gold_si,
        [
            SIRow(a.id, s.start, s.end)
            for a in (Article.from_text(x.text, id=x.id) for x in ptc)
            for s in a.sentences
        ],
    )
    loaded = score_tc(
        gold_flc, [r._replace(technique="Loaded_Language") for r in gold_flc], PTC_TECHNIQUES
    )

    table = Table(title=f"propscope on split '{args.split}' ({len(ptc)} articles)")
    for column in ("task", "metric", "propscope", "P", "R", "baseline"):
        table.add_column(column, justify="right" if column not in ("task", "metric") else "left")
    table.add_row(
        "SI",
        "F1 (soft overlap)",
        f"{si.f1:.4f}",
        f"{si.precision:.4f}",
        f"{si.recall:.4f}",
        f"{sentence_si.f1:.4f} every sentence",
    )
    table.add_row(
        "TC",
        "micro-F1, 14 labels",
        f"{tc.f1:.4f}",
        "",
        "",
        f"{loaded.f1:.4f} always Loaded_Language",
    )
    table.add_row(
        "TC",
        "micro-F1, averaged with the multilingual tagger (label-spans' default)",
        f"{tc_pair.f1:.4f}",
        "",
        "",
        "",
    )
    table.add_row(
        "FLC", "F1, 14 labels", f"{flc.f1:.4f}", f"{flc.precision:.4f}", f"{flc.recall:.4f}", ""
    )
    table.add_row(
        "span+tech",
        "F1, 23 labels (SemEval-2023 spans)",
        f"{span_tech.f1:.4f}",
        f"{span_tech.precision:.4f}",
        f"{span_tech.recall:.4f}",
        "",
    )
    for name, score in (
        ("from the spans", st3),
        ("`--format st3` (paragraph probe)", st3_export),
        ("report's paragraph sets (spans + probe)", st3_report),
    ):
        table.add_row(
            "ST3",
            f"micro-F1, 23 labels, {name}",
            f"{score.f1:.4f}",
            f"{score.precision:.4f}",
            f"{score.recall:.4f}",
            "",
        )
    console = Console()
    console.print(table)
    _sensitivity_table(console, model, ptc, gold_si)
    _calibration_table(console, model, semeval)
    _genre_table(console, model)
    n_pred = sum(len(a.spans) for a in analyses)
    console.print(
        f"{len(gold_si)} gold SI spans, {n_pred} predicted; "
        f"analysis took {seconds:.1f} s ({len(ptc) / seconds:.2f} articles/s); "
        f"model {model.meta.get('version')} quantized={model.quantized}, decoding {model.decoding}"
    )
    per = Table(title="TC per technique (gold spans of the split)")
    for column in ("technique", "P", "R", "F1", "support"):
        per.add_column(column)
    for label, values in tc.per_label.items():
        per.add_row(
            label,
            *(f"{values[k]:.3f}" for k in ("precision", "recall", "f1")),
            str(int(values["support"])),
        )
    console.print(per)


def _sensitivity_table(console, model, ptc, gold_si) -> None:
    """SI precision/recall of each --sensitivity setting (thresholds chosen on 'tune')."""
    table = Table(title="--sensitivity settings (SI, soft overlap)")
    for column in ("setting", "threshold", "precision", "recall", "F1", "spans"):
        table.add_column(column, justify="right")
    for name in ("strict", "balanced", "high"):
        threshold = model.sensitivity.get(name, model.decoding["threshold"])
        pred = si_rows(
            analyze(Article.from_text(a.text, id=a.id), model, threshold=threshold) for a in ptc
        )
        score = score_si(gold_si, pred)
        table.add_row(
            name,
            f"{threshold:.3f}",
            f"{score.precision:.4f}",
            f"{score.recall:.4f}",
            f"{score.f1:.4f}",
            str(len(pred)),
        )
    console.print(table)


def _genre_table(console, model) -> None:
    """Findings per 1,000 words by gold genre (ST1) on every article the span tagger did not
    train on (tune + test): how noisy each setting is on reporting compared with opinion."""
    import re

    from propscope.corpora import split_of

    labels = default_data_dir() / "semeval2023_task3" / "en" / "train-labels-subtask-1.txt"
    genre = {row.article_id: row.label for row in read_st1(labels)}
    held_out = [a for a in load_semeval2023("en") if split_of(a.id) != "train" and a.id in genre]
    table = Table(title="findings per 1,000 words by genre (held-out articles: tune + test)")
    for column in ("genre", "articles", "words", "strict", "balanced", "high", "gold spans"):
        table.add_column(column, justify="right")
    for name in ("reporting", "opinion", "satire"):
        chosen = [a for a in held_out if genre[a.id] == name]
        words = sum(len(re.findall(r"\w+", a.text)) for a in chosen)
        if not words:
            continue
        rates = [
            sum(len(model.predict(a.text, threshold=model.sensitivity[s])) for a in chosen)
            / words
            * 1000
            for s in ("strict", "balanced", "high")
        ]
        gold = sum(len(a.spans) for a in chosen) / words * 1000
        table.add_row(
            name, str(len(chosen)), str(words), *(f"{r:.1f}" for r in rates), f"{gold:.1f}"
        )
    console.print(table)


def _calibration_table(console, model, semeval) -> None:
    """Expected calibration error of span confidences before and after calibration."""
    from propscope.models.calibration import reliability
    from propscope.train import span_outcomes

    raw, correct = span_outcomes(model, semeval)
    ece_raw, _ = reliability(raw, correct)
    calibrated = [model.calibration(s) for s in raw] if model.calibration else raw
    ece_cal, rows = reliability(calibrated, correct)
    console.print(
        f"span confidence ECE (10 bins, {len(raw)} predicted spans, correct = overlaps a gold "
        f"span of the same technique): raw {ece_raw:.4f} -> calibrated {ece_cal:.4f}"
    )
    table = Table(title="reliability of calibrated span confidence")
    for column in ("bin", "spans", "mean confidence", "share correct"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    console.print(table)


def _span_st3_rows(analyses) -> list[ST3Row]:
    """ST3 rows from the techniques of the spans touching each paragraph."""
    rows = []
    for a in analyses:
        for p in a.paragraphs:
            found = {s.technique for s in spans_touching(p.start, p.end, a.spans)}
            rows.append(ST3Row(a.article.id, p.index, tuple(t for t in TECHNIQUES if t in found)))
    return rows


def _st3_gold(articles):
    """The official paragraph labels (``train-labels-subtask-3.txt``) of the split's articles."""
    ids = {a.id for a in articles}
    path = default_data_dir() / "semeval2023_task3" / "en" / "train-labels-subtask-3.txt"
    return [row for row in read_st3(path, labels=TECHNIQUES) if row.article_id in ids]


if __name__ == "__main__":
    main()
