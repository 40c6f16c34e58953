"""The found-span head: the spans the tagger finds are labelled by a head trained on such
spans; spans given from outside (SemEval TC) keep the gold-trained head."""

from __future__ import annotations

import json
import random
import shutil

import numpy as np
import pytest

from propscope.corpora import LabelledArticle, load_semeval2023
from propscope.models.tagger import FOUND_HEAD_FILE, SHIPPED_MODEL, SpanTagger
from propscope.train_found_head import found_candidates, overlap_target


@pytest.fixture(scope="module")
def tagger():
    return SpanTagger.load(SHIPPED_MODEL)


def test_a_span_learns_each_technique_by_the_characters_it_shares_with_it():
    article = LabelledArticle(
        "1",
        "They are corrupt thieves and liars, all of them.",
        (("Name_Calling-Labeling", 9, 24), ("Loaded_Language", 9, 16), ("Doubt", 40, 47)),
    )
    index = {"Name_Calling-Labeling": 0, "Loaded_Language": 1, "Doubt": 2}
    # "corrupt thieves and" (9-28): 15 characters of name calling, 7 of loaded language
    target = overlap_target(article, 9, 28, index)
    assert target is not None and np.allclose(target, [15 / 22, 7 / 22, 0])
    assert overlap_target(article, 0, 8, index) is None  # touches no gold span


def test_training_spans_of_a_real_article_are_gold_jittered_and_found(tagger, data_dir):
    article = next(a for a in load_semeval2023("en", data_dir, split="train") if len(a.spans) > 5)
    encoded = tagger.encode(article.text)
    found = found_candidates(tagger, encoded, article, random.Random(0))
    gold = {(s, e) for _, s, e in article.spans}
    assert gold <= {(s, e) for s, e, _ in found}
    assert len(found) > 3 * len(gold)  # jittered copies and detections as well
    for start, end, target in found:
        assert 0 <= start < end <= len(article.text)
        assert target.sum() == pytest.approx(1.0, abs=1e-5)
        touched = {t for t, s, e in article.spans if min(end, e) > max(start, s)}
        assert {tagger.techniques[i] for i in np.flatnonzero(target)} <= touched
    assert any((s, e) not in gold for s, e, _ in found)


def test_found_spans_get_the_found_head_and_given_spans_keep_the_span_head(tagger, data_dir):
    assert tagger.found_head is not None and tagger.decoding["found"] == 1
    english = tagger.found_head_meta["by_language"]["en"]
    assert english["used"]
    assert english["held_out_span_tech_f1_found_head"] > english["held_out_span_tech_f1_span_head"]
    article = load_semeval2023("en", data_dir, split="tune")[0]
    encoded = tagger.encode(article.text)
    spans = [(s, e) for _, s, e in article.spans]
    given = tagger.classify(encoded, spans)
    by_found_head = tagger.classify(encoded, spans, found=True)
    assert not np.allclose(given, by_found_head)
    without = SpanTagger.load(SHIPPED_MODEL)
    without.found_head = None
    assert np.allclose(given, without.classify(encoded, spans))
    assert np.allclose(given, without.classify(encoded, spans, found=True))
    found = tagger.spans_of(encoded, calibrated=False)
    probs = tagger.classify(encoded, [(r.start, r.end) for r in found], found=True)
    assert [r.technique for r in found] == [tagger.techniques[i] for i in probs.argmax(axis=1)]


def test_refit_writes_the_head_its_use_and_a_calibration(tmp_path, data_dir, example_path):
    """``propscope train --found-head-only`` on a copy of the shipped English model (few
    articles): the file, whether it is used, a fresh calibration; the copy still analyses."""
    from typer.testing import CliRunner

    from propscope.analysis import analyze
    from propscope.cli import app

    folder = tmp_path / "english"
    shutil.copytree(
        SHIPPED_MODEL, folder, ignore=shutil.ignore_patterns("multilingual", "articles")
    )
    (folder / FOUND_HEAD_FILE).unlink()
    args = ["train", "--found-head-only", "--output", str(folder), "--data", str(data_dir)]
    result = CliRunner().invoke(app, [*args, "--limit", "6", "--tune-limit", "3"])
    assert result.exit_code == 0, result.output
    meta = json.loads((folder / "propscope.json").read_text(encoding="utf-8"))
    refitted = SpanTagger.load(folder)
    head = refitted.found_head_meta
    assert refitted.found_head is not None and head["trained_on"] == {"en": 6}
    assert head["training_spans"] == meta["found_head"]["training_spans"] > 0
    english = head["by_language"]["en"]
    assert english["held_out_articles"] == 3
    assert meta["decoding"]["found"] == int(english["used"])
    assert meta["calibration"]["method"] in ("none", "platt", "isotonic")
    analysis = analyze(example_path.read_text(encoding="utf-8"), refitted)
    assert analysis.paragraphs


def test_a_found_head_of_another_model_is_one_clear_error(tmp_path, example_path):
    """The multilingual model's head copied into the English model directory (a hand-made
    mix-up; the shapes agree), or a head of other shapes: one line naming the file and the
    command that refits it."""
    from typer.testing import CliRunner

    from propscope.cli import app
    from propscope.models.array_files import load_arrays, save_arrays
    from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL

    folder = tmp_path / "model"
    shutil.copytree(
        SHIPPED_MODEL, folder, ignore=shutil.ignore_patterns("multilingual", "articles")
    )
    shutil.copy2(SHIPPED_MULTILINGUAL_MODEL / FOUND_HEAD_FILE, folder / FOUND_HEAD_FILE)
    run = ["analyze", str(example_path), "--model", str(folder)]
    result = CliRunner().invoke(app, run)
    assert result.exit_code == 2, result.output
    assert "trained for the tagger 'propscope-multilingual-span-tagger'" in result.output
    assert "--found-head-only" in result.output and "Traceback" not in result.output
    arrays, meta = load_arrays(SHIPPED_MODEL / FOUND_HEAD_FILE)
    arrays["0.weight"] = arrays["0.weight"][:, :100]
    save_arrays(folder / FOUND_HEAD_FILE, arrays, meta)
    result = CliRunner().invoke(app, run)
    assert result.exit_code == 2, result.output
    assert "does not fit this model's span head" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
