"""Hostile round 8: the command line's read-only store commands and their error lines."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from builders import analysis, at, span
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from propscope.article import Article
from propscope.cli import app
from propscope.store import Store


def _old_store(path: Path) -> Path:
    """A store at the schema of revision 0001 (no batch tables): opening it upgrades it."""
    Store(str(path)).close()
    connection = sqlite3.connect(path)
    connection.execute("DROP TABLE batch_claims")
    connection.execute("DROP TABLE batch_runs")
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    return path


def test_an_upgrade_that_fails_on_writable_storage_gives_its_own_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk during the upgrade was reported as "... is read-only here; open it once
    where it can be written (propscope batch)", which sent the user to a command that then
    failed with the real reason."""
    from propscope import migrations

    db = _old_store(tmp_path / "corpus.db")

    def full(engine, head):
        raise OperationalError(
            "ALTER TABLE", {}, sqlite3.OperationalError("database or disk is full")
        )

    monkeypatch.setattr(migrations, "_upgrade_once", full)
    result = CliRunner().invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 2
    assert "disk is full" in result.output and "read-only" not in result.output


def test_running_out_of_open_files_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`ulimit -n 20; propscope batch ... --workers 2` ended in a traceback ("OSError: [Errno
    24] Too many open files" from multiprocessing's os.pipe, starting the workers)."""
    import errno
    import os

    from propscope import batch

    def no_files(*args, **kwargs):
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    monkeypatch.setattr(batch, "run_batch", no_files)
    corpus = tmp_path / "in.jsonl"
    corpus.write_text('{"id": "1", "text": "Some text here."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(corpus), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "propscope: error: too many open files; raise the limit of open files (ulimit -n) or "
        "use fewer --workers"
    )


def _add(store: Store, text: str, article_id: str, source: str) -> None:
    start, end = at(text, "corrupt elite")
    made = analysis(text, [span(text, start, end, "Loaded_Language")], article_id=article_id)
    store.add(Article.from_text(text, id=article_id), made, metadata={"source": source})


