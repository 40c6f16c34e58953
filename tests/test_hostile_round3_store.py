"""The store under another writer and on read-only storage (hostile round 3).

Statistics take several queries: an article another process stored between two of them had
spans but no group (KeyError: /api/v1/stats, /dashboard, ``stats`` and ``report`` failed
while a batch run wrote). And the read-only commands (``stats``, ``export``, ``report``)
could not open a database they may not write: opening it ran the upgrade check's lock and
the switch to WAL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from builders import analysis, at, span
from hostile import error_lines, run
from sqlalchemy import event

from propscope.article import Article
from propscope.store import Store, StoreError

HEAD = "Headline of the day"
FIRST = f"{HEAD}\n\nThe corrupt elite are destroying our great nation, and everyone knows it."
SECOND = f"{HEAD}\n\nStand up for the homeland: only true patriots will defend our flag now."


def _made(text: str, article_id: str, technique: str, words: str):
    """An article and a hand-made analysis with one span of ``technique`` (no model)."""
    start, end = at(text, words)
    return (
        Article.from_text(text, id=article_id),
        analysis(text, [span(text, start, end, technique)], article_id=article_id),
    )


def _stored_first(store: Store) -> None:
    article, made = _made(FIRST, "first", "Loaded_Language", "corrupt elite")
    store.add(article, made, metadata={"source": "Outlet A", "published": "2020-01-10"})


def _store_second(store: Store) -> None:
    """Another group of every kind: source, month, technique and category."""
    article, made = _made(SECOND, "second", "Flag_Waving", "true patriots")
    store.add(article, made, metadata={"source": "Outlet B", "published": "2021-03-04"})


# --- statistics under a concurrent writer ------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "after"),
    [
        *((by, after) for by in ("source", "month", "topic", "genre") for after in (1, 2)),
        ("technique", 1),
        ("category", 1),
        ("category", 2),
    ],
)
def test_stats_read_one_snapshot_while_another_writer_stores(
    corpus_db_url: str, by: str, after: int
) -> None:
    """Another writer commits an article right after the statistic's ``after``-th query (a
    hook on the reading engine, so no timing): the statistic is the one of the database as
    it was when it began, not a KeyError (article keys; a category new in the breakdown
    query) nor counts that mix two states (article counts from before, spans from after)."""
    with Store(corpus_db_url) as store, Store(corpus_db_url) as writer:
        _stored_first(store)
        before = store.stats(by)
        queries = 0

        def another_writer_stores(_conn, _cursor, statement: str, *_args) -> None:
            nonlocal queries
            if statement.lstrip().upper().startswith("SELECT"):
                queries += 1
                if queries == after:
                    _store_second(writer)

        event.listen(store.engine, "after_cursor_execute", another_writer_stores)
        try:
            during = store.stats(by)
        finally:
            event.remove(store.engine, "after_cursor_execute", another_writer_stores)
        assert queries > after  # the article was stored between two of its queries
        assert during == before
        later = store.stats(by)  # the next statistic sees it
        assert later != before
        if by in ("source", "month", "topic", "genre"):
            assert sum(g["articles"] for g in later) == 2


# --- read-only storage -------------------------------------------------------------------------


def _corpus(tmp_path: Path, *, journal: str = "wal", old: bool = False) -> Path:
    """A stored corpus file in ``journal`` mode; with ``old``, at the schema of revision 0001
    (no batch tables), which needs an upgrade."""
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "corpus.db"
    with Store(str(path)) as store:
        _stored_first(store)
        _store_second(store)
    connection = sqlite3.connect(path)
    if old:
        connection.execute("DROP TABLE batch_claims")
        connection.execute("DROP TABLE batch_runs")
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
        connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert connection.execute(f"PRAGMA journal_mode={journal}").fetchone() == (journal,)
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.db"]
    return path


def _cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SQLite file opened from now on is read-only, as on a read-only file, folder or
    mount (root writes through file permissions, and the tests run as root in CI)."""
    real = sqlite3.connect

    def read_only(database, *args, uri: bool = False, **kwargs):
        if not uri:
            database = f"file:{quote(os.fspath(database))}?mode=ro"
        elif "mode=ro" not in database:
            database += ("&" if "?" in database else "?") + "mode=ro"
        return real(database, *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", read_only)


def _unchanged(path: Path):
    state = (path.read_bytes(), path.stat().st_mtime_ns)
    return lambda: (path.read_bytes(), path.stat().st_mtime_ns) == state


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["stats", "--by", "source"], "Outlet B"),
        (["stats", "--by", "category"], "Justification"),
        (["export"], "Outlet B"),
        (["report", "-o", "out/corpus.html", "--no-article-reports"], "wrote"),
    ],
    ids=["stats", "stats-category", "export", "report"],
)
def test_read_only_commands_read_a_database_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], shown: str
) -> None:
    """A database in rollback-journal mode that cannot be written failed with "cannot open
    the database ...: attempt to write a readonly database" (the switch to WAL)."""
    db = _corpus(tmp_path / "ro", journal="delete")
    unchanged = _unchanged(db)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    _cannot_be_written(monkeypatch)
    result = run(*command, "--db", str(db))
    assert result.exit_code == 0, result.output
    assert shown in result.output
    assert unchanged()
    assert sorted(p.name for p in db.parent.iterdir()) == ["corpus.db"]


