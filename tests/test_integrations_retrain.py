"""Correct and retrain: corrected articles in, a fine-tuned model out only if not worse."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hostile import error_lines, no_hang, run
from typer.testing import CliRunner

from propscope import retrain
from propscope.cli import app
from propscope.errors import InputError, ModelError
from propscope.models.paragraph_encoder import TOKEN_PROBE_FILE, ParagraphProbe
from propscope.models.tagger import SHIPPED_MODEL


def write_corrected(root, articles):
    (root / retrain.ARTICLES_DIR).mkdir(parents=True)
    (root / retrain.SPANS_DIR).mkdir()
    for article_id, text, spans in articles:
        with open(root / retrain.ARTICLES_DIR / f"article{article_id}.txt", "w", newline="") as f:
            f.write(text)
        rows = "".join(f"{article_id}\t{t}\t{s}\t{e}\n" for t, s, e in spans)
        (root / retrain.SPANS_DIR / f"article{article_id}-labels-subtask-3.txt").write_text(rows)
    return root


def corrected_example(tmp_path, example_path):
    text = example_path.read_text(encoding="utf-8")
    s = text.index("fake organization")
    t = text.index("disgust and antipathy")
    return write_corrected(
        tmp_path / "corrected",
        [
            (
                "1001",
                text,
                [("Name_Calling-Labeling", s, s + 17), ("Loaded_Language", t, t + 21)],
            )
        ],
    )


def test_corrected_articles_are_validated(tmp_path):
    with pytest.raises(InputError, match="no train-articles-subtask-3/ folder"):
        retrain.load_corrected(tmp_path)
    bad = write_corrected(tmp_path / "bad", [("7", "Short text here.", [("Made_Up", 0, 5)])])
    with pytest.raises(InputError, match=r"article7-labels-subtask-3.txt:1: unknown technique"):
        retrain.load_corrected(bad)
    far = write_corrected(tmp_path / "far", [("8", "Short.", [("Doubt", 2, 60)])])
    with pytest.raises(InputError, match="offsets 2-60 outside the article"):
        retrain.load_corrected(far)
    ok = write_corrected(tmp_path / "ok", [("9", "A\r\nB traitors.", [("Doubt", 5, 13)])])
    [article] = retrain.load_corrected(ok)
    assert article.text == "A\r\nB traitors." and article.spans == (("Doubt", 5, 13),)


def _spans_file(root):
    return root / retrain.SPANS_DIR / "article1-labels-subtask-3.txt"


def _article_file(root):
    return root / retrain.ARTICLES_DIR / "article1.txt"


def _offset(text):
    return lambda root: _spans_file(root).write_text(f"1\tDoubt\t{text}\t9\n", encoding="utf-8")


def _fifo(path):
    path.unlink()
    os.mkfifo(path)  # no writer: opening it for reading would block forever


BAD_CORRECTED = {
    "a superscript offset": (
        _offset("\u00b2"),
        "article1-labels-subtask-3.txt:1: start '²' is not",
    ),
    "an Arabic-Indic offset": (
        _offset("\u0663"),
        "article1-labels-subtask-3.txt:1: start '٣' is not",
    ),
    "a 5,000-digit offset": (
        _offset("1" * 5000),
        "article1-labels-subtask-3.txt:1: offsets 111111... (5,000 digits)-9 outside the article",
    ),
    "a Latin-1 article": (
        lambda root: _article_file(root).write_bytes(b"The corr\xe9pt elite lies.\n"),
        "article1.txt' is not UTF-8 text: line 1 has the byte 0xe9, which UTF-8 cannot decode",
    ),
    "a UTF-16 span file": (
        lambda root: _spans_file(root).write_bytes(b"\xff\xfe1\x00"),
        "article1-labels-subtask-3.txt' is not UTF-8 text: line 1 has the byte 0xff",
    ),
    "a FIFO article": (
        lambda root: _fifo(_article_file(root)),
        "article1.txt' is not a regular file (a FIFO or a device?)",
    ),
    "a FIFO span file": (
        lambda root: _fifo(_spans_file(root)),
        "article1-labels-subtask-3.txt' is not a regular file (a FIFO or a device?)",
    ),
    "a folder named like an article": (
        lambda root: (root / retrain.ARTICLES_DIR / "article2.txt").mkdir(),
        "article2.txt' is a folder, not an article",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CORRECTED))
def test_train_refuses_a_bad_corrected_folder_in_one_line_before_training(
    tmp_path, monkeypatch, case
):
    from propscope.models import files, tagger

    def no_model(*args, **kwargs):
        raise AssertionError("a model was loaded before the corrected folder was checked")

    monkeypatch.setattr(files, "load_model_dir", no_model)
    monkeypatch.setattr(tagger.SpanTagger, "load", no_model)
    corrected = write_corrected(
        tmp_path / "corrected", [("1", "The corrupt elite lies.\n", [("Doubt", 4, 11)])]
    )
    damage, message = BAD_CORRECTED[case]
    damage(corrected)
    out = tmp_path / "model"
    with no_hang(20):
        result = run("train", "--extra-data", str(corrected), "--output", str(out))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert message in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrected"]  # nothing written


@pytest.mark.slow  # two tiny fine-tunes: ~45 s of CPU, minutes when the cores are shared
def test_finetune_writes_a_model_that_loads_and_refuses_a_worse_one(
    tmp_path, example_path, data_dir, monkeypatch
):
    """A tiny fine-tune (one shared and one corrected article, one epoch): the written model
    analyses with --model; a check that got worse keeps the active model."""
    corrected = corrected_example(tmp_path, example_path)
    out = tmp_path / "model"
    result = retrain.finetune_model(
        corrected, out, data_dir=data_dir, epochs=1, limit=1, tune_limit=1, force=True, log=print
    )
    assert result["written"] and set(result["before"]) == {"si_f1", "flc_f1"}
    meta = json.loads((out / "propscope.json").read_text(encoding="utf-8"))
    assert meta["finetuned"]["corrected_articles"] == 1
    assert meta["finetuned"]["check"]["after"] == result["after"]
    # paragraph techniques keep the token probe, refitted on the fine-tuned tagger
    probe = ParagraphProbe.load(out, TOKEN_PROBE_FILE)
    assert probe is not None and probe.meta["languages"] == ["en"] and "en" in probe.thresholds
    assert meta["finetuned"]["paragraph_probe"]["refitted"] is True
    shipped = ParagraphProbe.load(SHIPPED_MODEL, TOKEN_PROBE_FILE)
    assert not np.array_equal(probe.coef, shipped.coef)
    analysed = CliRunner().invoke(
        app, ["analyze", str(example_path), "--model", str(out), "--format", "json"]
    )
    assert analysed.exit_code == 0, analysed.output
    assert json.loads(analysed.output)["text"] == example_path.read_text(encoding="utf-8")

    scores = iter([retrain.Check(0.5, 0.4), retrain.Check(0.52, 0.3)])
    monkeypatch.setattr(retrain, "held_out_check", lambda tagger, articles: next(scores))
    refused = tmp_path / "refused"
    with pytest.raises(ModelError, match=r"FLC F1 0\.3000 vs 0\.4000 \(-0\.1000\)"):
        retrain.finetune_model(
            corrected, refused, data_dir=data_dir, epochs=1, limit=1, tune_limit=1, log=print
        )
    assert not refused.exists() and not (tmp_path / "refused.partial").exists()


def test_a_stray_text_file_beside_the_corrected_articles_is_skipped_and_named(tmp_path):
    """Found in review: now that any text file is an article ({id}.txt), a README.txt in the
    articles folder stopped `train --extra-data` with "no span file for article README"."""
    ok = write_corrected(tmp_path / "ok", [("9", "A\r\nB traitors.", [("Doubt", 5, 13)])])
    (ok / "train-articles-subtask-3" / "README.txt").write_text("notes", encoding="utf-8")
    said = []
    [article] = retrain.load_corrected(ok, said.append)
    assert article.id == "9"
    assert said == ["skipped 1 text file(s) without a span file: README.txt"]
    with pytest.raises(InputError, match="no span file for article README"):
        retrain.load_corrected(ok)  # without a log nothing is skipped unseen
