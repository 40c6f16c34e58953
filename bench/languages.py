"""Quality per language: the multilingual span tagger and genre model next to the character
n-gram models they complement and a trivial baseline; prints one table.

    python bench/languages.py               # the cross-validated numbers stored at training
    propscope train-multilingual --output DIR   # recomputes them (see README)

Every number is cross-validated by article (the training data only; the independent
evaluation set is never seen):
- spans (multilingual tagger): 3 folds; per language, the threshold is chosen on half of
  the held-out fold (by article id) and the scores are on the other half; mean ± std over
  the folds. "span+tech" is the span + technique soft F1 (SI-style partial overlap counted
  only where techniques agree, 23 techniques); ST3 is derived from the predicted spans.
  Baseline: every paragraph is one span of the language's most common technique.
- genre (ST1 macro-F1): 5 folds stratified by language and genre, out-of-fold predictions
  pooled per language; baseline: the language's majority genre. The shipped model fits the
  labels of fr/de/it/pl/ru only (English is zero-shot; see GENRE_LABEL_LANGUAGES in
  ``propscope.train_multilingual``); "every language's labels" is the same run with English's
  labels fitted too, and "language left out" scores each language with a model fitted on the
  other four.
- frames (ST2 micro-F1, "ST2 e5"): the shipped frame model (pooled e5 states + style, all six
  languages' labels), 5 folds stratified by language and genre, the folds of the n-gram
  column; `python bench/frames.py` refits both on the same folds over several seeds.
- n-gram columns: the 5-fold numbers of the per-language character n-gram models
  (`python bench/article_models.py --shipped`).
- ST3 e5 probe: the paragraph probe on the frozen encoder (one linear layer for all six
  languages, `propscope.models.paragraph_encoder`), 5 folds by article, thresholds chosen on
  inner folds; "ST3 n-gram, same folds" is the n-gram model refitted on those folds.
English spans come from the fine-tuned MiniLM tagger (see `bench/quality.py`); the
multilingual tagger's English row is shown for comparison only (`bench/english_encoders.py`
compares the two English encoders on the same folds).
"""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table

from propscope.models.article_classifiers import ARTICLE_MODELS_DIR, META_FILE
from propscope.models.frames import PooledFrameModel
from propscope.models.genre import PooledGenreModel
from propscope.models.paragraph_encoder import ParagraphProbe
from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL

LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")


def _cell(stats: dict | None, key: str) -> str:
    if not stats or key not in stats:
        return "–"
    value = stats[key]
    if isinstance(value, dict):
        return f"{value['mean']:.3f} ± {value['std']:.3f}"
    return f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(SHIPPED_MULTILINGUAL_MODEL))
    args = parser.parse_args()

    meta = json.loads((SHIPPED_MULTILINGUAL_MODEL / "propscope.json").read_text("utf-8"))
    if args.model != str(SHIPPED_MULTILINGUAL_MODEL):
        from pathlib import Path

        meta = json.loads((Path(args.model) / "propscope.json").read_text("utf-8"))
    spans = meta.get("cross_validation", {}).get("per_language", {})
    genre_model = PooledGenreModel.load(SHIPPED_MULTILINGUAL_MODEL)
    genre = genre_model.meta["cross_validation"]["per_language"] if genre_model else {}
    with_all = (
        genre_model.meta.get("with_all_labels", {}).get("per_language", {}) if genre_model else {}
    )
    zero_shot = genre_model.meta.get("leave_one_language_out", {}) if genre_model else {}
    frame_model = PooledFrameModel.load(SHIPPED_MULTILINGUAL_MODEL)
    frames = frame_model.meta["cross_validation"]["per_language"] if frame_model else {}
    probe_model = ParagraphProbe.load(SHIPPED_MULTILINGUAL_MODEL)
    probe = probe_model.meta["cross_validation"]["per_language"] if probe_model else {}
    ngram = json.loads((ARTICLE_MODELS_DIR / META_FILE).read_text("utf-8"))["metrics"]
    ngram_cv = ngram["cross_validation"]

    table = Table(title="quality per language (cross-validated by article)")
    columns = (
        "lang",
        "SI F1",
        "span+tech F1",
        "span+tech baseline",
        "ST3 from spans",
        "ST3 e5 probe",
        "ST3 n-gram, same folds",
        "ST3 n-gram",
        "ST3 baseline",
        "ST1 e5",
        "ST1 e5, every language's labels",
        "ST1 e5, language left out",
        "ST1 n-gram",
        "ST1 majority",
        "ST2 e5",
        "ST2 n-gram",
        "ST2 top-3",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "lang" else "right")
    for lang in LANGUAGES:
        s = spans.get(lang)
        g = genre.get(lang, {})
        table.add_row(
            lang,
            _cell(s, "si_f1"),
            _cell(s, "span_technique_f1"),
            _cell(s, "baseline_span_technique_f1"),
            _cell(s, "st3_f1_from_spans"),
            _cell(probe.get(lang), "micro_f1"),
            _cell(probe.get(lang), "ngram_micro_f1"),
            f"{ngram_cv['st3'][lang]:.3f}",
            f"{ngram_cv['baselines']['st3_most_frequent'][lang]:.3f}",
            f"{g['macro_f1']:.3f}" if g else "–",
            f"{with_all[lang]['macro_f1']:.3f}" if lang in with_all else "–",
            f"{zero_shot[lang]:.3f}" if lang in zero_shot else "–",
            f"{ngram_cv['st1'][lang]:.3f}",
            f"{ngram_cv['baselines_articles']['st1_majority'][lang]:.3f}",
            f"{frames[lang]:.3f}" if lang in frames else "–",
            f"{ngram_cv['st2'][lang]:.3f}",
            f"{ngram_cv['baselines_articles']['st2_top3_frames'][lang]:.3f}",
        )
    console = Console(width=200)
    console.print(table)
    cv = meta.get("cross_validation", {})
    console.print(
        f"multilingual tagger: {cv.get('folds', '?')} folds, {cv.get('epochs', '?')} epochs; "
        f"{meta.get('trained_on', '')}"
    )
    if probe_model:
        console.print(
            f"paragraph probe: {probe_model.meta['trained_on']}; serves "
            f"{', '.join(probe_model.meta['languages']) or 'no language'}"
        )
    if genre_model:
        console.print(f"genre: {genre_model.meta.get('trained_on')}, C={genre_model.meta['C']}")
        for lang, row in genre.items():
            also = with_all.get(lang, {}).get("reporting_auc")
            console.print(
                f"  {lang}: {row['reporting_predicted']} articles predicted reporting, "
                f"{row['reporting_gold']} in the gold labels; reporting-against-opinion AUC "
                f"{row.get('reporting_auc') or float('nan'):.3f}"
                + (f" ({also:.3f} with every language's labels)" if also is not None else "")
            )


if __name__ == "__main__":
    main()