def test_a_write_ahead_log_without_its_index_on_a_read_only_mount_is_refused(tmp_path: Path):
    """db and db-wal copied without the disposable -shm onto read-only storage were read as
    immutable, which skips the log: the newest articles were silently left out of stats,
    export and report. (A real read-only bind mount in a mount namespace of its own; skipped
    where that is not allowed.)"""
    if not shutil.which("unshare") or shutil.which("mount") is None:
        pytest.skip("no unshare or mount")
    src, copy, mount = tmp_path / "src", tmp_path / "copy", tmp_path / "mnt"
    for folder in (src, copy, mount):
        folder.mkdir()
    text = "Headline\n\nThe corrupt elite are destroying our great nation, and all know it."
    with Store(str(src / "corpus.db")) as store:
        _add(store, text, "first", "Outlet A")
    writer = sqlite3.connect(src / "corpus.db")  # keeps the log from being folded in
    writer.execute("PRAGMA wal_autocheckpoint=0")
    with Store(str(src / "corpus.db")) as store:
        _add(store, text + " Again.", "second", "Outlet B")
        assert (src / "corpus.db-wal").stat().st_size > 0
        for name in ("corpus.db", "corpus.db-wal"):
            shutil.copy(src / name, copy / name)
    writer.close()
    script = (
        'mount --bind "$1" "$2" && mount -o remount,ro,bind "$2" || exit 99; shift 2; '
        'touch "$0.probe" 2>/dev/null && exit 98; exec "$@"'
    )
    command = ["unshare", "-m", "sh", "-c", script, str(mount / "x"), str(copy), str(mount)]
    probe = subprocess.run([*command, "true"], capture_output=True)
    if probe.returncode:
        pytest.skip(f"cannot mount read-only here (exit {probe.returncode})")
    result = subprocess.run(
        [*command, sys.executable, "-m", "propscope", "stats", "--by", "source"]
        + ["--db", str(mount / "corpus.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout
    assert "has changes in" in result.stderr and "corpus.db-shm" in result.stderr
    # on writable storage the same two files hold both articles
    result = CliRunner().invoke(app, ["stats", "--by", "source", "--db", str(copy / "corpus.db")])
    assert result.exit_code == 0 and "Outlet B" in result.output


def test_an_id_a_semeval_file_cannot_hold_is_reported_before_the_analysis(
    tmp_path: Path, example_path: Path, model
) -> None:
    """One file named "article 5 (copy).txt" failed every SemEval format at write time, after
    the whole folder had been analysed: nothing was written for the good articles."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(example_path, folder / "article1.txt")
    shutil.copy(example_path, folder / "article 5 (copy).txt")
    out = tmp_path / "pred.txt"
    result = CliRunner().invoke(app, ["analyze", str(folder), "--format", "st3", "-o", str(out)])
    assert result.exit_code == 2
    assert "cannot write article id 'article 5 (copy)'" in result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows and {row.split("\t")[0] for row in rows} == {"1"}


def _hand_made():
    text = "Headline\n\nThe corrupt elite are destroying our great nation, and all know it."
    start, end = at(text, "corrupt elite")
    return analysis(text, [span(text, start, end, "Loaded_Language")], article_id="1")


def test_no_color_leaves_out_the_colours_of_the_terminal_report(monkeypatch) -> None:
    """NO_COLOR=1 on a terminal still printed truecolor backgrounds: the report was a
    recording's export, which keeps colours the console itself leaves out."""
    import re

    from propscope.cli import OutputFormat, TaxonomyName, render

    coloured = render([_hand_made()], OutputFormat.text, TaxonomyName.ptc14, to_terminal=True)
    assert re.search(r"\x1b\[[0-9;]*48;2;", coloured)  # a category's background
    monkeypatch.setenv("NO_COLOR", "1")
    plain = render([_hand_made()], OutputFormat.text, TaxonomyName.ptc14, to_terminal=True)
    assert not re.search(r"\x1b\[[0-9;]*[34]8;", plain)
    assert "\x1b[" in plain and "corrupt elite" in plain  # bold and underline stay


@pytest.mark.parametrize("command", [["analyze", "-", "--language", "en"], ["export"]])
def test_an_encoding_without_the_texts_letters_is_one_line(tmp_path: Path, command) -> None:
    """PYTHONIOENCODING=ascii: a UnicodeEncodeError traceback and exit 1."""
    import os

    db = tmp_path / "c.db"
    with Store(str(db)) as store:
        _add(store, "Überschrift\n\nThe corrupt elite are destroying our nation.", "1", "A")
    args = command + (["--db", str(db)] if command[0] == "export" else [])
    result = subprocess.run(
        [sys.executable, "-m", "propscope", *args],
        input="Überschrift\n\nThe corrupt elite are destroying our great nation.",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("propscope: error: cannot write to standard output: its encoding ascii has no")
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("output", "said"),
    [("folder", "is a directory"), ("missing/out.json", "folder '{tmp}/missing' does not exist")],
    ids=["folder", "missing-folder"],
)
def test_a_bad_output_is_refused_before_the_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_path: Path, output: str, said: str
) -> None:
    """-o FOLDER or -o missing/x.json was refused only after every article was analysed."""
    from propscope.models import tagger

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(tagger, "load_model", no_model)
    (tmp_path / "folder").mkdir()
    (tmp_path / "articles").mkdir()
    for command in (
        ["analyze", str(example_path), "-o", str(tmp_path / output)],
        ["label-spans", str(example_path), "--articles", str(tmp_path / "articles")]
        + ["-o", str(tmp_path / output)],
    ):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert said.format(tmp=tmp_path) in result.output


def test_joined_weights_are_readable_by_others(tmp_path: Path) -> None:
    """safetensors' save_file makes 0600 files: a server running as another user could not
    read the weights `train-multilingual --finetune` joined (others got the umask's mode)."""
    import os

    import torch
    from safetensors.torch import save_file

    from propscope.io.files import usual_mode
    from propscope.train_finetune import join_shards

    for i in range(2):
        save_file({f"w{i}": torch.zeros(2)}, str(tmp_path / f"weights-{i:02d}.safetensors"))
    join_shards(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["weights.safetensors"]
    assert os.stat(tmp_path / "weights.safetensors").st_mode & 0o777 == usual_mode()


def test_writing_a_multilingual_model_keeps_the_users_folders(tmp_path: Path) -> None:
    """train-multilingual removed a folder named OUT.partial beside --output, and replaced
    --output whatever it held; the model is now staged beside it and renamed in."""
    from propscope.train import write_model_dir

    output = tmp_path / "model"
    output.mkdir()
    (output / "propscope.json").write_text("{}", encoding="utf-8")
    (output / "weights.safetensors").write_text("old", encoding="utf-8")
    (output / "genre.npz").write_text("genre", encoding="utf-8")
    mine = tmp_path / "model.partial"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")

    def write(folder: Path) -> None:
        (folder / "weights.safetensors").write_text("new", encoding="utf-8")
        (folder / "propscope.json").write_text('{"new": 1}', encoding="utf-8")

    write_model_dir(output, write, replace_shipped="multilingual")
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (output / "weights.safetensors").read_text(encoding="utf-8") == "new"
    assert (output / "genre.npz").read_text(encoding="utf-8") == "genre"  # kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "model.partial"]

    def fails(folder: Path) -> None:
        (folder / "weights.safetensors").write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_model_dir(output, fails, replace_shipped="multilingual")
    assert (output / "weights.safetensors").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "model.partial"]


def test_train_multilingual_refuses_a_folder_that_is_no_model(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = CliRunner().invoke(app, ["train-multilingual", "--output", str(folder)])
    assert result.exit_code == 2
    assert "not a propscope model directory" in result.output
    assert (folder / "thesis.txt").read_text(encoding="utf-8") == "years of work"
