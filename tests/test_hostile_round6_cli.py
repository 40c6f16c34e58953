"""Hostile input at the command line, round 6: `train --output` replaces only a propscope
model directory, keeps what else lives there and never a folder it did not make; `train`
counts are 1 or more; `serve` checks that it can listen before it opens the database.

The slow parts (fitting, the held-out check, the probe refit) are stubbed: no test trains.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from hostile import error_lines, no_hang, run

from propscope import retrain
from propscope import train as train_module
from propscope.errors import InputError
from propscope.models.tagger import SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL


def write_corrected(root: Path) -> Path:
    (root / retrain.ARTICLES_DIR).mkdir(parents=True)
    (root / retrain.SPANS_DIR).mkdir()
    for article_id in ("1", "2", "3"):
        (root / retrain.ARTICLES_DIR / f"article{article_id}.txt").write_text(
            "The corrupt elite lies to you.\n"
        )
        (root / retrain.SPANS_DIR / f"article{article_id}-labels-subtask-3.txt").write_text(
            f"{article_id}\tDoubt\t4\t11\n"
        )
    return root


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None: a folder), links not followed."""
    return {
        str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
        if not p.is_symlink()
    }


def model_dir(path: Path, *subfolders: str) -> Path:
    """A stand-in for a propscope model directory (what the check looks at: propscope.json)."""
    path.mkdir(parents=True)
    (path / "propscope.json").write_text('{"name": "old"}\n')
    (path / "weights.safetensors").write_bytes(b"old weights")
    for name in subfolders:
        (path / name).mkdir()
        (path / name / "kept.json").write_text(f'"{name}"\n')
    return path


@pytest.fixture
def nothing_loads(monkeypatch):
    """Fail the test if a corrected folder, corpus or model is read: the --output check
    comes first."""
    from propscope import corpora
    from propscope.models import files, tagger

    def loaded(*args, **kwargs):
        raise AssertionError("data or a model was loaded before --output was checked")

    for module, name in (
        (files, "load_model_dir"),
        (tagger.SpanTagger, "load"),
        (corpora, "load_semeval2023"),
        (retrain, "load_corrected"),
    ):
        monkeypatch.setattr(module, name, loaded)


BAD_OUTPUTS = {
    "a file": (lambda t: t / "notes.txt", "is a file, not a model directory"),
    "a user's folder": (lambda t: t / "thesis", "holds files but no propscope.json"),
    "the corrected articles' folder": (
        lambda t: t / "corrected" / retrain.ARTICLES_DIR,
        "the input",
    ),
    "the corrected folder itself": (lambda t: t / "corrected", "the input"),
    "a folder around the corrected one": (lambda t: t, "the input"),
    "a new folder inside the corrected one": (
        lambda t: t / "corrected" / "model",
        "the input",
    ),
    "a link": (lambda t: t / "link", "is a link"),
}


def _bad_output_world(tmp_path: Path) -> Path:
    write_corrected(tmp_path / "corrected")
    (tmp_path / "notes.txt").write_text("important\n")
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.txt").write_text("years of work\n")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    return tmp_path


@pytest.mark.parametrize("case", list(BAD_OUTPUTS))
@pytest.mark.parametrize("mode", ["extra-data", "train"])
def test_train_refuses_an_output_it_would_destroy_before_loading_anything(
    tmp_path, nothing_loads, case, mode
):
    """`train --extra-data D --output OUT` deleted an existing OUT (a user's folder lost its
    files; OUT inside D replaced the corrected articles with model files) and refused a file
    only after the whole training, leaving a 50 MB OUT.partial; `train` did the same."""
    world = _bad_output_world(tmp_path)
    output, message = BAD_OUTPUTS[case]
    if mode == "train" and "corrected" in case:  # the plain run reads --data instead
        args = ["train", "--data", str(world / "corrected"), "--output", str(output(world))]
    elif mode == "train":
        args = ["train", "--output", str(output(world))]
    else:
        args = ["train", "--extra-data", str(world / "corrected"), "--output", str(output(world))]
    before = snapshot(world)
    with no_hang(30):
        result = run(*args)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert message in line and "output" in line
    assert snapshot(world) == before  # nothing written, nothing deleted


