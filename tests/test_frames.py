"""Frames from the pooled multilingual encoder states (``propscope.models.frames``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from propscope.models.frames import PooledFrameModel, load_frame_model
from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL
from propscope.taxonomy import FRAMES

FIXTURES = Path(__file__).parent / "fixtures" / "languages"


@pytest.fixture(scope="module")
def frame_model() -> PooledFrameModel:
    model = load_frame_model(SHIPPED_MULTILINGUAL_MODEL)
    assert model is not None, "the multilingual model directory ships frames.npz"
    return model


def test_the_analysis_reads_the_pooled_frame_model(example_analysis, frame_model):
    """The JSON's frames are the pooled model's, on the row genre reads (pooled frozen e5
    states + style), computed here independently of ``analyze``."""
    from propscope.models.genre import genre_style, pooled_features
    from propscope.models.multilingual import frozen_features

    a = example_analysis
    encoder, tokenizer = frozen_features(None)
    pooled = pooled_features(encoder, tokenizer, a.text, layers=frame_model.layers)
    expected = frame_model.probabilities(np.concatenate([pooled, genre_style(a.text, "en")]))
    assert set(a.frames.probabilities) == set(FRAMES)
    assert a.frames.probabilities == pytest.approx(expected, abs=1e-4)
    assert a.frames.labels == frame_model.labels(expected)
    assert a.frames.main == a.frames.labels[0]
    # an official's attack on a human-rights NGO over a war: defence first, then reputation
    assert a.frames.labels[0] == "Security_and_defense"


def test_frame_set_is_the_frames_above_the_cut_off_or_the_best_one(frame_model):
    t = frame_model.threshold
    assert 0.0 < t < 1.0
    probabilities = dict.fromkeys(FRAMES, t / 2) | {"Political": t + 0.1, "Economic": t}
    assert frame_model.labels(probabilities) == ("Political", "Economic")
    below = dict.fromkeys(FRAMES, t / 3) | {"Morality": t / 2}
    assert frame_model.labels(below) == ("Morality",)


def test_without_a_frame_file_the_ngram_model_answers(monkeypatch, model, example_path):
    import propscope.analysis as analysis
    from propscope.io.readers import read_article_file
    from propscope.models.article_classifiers import load_article_models

    article = read_article_file(example_path)
    monkeypatch.setattr(analysis, "load_frame_model", lambda _: None)
    a = analysis.analyze(article, model)
    ngram = load_article_models()
    expected = ngram.frames(article.text, "en")
    assert a.frames.probabilities == pytest.approx(expected, abs=1e-4)
    assert a.frames.labels == ngram.frame_labels(expected)


@pytest.mark.parametrize("lang", ["fr", "de", "it", "pl"])
def test_a_ministers_attack_on_the_opposition_is_framed_political(lang, model):
    """The news items of tests/fixtures/languages (a minister's insults and ultimatum to the
    opposition) are political in any language."""
    from propscope import analyze
    from propscope.io.readers import read_article_file

    a = analyze(read_article_file(FIXTURES / f"{lang}.txt"), model)
    assert a.frames.main == "Political", a.frames.probabilities


def test_the_shipped_frames_beat_the_ngram_frames_cross_validated(frame_model):
    """Stored at training: 5-fold ST2 micro-F1 per language on the folds the n-gram models
    were cross-validated on; a refit that loses to them in any language must not ship."""
    from propscope.models.article_classifiers import ARTICLE_MODELS_DIR, META_FILE

    pooled = frame_model.meta["cross_validation"]["per_language"]
    ngram = json.loads((ARTICLE_MODELS_DIR / META_FILE).read_text("utf-8"))["metrics"]
    ngram = ngram["cross_validation"]["st2"]
    for lang in ("en", "fr", "de", "it", "pl", "ru"):
        assert pooled[lang] > ngram[lang], (lang, pooled[lang], ngram[lang])
    assert frame_model.meta["C"] in map(float, frame_model.meta["cross_validation_by_C"])


def test_train_frames_writes_a_model_the_analysis_can_read(tmp_path, data_dir):
    """The training path on 8 articles per language (2 folds): a complete file with each C's
    cross-validated scores for the six languages, loaded back and applied to a row."""
    from propscope.train_articles import load_article_data
    from propscope.train_multilingual import FRAMES_C, frame_rows, train_frames

    meta = train_frames(tmp_path, data_dir, folds=2, log=lambda _: None, limit=8)
    model = PooledFrameModel.load(tmp_path)
    assert model is not None and model.heads.labels == FRAMES and 0.0 < model.threshold < 1.0
    assert meta["C"] in FRAMES_C and set(meta["cross_validation_by_C"]) == set(map(str, FRAMES_C))
    per_language = meta["cross_validation"]["per_language"]
    assert set(per_language) == {"en", "fr", "de", "it", "pl", "ru", "all"}
    assert all(0.0 <= v <= 1.0 for v in per_language.values())
    data = load_article_data(data_dir, limit=1)
    row = frame_rows(data, log=lambda _: None)[0]
    probabilities = model.probabilities(row)
    assert set(probabilities) == set(FRAMES) and model.labels(probabilities)


@pytest.mark.slow
def test_train_frames_reproduces_the_shipped_frame_model(tmp_path, data_dir, frame_model):
    """`python -m propscope.train_multilingual --frames-only` (3 minutes) rebuilds the shipped
    frame file: same C and cut-off, the same scores and weights up to float noise."""
    from propscope.train_multilingual import train_frames

    meta = train_frames(tmp_path, data_dir, log=lambda _: None)
    rebuilt = PooledFrameModel.load(tmp_path)
    assert meta["C"] == frame_model.meta["C"] and rebuilt.threshold == frame_model.threshold
    for lang, score in frame_model.meta["cross_validation"]["per_language"].items():
        assert meta["cross_validation"]["per_language"][lang] == pytest.approx(score, abs=0.02)
    assert np.allclose(rebuilt.heads.weights, frame_model.heads.weights, atol=1e-3)
