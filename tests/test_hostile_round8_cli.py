"""Hostile round 8: the command line's read-only store commands and their error lines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

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