@pytest.mark.parametrize("mode", ["extra-data", "train"])
def test_train_refuses_the_shipped_models_but_may_rebuild_the_english_one(
    tmp_path, nothing_loads, mode
):
    """A fine-tuned model never lands in the package (a reinstall would replace it); the
    README's `train --output src/propscope/model` still rebuilds the English model."""
    write_corrected(tmp_path / "corrected")
    extra = ["--extra-data", str(tmp_path / "corrected")] if mode == "extra-data" else []
    targets = [SHIPPED_MULTILINGUAL_MODEL, SHIPPED_MODEL / "articles", SHIPPED_MODEL / "new"]
    if mode == "extra-data":
        targets.append(SHIPPED_MODEL)
    for target in targets:
        result = run("train", *extra, "--output", str(target))
        assert result.exit_code == 2, (target, result.output)
        [line] = error_lines(result)
        assert "the model shipped with propscope" in line, line
    assert not (SHIPPED_MODEL / "new").exists()
    train_module.check_model_output(SHIPPED_MODEL, replace_shipped=True)  # no error


def _stub_finetune(monkeypatch) -> None:
    """fake_train.py's stubs: no fit, a fixed held-out score, no probe refit, a tiny corpus."""
    from propscope import corpora

    article = corpora.LabelledArticle("t1", "They lie.\n", (("Doubt", 5, 8),))
    monkeypatch.setattr(train_module, "fit", lambda *a, **k: None)
    monkeypatch.setattr(retrain, "held_out_check", lambda tagger, arts: retrain.Check(0.5, 0.5))
    monkeypatch.setattr(retrain, "_paragraph_probe", lambda *a, **k: {"refitted": False})
    monkeypatch.setattr(
        corpora, "load_semeval2023", lambda *a, split, **k: [] if split == "train" else [article]
    )


def test_retrain_replaces_a_model_directory_keeping_its_folders_and_a_users_partial(
    tmp_path, monkeypatch
):
    """The new model replaces an old one (the documented retrain), its subfolders kept; a
    user's folder named OUT.partial was deleted, now it is never touched."""
    _stub_finetune(monkeypatch)
    corrected = write_corrected(tmp_path / "corrected")
    out = model_dir(tmp_path / "model", "articles")
    user = tmp_path / "model.partial"
    user.mkdir()
    (user / "notes.txt").write_text("mine\n")
    with no_hang(120):
        result = run("train", "--extra-data", str(corrected), "--output", str(out))
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "propscope.json").read_text(encoding="utf-8"))
    assert meta["finetuned"]["corrected_articles"] == 3
    assert (out / "weights.safetensors").read_bytes() != b"old weights"
    assert (out / "articles" / "kept.json").read_text() == '"articles"\n'
    assert (user / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrected", "model", "model.partial"]


def test_retrain_that_fails_while_writing_keeps_the_old_model_and_leaves_nothing(
    tmp_path, monkeypatch
):
    _stub_finetune(monkeypatch)
    corrected = write_corrected(tmp_path / "corrected")
    out = model_dir(tmp_path / "model", "articles")
    before = snapshot(out)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(retrain.shutil, "copytree", disk_full)
    with no_hang(120), pytest.raises(OSError, match="No space"):
        retrain.finetune_model(corrected, out, log=lambda m: None)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrected", "model"]


def test_train_replaces_a_model_directory_keeping_its_folders(tmp_path, monkeypatch):
    """`train --output src/propscope/model` (README) deleted the folders beside the English
    model (articles/, multilingual/) and any OUT.partial; here on a stand-in directory, with
    every slow step stubbed and the checkpoint reused from --run-dir."""
    from propscope import corpora
    from propscope.models import calibration, tagger

    run_dir = tmp_path / "run"
    model_dir(run_dir / "epoch1")
    (run_dir / "epoch1" / "propscope.json").write_text('{"name": "new"}\n')
    fake_tagger = SimpleNamespace(meta={}, decoding={})
    decoding = dict.fromkeys(
        ("threshold", "gap", "min_chars", "extend", "repeat", "alpha", "split", "tune_si_f1"), 0.5
    ) | {"tune_tc_accuracy": 0.5, "tune_flc_f1": 0.5}
    for module, name, value in (
        (corpora, "load_semeval2023", lambda *a, **k: []),
        (tagger.SpanTagger, "load", lambda *a, **k: fake_tagger),
        (train_module, "tune_decoding", lambda *a, **k: decoding),
        (train_module, "span_outcomes", lambda *a, **k: ()),
        (train_module, "choose_sensitivities", lambda *a, **k: {}),
        (train_module, "refit_span_words", lambda *a, **k: None),
        (train_module, "refit_found_head", lambda *a, **k: None),
        (
            train_module,
            "fit_paragraph_probe",
            lambda *a, **k: SimpleNamespace(save=lambda *a: None),
        ),
        (
            calibration,
            "choose_calibration",
            lambda *a: ("none", SimpleNamespace(to_dict=dict), 0.0),
        ),
    ):
        monkeypatch.setattr(module, name, value)
    out = model_dir(tmp_path / "model", "articles", "multilingual")
    user = tmp_path / "model.partial"
    user.mkdir()
    (user / "notes.txt").write_text("mine\n")
    args = ["--run-dir", str(run_dir), "--reuse-checkpoints", "--output", str(out)]
    with no_hang(60):
        result = run("train", *args)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "propscope.json").read_text())["name"] == "propscope-span-tagger"
    for name in ("articles", "multilingual"):
        assert (out / name / "kept.json").read_text() == f'"{name}"\n'
    assert (user / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "model.partial", "run"]
    assert (run_dir / "epoch1" / "propscope.json").is_file()  # the checkpoints stay


