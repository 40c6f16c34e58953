"""Ids never reused, and damaged stored rows answered in one line (round 6).

On SQLite, ``articles.id`` was a plain ``INTEGER PRIMARY KEY``: deleting the newest article
gave its id to the next upload, so an old permalink (``/articles/N``) or an export's
``store_id`` silently named an unrelated article. It is ``AUTOINCREMENT`` now, and migration
0003 rebuilds the table of an existing database with every row. A stored analysis that is not
JSON, or not an analysis, made its pages, the dashboard and ``/api/v1/stats`` answer 500 with
a traceback; the store now raises a ``StoreError`` naming the article, which the web answers
with 503 and one line.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from builders import analysis, at, span
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from propscope import migrations
from propscope.article import Article
from propscope.store import Store, StoreDamaged, StoreUpgradeNeeded
from propscope.web import create_app

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
        # every row of every table, ids included; later migrations only add empty columns
        # (0004: the failures' record and location)
        after = _all_rows(path)
        widths = {table: len(rows[0]) for table, rows in before.items()}
        assert {t: [row[: widths[t]] for row in rows] for t, rows in after.items()} == before
        assert all(v is None for t, rows in after.items() for row in rows for v in row[widths[t] :])
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


# --- bug 7: a damaged stored row is one line, and 503 on the web -----------------------------


def _damaged_corpus(url: str) -> None:
    """Articles 1-3; article 1's analysis is JSON but no analysis, article 2's not JSON
    (PostgreSQL's JSONB holds JSON only: a JSON string there)."""
    with Store(url) as store:
        assert [_add(store, n) for n in (1, 2, 3)] == [1, 2, 3]
        postgres = store.engine.dialect.name == "postgresql"
        with store.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE articles SET analysis = '{\"x\": 1}' WHERE id = 1")
            bad = "'\"not json\"'" if postgres else "'not json'"
            connection.exec_driver_sql(f"UPDATE articles SET analysis = {bad} WHERE id = 2")


def test_a_damaged_row_is_a_store_error_naming_the_article(corpus_db_url):
    _damaged_corpus(corpus_db_url)
    with Store(corpus_db_url) as store:
        for article_id in (1, 2):
            with pytest.raises(StoreDamaged, match=rf"article {article_id} holds a damaged row"):
                store.get(article_id)
        assert store.get(3) is not None  # the others read as ever
        with pytest.raises(StoreDamaged, match="article 1 holds a damaged row"):
            list(store.iter_articles())
        assert store.count() == 3 and store.list()[1] == 3
        with store.snapshot():  # inside a snapshot too
            with pytest.raises(StoreDamaged, match="article 2 holds"):
                store.get(2)
            assert store.get(3) is not None


PAGES = (
    "/articles/1",
    "/articles/1/analysis.json",
    "/articles/2/report.html",
    "/api/v1/articles/1",
    "/api/v1/articles/2",
    "/dashboard",
    "/api/v1/stats",
)


def test_the_web_answers_503_in_one_line_for_a_damaged_row(corpus_db_url, caplog):
    _damaged_corpus(corpus_db_url)
    app = create_app(db_url=corpus_db_url, model_loader=lambda: None)
    sqlite = corpus_db_url.startswith("sqlite")
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for path in PAGES:
            response = client.get(path, headers={"Accept": "application/json"})
            if not sqlite and path in ("/dashboard", "/api/v1/stats"):
                # JSONB is always JSON: statistics read no damaged value there
                assert response.status_code == 200, (path, response.text)
                continue
            assert response.status_code == 503, (path, response.text)
            if path.startswith("/api/"):
                detail = response.json()["detail"]
            else:  # a page: the error page shows the line
                [detail] = re.findall(r"<p>(the database cannot be read[^<]*)</p>", response.text)
            assert "\n" not in detail, path
            assert detail.startswith("the database cannot be read (a stored value cannot be read: ")
            assert re.search(r"article [12] holds a damaged row", detail), (path, detail)
        for path in ("/library", "/api/v1/articles/3", "/articles/3"):
            assert client.get(path).status_code == 200, path
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
