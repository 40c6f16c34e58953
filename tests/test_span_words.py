"""The span-words model: a span's own words as evidence of its technique."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from propscope.corpora import load_semeval2023
from propscope.models.span_words import SPAN_WORDS_FILE, SpanWords
from propscope.models.tagger import (
    FOUND_HEAD_FILE,
    SHIPPED_MODEL,
    SHIPPED_MULTILINGUAL_MODEL,
    SpanTagger,
)
from propscope.taxonomy import TECHNIQUES


@pytest.fixture(scope="module")
def english_spans(data_dir):
    def spans(split):
        rows = [
            (a.text[s:e], t)
            for a in load_semeval2023("en", data_dir, split=split)
            for t, s, e in a.spans
        ]
        return [r[0] for r in rows], [r[1] for r in rows]

    return spans("train"), spans("tune")


def test_words_alone_label_held_out_spans_far_above_the_majority(english_spans, tmp_path):
    (texts, labels), (held_texts, held_labels) = english_spans
    model = SpanWords.fit(texts, labels)
    probs = model.probabilities(held_texts, TECHNIQUES)
    assert probs.shape == (len(held_texts), 23)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    untrained = [i for i, t in enumerate(TECHNIQUES) if t not in set(labels)]
    assert untrained and not probs[:, untrained].any()  # never seen, never predicted
    predicted = [TECHNIQUES[i] for i in probs.argmax(axis=1)]
    accuracy = np.mean([p == g for p, g in zip(predicted, held_labels, strict=True)])
    majority = max(set(held_labels), key=held_labels.count)
    share = held_labels.count(majority) / len(held_labels)
    assert accuracy > share + 0.1, (accuracy, majority, share)
    # the words themselves: a label, a threat, a flag
    phrases = {
        "radical leftist thugs": "Name_Calling-Labeling",
        "a deadly threat that will kill thousands of innocent children": "Appeal_to_Fear-Prejudice",
        "patriots who love America": "Flag_Waving",
        "stupid and idiotic": "Loaded_Language",
    }
    best = model.probabilities(list(phrases), TECHNIQUES).argmax(axis=1)
    assert [TECHNIQUES[i] for i in best] == list(phrases.values())
    # stored as plain arrays, and read back to the same probabilities
    model.save(tmp_path)
    again = SpanWords.load(tmp_path)
    assert again is not None and again.classes == model.classes
    assert np.array_equal(again.probabilities(held_texts[:50], TECHNIQUES), probs[:50])
    assert SpanWords.load(tmp_path / "elsewhere") is None


@pytest.mark.parametrize("folder", [SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL])
def test_shipped_taggers_blend_the_words_with_the_weight_chosen_held_out(folder):
    tagger = SpanTagger.load(folder)
    assert tagger.span_words is not None
    meta = tagger.span_words.meta
    weight = tagger.decoding["words"]
    assert weight == meta["weight"] > 0
    by_weight = meta["held_out_accuracy_by_weight"]
    assert by_weight[str(weight)] == max(by_weight.values()) > by_weight["0.0"]
    text = "The radical leftist thugs want to destroy our country, our values and our future."
    view = tagger.for_language("en")
    encoded = view.encode(text)
    spans = [(4, 25), (31, 50)]
    blended = view.classify(encoded, spans)
    view.decoding = {**view.decoding, "words": 0.0}
    alone = view.classify(encoded, spans)
    words = tagger.span_words.probabilities([text[s:e] for s, e in spans], tagger.techniques)
    assert np.allclose(blended, (1 - weight) * alone + weight * words, atol=1e-6)


def test_refit_writes_the_words_weight_and_calibration(tmp_path, data_dir, example_path):
    """``propscope train --span-words-only`` on a copy of the shipped English model (few
    articles): the file, the chosen weight and a fresh calibration; the copy still analyses."""
    from typer.testing import CliRunner

    from propscope.analysis import analyze
    from propscope.cli import app
    from propscope.train import WORD_WEIGHTS

    folder = tmp_path / "english"
    shutil.copytree(
        SHIPPED_MODEL, folder, ignore=shutil.ignore_patterns("multilingual", "articles")
    )
    (folder / SPAN_WORDS_FILE).unlink()
    args = ["train", "--span-words-only", "--output", str(folder), "--data", str(data_dir)]
    result = CliRunner().invoke(app, [*args, "--limit", "30", "--tune-limit", "3"])
    assert result.exit_code == 0, result.output
    meta = json.loads((folder / "propscope.json").read_text(encoding="utf-8"))
    words = SpanWords.load(folder)
    assert words is not None and words.meta["trained_on"] == {"en": 30}
    assert meta["decoding"]["words"] == words.meta["weight"] in WORD_WEIGHTS
    assert set(words.meta["held_out_accuracy_by_language"]) == {"en"}
    assert meta["calibration"]["method"] in ("none", "platt", "isotonic")
    analysis = analyze(example_path.read_text(encoding="utf-8"), SpanTagger.load(folder))
    assert analysis.paragraphs


@pytest.mark.parametrize("name", [SPAN_WORDS_FILE, FOUND_HEAD_FILE])
def test_a_damaged_model_file_is_one_clear_error(tmp_path, example_path, name):
    """A truncated ``.npz`` in a model directory (a broken copy, a full disk) stops the
    analysis with one line naming the file, not a zipfile traceback."""
    from typer.testing import CliRunner

    from propscope.cli import app

    folder = tmp_path / "model"
    shutil.copytree(
        SHIPPED_MODEL, folder, ignore=shutil.ignore_patterns("multilingual", "articles")
    )
    whole = (folder / name).read_bytes()
    (folder / name).write_bytes(whole[: len(whole) // 3])
    result = CliRunner().invoke(app, ["analyze", str(example_path), "--model", str(folder)])
    assert result.exit_code == 2, result.output
    assert f"{name}' is damaged" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