def test_an_output_that_cannot_be_created_is_refused_first(tmp_path, nothing_loads):
    (tmp_path / "afile").write_text("x\n")
    result = run("train", "--output", str(tmp_path / "afile" / "model"))
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "cannot be created" in line and "is a file" in line
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        try:
            result = run("train", "--output", str(locked / "model"))
            assert result.exit_code == 2
            assert "no permission" in error_lines(result)[0]
        finally:
            locked.chmod(0o700)


# --- counts of 1 or more ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--limit", "0"],
        ["--limit", "-3"],
        ["--tune-limit", "0"],
        ["--tune-limit", "-1"],
    ],
)
@pytest.mark.parametrize("mode", ["extra-data", "train"])
def test_train_counts_are_one_or_more(tmp_path, nothing_loads, args, mode):
    """`--extra-data ... --limit -3` trained on all but 3 shared articles, `--limit 0`
    crashed in init_head_bias, `--tune-limit 0` emptied the held-out set so that the check
    scored F1 1.0 for both models and always passed."""
    write_corrected(tmp_path / "corrected")
    extra = ["--extra-data", str(tmp_path / "corrected")] if mode == "extra-data" else []
    result = run("train", *extra, *args, "--output", str(tmp_path / "model"))
    assert result.exit_code == 2, result.output
    assert args[0] in result.output and "greater than or equal to 1" in result.output
    assert not (tmp_path / "model").exists()


def test_retrain_refuses_an_empty_held_out_set_before_loading_a_model(tmp_path, monkeypatch):
    """No held-out article (an empty tune split, every corrected article in `train`): both
    models scored F1 1.0 on nothing and the check passed whatever the model."""
    from propscope import corpora
    from propscope.models import files, tagger

    def loaded(*args, **kwargs):
        raise AssertionError("a model was loaded before the held-out set was checked")

    monkeypatch.setattr(files, "load_model_dir", loaded)
    monkeypatch.setattr(tagger.SpanTagger, "load", loaded)
    monkeypatch.setattr(corpora, "load_semeval2023", lambda *a, **k: [])
    monkeypatch.setattr(retrain, "split_of", lambda article_id: "train")
    corrected = write_corrected(tmp_path / "corrected")
    with pytest.raises(InputError, match="no held-out articles"):
        retrain.finetune_model(corrected, tmp_path / "model", log=lambda m: None)
    assert not (tmp_path / "model").exists()


# --- serve -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def started(monkeypatch) -> dict:
    """What `serve` handed to uvicorn (nothing listens, no test reaches the network)."""
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.delenv("PROPSCOPE_API_KEY", raising=False)
    return seen


def test_serve_that_cannot_listen_creates_no_database(tmp_path, started):
    """`serve --host 192.0.2.1` (no address of this machine; an IP literal, so nothing is
    looked up) or a port in use refused to start, but had already made propscope.db with its
    -wal and -shm files: the store opened before the check."""
    db = tmp_path / "new.db"
    bad_host = run("serve", "--host", "192.0.2.1", "--port", str(_free_port()), "--db", str(db))
    assert bad_host.exit_code == 2, bad_host.output
    [line] = error_lines(bad_host)
    assert "192.0.2.1 is not an address of this machine" in line
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run("serve", "--port", str(port), "--db", str(db))
    assert busy.exit_code == 2, busy.output
    assert f"port {port} on 127.0.0.1 is in use" in error_lines(busy)[0]
    assert sorted(tmp_path.iterdir()) == [] and not started


def test_serve_on_an_empty_host_says_it_listens_on_every_interface(tmp_path, started):
    """uvicorn listens on every interface for `--host ''` (asyncio's empty host), but serve
    printed `http://:PORT/` and left out the --allowed-host note that 0.0.0.0 gets."""
    port = _free_port()
    result = run("serve", "--host", "", "--port", str(port), "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 0, result.output
    assert started["host"] == "" and started["port"] == port
    assert "http://:" not in result.stderr
    assert f"http://0.0.0.0:{port}/" in result.stderr and "every network interface" in result.stderr
    assert "add the names clients use with --allowed-host" in result.stderr
    assert "without an API key" in result.stderr