def test_a_read_only_database_that_needs_an_upgrade_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _corpus(tmp_path, journal="delete", old=True)
    unchanged = _unchanged(db)
    _cannot_be_written(monkeypatch)
    result = run("stats", "--db", str(db))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: the database '{db}' needs an upgrade to this "
        "propscope's schema and is read-only here; open it once where it can be written "
        "(propscope batch) to upgrade it"
    ]
    assert unchanged()


def test_a_store_opened_read_only_reads_without_writing(tmp_path: Path) -> None:
    """``Store(read_only=True)``: SQLite ``mode=ro`` without the WAL switch or the upgrade;
    the file stays as it was, and writing fails instead of changing it."""
    from propscope.store import StoreUpgradeNeeded

    db = _corpus(tmp_path)
    with Store(str(db)) as store:
        expected = {by: store.stats(by) for by in ("source", "category")}
    unchanged = _unchanged(db)
    with Store(str(db), read_only=True) as store:
        assert store.read_only and store.count() == 2
        assert {by: store.stats(by) for by in ("source", "category")} == expected
        assert [a.id for a in store.iter_articles()] == [1, 2]
        article, made = _made(FIRST + " Again.", "third", "Loaded_Language", "corrupt elite")
        with pytest.raises(StoreError, match="readonly"):
            store.add(article, made)
    assert unchanged()
    stamped = _corpus(tmp_path / "old", old=True)
    with pytest.raises(StoreUpgradeNeeded, match="needs an upgrade"):
        Store(str(stamped), read_only=True)
    with Store(str(stamped)) as store:  # a writable open upgrades it, as before
        assert store.count() == 2


def test_read_only_commands_read_a_database_on_a_read_only_mount(tmp_path: Path) -> None:
    """A real read-only bind mount (root, in a mount namespace of its own; skipped where that
    is not allowed): a WAL database without its -shm index, which cannot be created there,
    failed with "unable to open database file"."""
    if not shutil.which("unshare") or shutil.which("mount") is None:
        pytest.skip("no unshare or mount")
    db = _corpus(tmp_path / "src")
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = (
        'mount --bind "$1" "$2" && mount -o remount,ro,bind "$2" || exit 99; shift 2; '
        'touch "$0.probe" 2>/dev/null && exit 98; exec "$@"'
    )
    command = ["unshare", "-m", "sh", "-c", script, str(mount / "x")]
    probe = subprocess.run([*command, str(db.parent), str(mount), "true"], capture_output=True)
    if probe.returncode:
        pytest.skip(f"cannot mount read-only here (exit {probe.returncode})")
    unchanged = _unchanged(db)
    for args in (["stats", "--by", "source"], ["export", "--format", "csv"]):
        result = subprocess.run(
            [*command, str(db.parent), str(mount), sys.executable, "-m", "propscope", *args]
            + ["--db", str(mount / "corpus.db")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "Outlet B" in result.stdout
    assert unchanged()
    assert sorted(p.name for p in db.parent.iterdir()) == ["corpus.db"]
