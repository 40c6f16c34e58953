"""Store schema migrations: a database written before migrations existed upgrades in place on
SQLite and PostgreSQL with nothing lost, a new one is built by the revision chain, and what
cannot be upgraded is refused with a clear message.

The fixture ``fixtures/store_v0.db`` was written by propscope's store before migrations
(``fixtures/make_store_v0.py``: five real analyses of the bundled example and of texts written
for it, one recorded failure), with ``store_v0.expected.json`` holding what that code read
back. PostgreSQL gets the same database by creating 0.1.0's tables (``V0``, a frozen copy of
that schema, checked against the fixture's DDL below) and copying the fixture's rows.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from propscope import migrations
from propscope.schema import Analysis
from propscope.store import Store, StoreError, _Base, resolve_db_url

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V0_DB = FIXTURES / "store_v0.db"
EXPECTED = json.loads((FIXTURES / "store_v0.expected.json").read_text("utf-8"))

# --- propscope 0.1.0's schema, frozen (what ``create_all`` made before migrations) ----------

_JSON = JSON().with_variant(JSONB(), "postgresql")
V0 = MetaData()
Table(
    "articles",
    V0,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True, index=True),
    Column("title", Text),
    Column("source", String(255), index=True),
    Column("url", Text),
    Column("published", Date, index=True),
    Column("language", String(16), nullable=False, index=True),
    Column("model_version", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("words", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("analysis", _JSON, nullable=False),
    Column("metadata", _JSON, nullable=False),
)
Table(
    "spans",
    V0,
    Column("id", Integer, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("technique", String(64), nullable=False, index=True),
    Column("category", String(64), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("voice", String(16), nullable=False),
    Column("speaker", Text),
)
Table(
    "failures",
    V0,
    Column("id", Integer, primary_key=True),
    Column("key", String(1024), nullable=False, unique=True),
    Column("source", Text),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def _sqlite_ddl(path: Path) -> set[str]:
    """The CREATE statements of a SQLite file, whitespace normalised (alembic's own excluded)."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'alembic_version'"
            " AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    return {re.sub(r"\s+", " ", sql).replace("( ", "(").replace(" )", ")") for (sql,) in rows}


def _rows(url: str) -> dict[str, list[dict]]:
    """Every row of the 0.1.0 tables, by id, through the frozen schema (times in UTC)."""
    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as connection:
            out = {}
            for name, table in V0.tables.items():
                rows = connection.execute(select(table).order_by(table.c.id)).mappings().all()
                out[name] = [
                    {k: _utc(v) if isinstance(v, datetime) else v for k, v in row.items()}
                    for row in rows
                ]
            return out
    finally:
        engine.dispose()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _tables(url: str) -> set[str]:
    engine = create_engine(resolve_db_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as connection:
            return migrations.current_revision(connection)
    finally:
        engine.dispose()


def _v0_database(url: str, tmp_path: Path) -> str:
    """A database in 0.1.0's schema holding the fixture's rows, at ``url`` (SQLite: a copy)."""
    if url.startswith("sqlite"):
        path = tmp_path / "v0.db"
        shutil.copyfile(V0_DB, path)
        return f"sqlite:///{path}"
    rows = _rows(f"sqlite:///{V0_DB}")
    engine = create_engine(resolve_db_url(url))
    try:
        V0.create_all(engine)  # exactly what 0.1.0's Store did on a new PostgreSQL database
        with engine.begin() as connection:
            for name in ("articles", "spans", "failures"):
                connection.execute(V0.tables[name].insert(), rows[name])
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                connection.execute(text(f"SELECT setval({sequence}, max(id)) FROM {name}"))
    finally:
        engine.dispose()
    return url


# Fields the analysis schema gained after the fixture was written, with the default an old
# stored analysis reads back with (nothing else may differ).
ADDED_SINCE_FIXTURE = {
    "model": {"untrained_techniques": []},
    "genre": {"zero_shot": False},
    "language": {"given": False},
}
ADDED_TO_EACH_SINCE_FIXTURE = {"paragraphs": {"model_techniques": None}}


def _normalised(article: dict) -> dict:
    analysis = article.get("analysis")
    if analysis is not None:
        analysis = dict(analysis)
        for part, added in ADDED_SINCE_FIXTURE.items():
            if isinstance(analysis.get(part), dict):
                analysis[part] = {**added, **analysis[part]}
        for part, added in ADDED_TO_EACH_SINCE_FIXTURE.items():
            if isinstance(analysis.get(part), list):
                analysis[part] = [{**added, **item} for item in analysis[part]]
        article = {**article, "analysis": analysis}
    return {**article, "created_at": datetime.fromisoformat(article["created_at"])}


# --- the fixture is today's schema, and the baseline revision is exactly it ------------------


def test_fixture_and_frozen_schema_are_the_pre_migration_schema(tmp_path):
    assert _tables(f"sqlite:///{V0_DB}") == {"articles", "spans", "failures"}  # no alembic_version
    frozen = tmp_path / "frozen.db"
    V0.create_all(create_engine(f"sqlite:///{frozen}"))
    assert _sqlite_ddl(frozen) == _sqlite_ddl(V0_DB)


def test_baseline_revision_creates_the_pre_migration_schema_exactly(tmp_path):
    path = tmp_path / "baseline.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrations.config(connection), migrations.BASELINE)
    engine.dispose()
    assert _sqlite_ddl(path) == _sqlite_ddl(V0_DB)
    assert _revision(f"sqlite:///{path}") == migrations.BASELINE


# --- upgrading the fixture in place ----------------------------------------------------------


def test_pre_migration_database_upgrades_in_place_with_nothing_lost(corpus_db_url, tmp_path):
    url = _v0_database(corpus_db_url, tmp_path)
    before = _rows(url)
    assert [len(before[t]) for t in ("articles", "spans", "failures")] == [5, 18, 1]
    assert _revision(url) is None

    with Store(url) as store:  # first use upgrades
        assert _revision(url) == migrations.head_revision() != migrations.BASELINE
        assert {"batch_runs", "batch_claims", "alembic_version"} <= _tables(url)
        assert _rows(url) == before  # every row of every table, unchanged

        # Read back through the new code: equal to what the old code read back.
        for expected in EXPECTED["articles"]:
            got = store.get(expected["id"])
            assert got is not None
            dumped = got.model_dump(mode="json")
            # added since the fixture: its group in stats("source") (one spelling each here)
            assert dumped.pop("source_group") == got.source
            assert _normalised(dumped) == _normalised(expected)
            assert got.analysis == Analysis.model_validate(
                {**expected["analysis"], "text": got.analysis.text}
            )
            assert got.analysis.text[: len(got.title or "")] == (got.title or "")
        listed, total = store.list(limit=100)
        assert total == 5
        assert [_normalised(s.model_dump(mode="json")) for s in listed] == [
            _normalised(s) for s in EXPECTED["list"]
        ]
        for by, groups in EXPECTED["stats"].items():
            got = {g["key"]: g for g in json.loads(json.dumps(store.stats(by)))}
            assert got == {g["key"]: g for g in groups}, by
        assert [
            {k: f[k] for k in ("key", "source", "reason", "attempts")} for f in store.failures()
        ] == EXPECTED["failures"]

        # And it is a working store: new rows get new ids, deletes cascade, claims work.
        first = store.get(1)
        assert store.add(_article_of(first), first.analysis) == 1  # the same text: same row
        stretch = first.analysis.model_copy(update={"text": first.analysis.text + " "})
        assert store.add(_article_of(stretch), stretch) == 6
        assert store.delete(6) and store.count() == 5
        with store.begin_run() as run:
            assert run.claim("f" * 64)

    with Store(url) as again:  # at head: opening changes nothing
        assert _revision(url) == migrations.head_revision()
        assert again.count() == 5
    assert _rows(url) == before


def _article_of(stored_or_analysis):
    from propscope.io.readers import read_text

    analysis = getattr(stored_or_analysis, "analysis", stored_or_analysis)
    return read_text(analysis.text)


# --- new databases: the revision chain --------------------------------------------------------


def test_new_database_is_built_by_the_revision_chain(corpus_db_url):
    engine = create_engine(resolve_db_url(corpus_db_url))
    try:
        with engine.begin() as connection:
            command.upgrade(migrations.config(connection), migrations.BASELINE)
        assert _revision(corpus_db_url) == migrations.BASELINE
        assert _tables(corpus_db_url) == {"articles", "spans", "failures", "alembic_version"}
        with engine.begin() as connection:
            command.upgrade(migrations.config(connection), "head")
        assert _revision(corpus_db_url) == migrations.head_revision()
        # The migrated schema is the one the code declares (types, indexes, keys).
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, _Base.metadata) == []
        # Later revisions can be undone down to the baseline, and redone.
        with engine.begin() as connection:
            command.downgrade(migrations.config(connection), migrations.BASELINE)
        assert "batch_claims" not in _tables(corpus_db_url)
        with engine.begin() as connection:
            command.upgrade(migrations.config(connection), "head")
    finally:
        engine.dispose()
    with Store(corpus_db_url) as store:
        assert store.count() == 0


def test_store_creates_a_new_database_at_head(corpus_db_url):
    with Store(corpus_db_url) as store:
        assert store.count() == 0
    assert _revision(corpus_db_url) == migrations.head_revision()
    engine = create_engine(resolve_db_url(corpus_db_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, _Base.metadata) == []
    finally:
        engine.dispose()


def _open_at_once(url: str, openers: int = 4) -> list[BaseException]:
    """Open ``openers`` stores on ``url`` at the same moment (separate engines, like separate
    processes); return what they raised."""
    barrier = threading.Barrier(openers)
    errors: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            Store(url).close()
        except BaseException as exc:  # reported by the caller's assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_first_opens_create_the_database_once(corpus_db_url):
    """Four stores opening one new database at the same moment: the migration lock lets one
    build it and the others find it built."""
    assert _open_at_once(corpus_db_url) == []
    assert _revision(corpus_db_url) == migrations.head_revision()


def test_new_sqlite_databases_opened_at_once_never_report_locked(tmp_path):
    """SQLite answers "database is locked" at once (no busy wait) where waiting could
    deadlock, e.g. two connections switching a new file to WAL; before the upgrade retried,
    about 2 in 30 such races failed. 60 races of 4 openers each must all succeed."""
    errors = [
        e for trial in range(60) for e in _open_at_once(f"sqlite:///{tmp_path / f'race{trial}.db'}")
    ]
    assert errors == []


# --- what cannot be upgraded -----------------------------------------------------------------


def test_database_from_a_newer_propscope_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    Store(url).close()
    with sqlite3.connect(tmp_path / "newer.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match=r"revision 9999\) is newer than this propscope"):
        Store(url)


def test_foreign_table_of_the_same_name_is_refused(tmp_path):
    path = tmp_path / "other-app.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE articles (slug TEXT PRIMARY KEY, body TEXT)")
    with pytest.raises(StoreError, match="'articles' table that propscope did not create"):
        Store(f"sqlite:///{path}")
    assert _tables(f"sqlite:///{path}") == {"articles"}  # nothing was created beside it
