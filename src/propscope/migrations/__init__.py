"""Schema migrations of the article store (Alembic), applied when a ``Store`` opens.

A database is brought to the newest revision ("head") on first use: a fresh one is built by
running every revision from the first, and one written before migrations existed (tables but
no ``alembic_version``) is upgraded in place, because the first revision, the baseline, only
creates the tables it does not find. Concurrent openers are serialised (SQLite: ``BEGIN
IMMEDIATE``; PostgreSQL: an advisory lock), so two processes starting on one new database do
not both create it. Revisions never drop what users stored.

A new revision, from a checkout (``alembic.ini`` sits beside this file)::

    alembic -c src/propscope/migrations/alembic.ini revision -m "add x"
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy import func as sql_func
from sqlalchemy.exc import OperationalError

__all__ = ["SchemaError", "at_head", "current_revision", "head_revision", "upgrade"]

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
# Any constant key: PostgreSQL advisory locks are per database, so it serialises migrations.
_PG_LOCK_KEY = 7_105_321_004_117


class SchemaError(Exception):
    """The database's schema is not one propscope can upgrade (foreign tables, newer code)."""


def config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the migrations shipped in this package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head_revision() -> str:
    """The newest revision this version of propscope knows."""
    head = _script().get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is stamped at; None before migrations (or when empty)."""
    return MigrationContext.configure(connection).get_current_revision()


def at_head(engine: Engine) -> bool:
    """True when the database is at head, False when it needs :func:`upgrade`; reads only
    (a read-only database is checked without writing to it).

    Raises ``SchemaError`` like :func:`upgrade` for a schema that cannot be upgraded.
    """
    with engine.connect() as connection:
        return _checked(connection, head_revision())


def upgrade(engine: Engine) -> bool:
    """Bring the database to head; True when it had to change, False when it was at head.

    Raises ``SchemaError`` for a database written by a newer propscope, or holding tables
    of the same names that propscope did not create.
    """
    head = head_revision()
    for attempt in range(_SQLITE_ATTEMPTS):
        try:
            return _upgrade_once(engine, head)
        except OperationalError as exc:
            # SQLite answers "database is locked" at once, without waiting out its busy
            # timeout, where waiting could deadlock (two connections of a new database
            # switching it to WAL, or a reader upgrading to writer): try the whole step again.
            locked = engine.dialect.name == "sqlite" and "locked" in str(exc.orig)
            if not locked or attempt == _SQLITE_ATTEMPTS - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


_SQLITE_ATTEMPTS = 8


def _upgrade_once(engine: Engine, head: str) -> bool:
    with engine.connect() as connection:
        if _checked(connection, head):
            return False
    with engine.connect() as connection:
        with connection.begin():
            _lock(connection)
            if _checked(connection, head):  # another process upgraded it while we waited
                return False
            command.upgrade(config(connection), "head")
    return True


def _checked(connection: Connection, head: str) -> bool:
    """True when the database is at head; raises SchemaError when it cannot be upgraded."""
    current = current_revision(connection)
    if current == head:
        return True
    if current is None:
        _check_legacy_tables(connection)
    elif current not in {rev.revision for rev in _script().walk_revisions()}:
        raise SchemaError(
            f"its schema (revision {current}) is newer than this propscope knows (revision "
            f"{head}); upgrade propscope to use it"
        )
    return False


# The columns of each table as propscope 0.1.0 created them (the baseline revision).
_LEGACY_COLUMNS = {
    "articles": {
        "id", "content_hash", "title", "source", "url", "published", "language",
        "model_version", "created_at", "words", "text", "analysis", "metadata",
    },
    "spans": {
        "id", "article_id", "technique", "category", "start", "end", "text", "confidence",
        "voice", "speaker",
    },
    "failures": {"id", "key", "source", "reason", "attempts", "created_at", "updated_at"},
}  # fmt: skip


def _check_legacy_tables(connection: Connection) -> None:
    """Tables of propscope's names in an unstamped database must be propscope's own."""
    inspector = inspect(connection)
    for table, expected in _LEGACY_COLUMNS.items():
        if not inspector.has_table(table):
            continue
        found = {column["name"] for column in inspector.get_columns(table)}
        if not expected <= found:
            missing = ", ".join(sorted(expected - found))
            raise SchemaError(
                f"it has a '{table}' table that propscope did not create (no column "
                f"{missing}); use another database"
            )


def _lock(connection: Connection) -> None:
    """Hold the database's migration lock until the transaction ends."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # pysqlite opens transactions lazily and never for DDL: take the write lock now.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.execute(select(sql_func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
    else:  # other servers: no portable lock; a collision fails with the server's message
        connection.execute(text("SELECT 1"))
