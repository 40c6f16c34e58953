"""Ids never reused (round 6).

On SQLite, ``articles.id`` was a plain ``INTEGER PRIMARY KEY``: deleting the newest article
gave its id to the next upload, so an old permalink (``/articles/N``) or an export's
``store_id`` silently named an unrelated article. It is ``AUTOINCREMENT`` now, and migration
0003 rebuilds the table of an existing database with every row.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from builders import analysis, at, span
from sqlalchemy import create_engine

from propscope import migrations
from propscope.article import Article
from propscope.store import Store, StoreUpgradeNeeded

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _add(store: Store, n: int) -> int:
    text = f"Headline {n}\n\nThe corrupt elite are destroying our great nation ({n})."
    start, end = at(text, "corrupt elite")
    made = analysis(text, [span(text, start, end, "Loaded_Language")], article_id=f"a{n}")
    return store.add(Article.from_text(text, id=f"a{n}"), made)


# --- bug 1: ids are never reused ---------------------------------------------------------------


def test_a_deleted_articles_id_is_never_given_to_another(corpus_db_url):
    with Store(corpus_db_url) as store:
        assert [_add(store, n) for n in (1, 2)] == [1, 2]
        assert store.delete(2)  # the newest: SQLite gave 2 again
        assert _add(store, 3) == 3
        assert store.delete(1) and store.delete(3) and store.count() == 0
        assert _add(store, 4) == 4
        assert store.get(2) is None and store.get(3) is None


def _sqlite_schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    return dict(rows)


def _all_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("articles", "spans", "failures")
        }


def _old_database(tmp_path: Path) -> Path:
    """The pre-migration fixture (5 articles, 18 spans, 1 failure) with article 3 deleted."""
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "store_v0.db", path)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM articles WHERE id = 3")
    return path


def test_an_old_sqlite_database_keeps_every_row_and_stops_reusing_ids(tmp_path):
    path = _old_database(tmp_path)
    before, old_schema = _all_rows(path), _sqlite_schema(path)
    assert [len(before[t]) for t in ("articles", "spans", "failures")] == [4, 6, 1]
    assert "AUTOINCREMENT" not in old_schema["articles"]

    with Store(str(path)) as store:
        assert _all_rows(path) == before  # every row of every table, ids included
        schema = _sqlite_schema(path)
        assert "AUTOINCREMENT" in schema["articles"]
        assert 'REFERENCES "articles" (id) ON DELETE CASCADE' in schema["spans"]
        indexes = {name for name, sql in old_schema.items() if sql and "INDEX" in sql}
        assert len(indexes) == 8 and {n: schema[n] for n in indexes} == {
            n: old_schema[n] for n in indexes
        }
        with sqlite3.connect(path) as connection:
            sequence = "SELECT seq FROM sqlite_sequence WHERE name = 'articles'"
            assert connection.execute(sequence).fetchone() == (5,)
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.get(5) is not None and store.delete(5)  # the newest
        assert _add(store, 1) == 6
        assert store.delete(6) and _add(store, 2) == 7
    with sqlite3.connect(path) as connection:  # the foreign key still cascades
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM articles WHERE id = 1")
        assert connection.execute("SELECT count(*) FROM spans WHERE article_id = 1").fetchone() == (
            0,
        )
    with Store(str(path)) as again:  # at head: opening changes nothing
        assert again.count() == 3


def test_a_database_at_revision_0002_is_upgraded_and_read_only_says_it_must_be(tmp_path):
    path = tmp_path / "at2.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrations.config(connection), "0002")
        connection.exec_driver_sql(
            "INSERT INTO articles (id, content_hash, language, model_version, created_at, words,"
            " text, analysis, metadata) VALUES (7, 'h', 'en', 'v', '2026-01-01 00:00:00', 1, 't',"
            " '{}', '{}')"
        )
    engine.dispose()
    unchanged = path.read_bytes()
    with pytest.raises(StoreUpgradeNeeded, match="needs an upgrade"):
        Store(str(path), read_only=True)
    assert path.read_bytes() == unchanged
    with Store(str(path)) as store:
        assert store.count() == 1 and store.delete(7)
        assert _add(store, 1) == 8
    with Store(str(path), read_only=True) as reader:
        assert reader.count() == 1
