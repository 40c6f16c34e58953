"""Persistence of analysed articles: SQLite by default, PostgreSQL by URL (SQLAlchemy 2).

One ``articles`` row per distinct text (keyed by the SHA-256 of the text, so storing the same
article twice is a no-op), its analysis kept whole as JSON, plus one ``spans`` row per finding
so corpus statistics are plain SQL aggregates instead of JSON scans. ``failures`` records the
inputs a batch run could not analyse; ``batch_runs`` and ``batch_claims`` let concurrent
batch runs share the work (:class:`BatchRun`). The schema is versioned with Alembic
(``propscope.migrations``): opening a store upgrades its database in place to the newest
revision, and no revision drops what users stored; nothing is lost except through
:meth:`Store.delete`.

>>> store = Store("sqlite:////tmp/corpus.db")  # doctest: +SKIP
>>> article_id = store.add(article, analyze(article))  # doctest: +SKIP
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import re
import socket
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    cast,
    create_engine,
    delete,
    distinct,
    event,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from propscope.article import Article
from propscope.errors import StoreError
from propscope.schema import Analysis

__all__ = [
    "ARTICLE_KEYS",
    "DB_URL_ENV",
    "MAX_SOURCE",
    "BatchRun",
    "BlankDbUrl",
    "NotAStore",
    "StatsKey",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "UnreadLog",
    "StoreDamaged",
    "StoreUpgradeNeeded",
    "StoredArticle",
    "StoredArticleSummary",
    "db_url",
    "default_db_url",
    "latest_publication",
    "metadata_changes",
    "metadata_fingerprint",
    "resolve_db_url",
    "source_key",
    "source_problem",
    "unreadable_date",
    "unreadable_date_field",
]

DB_URL_ENV = "PROPSCOPE_DB_URL"
StatsKey = Literal["source", "month", "topic", "genre", "technique", "category"]
# Keys that group articles (each article in one group); the others group spans.
ARTICLE_KEYS = ("source", "month", "topic", "genre")
_DEFAULT_LANGUAGE = "en"  # the shipped model reads English news
_WORD = re.compile(r"\w+")
# What no database column can take: NUL (PostgreSQL refuses it in text and JSON) and lone
# surrogates (not encodable as UTF-8); metadata holding them is stored with U+FFFD instead.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_MAX_FAILURE_KEY = 1024  # failures.key is a String(1024)
MAX_SOURCE = 255  # articles.source is a String(255)
_JSON = JSON().with_variant(JSONB(), "postgresql")
# PostgreSQL collations whose lower() knows every script, preferred first (see Store._fold)
_UNICODE_COLLATIONS = ("pg_c_utf8", "und-x-icu")


class StoreUpgradeNeeded(StoreError):
    """A database opened read-only has an older schema: it must be opened writable once."""


class UnreadLog(StoreError):
    """A WAL database on storage it cannot be written to holds committed changes in its
    ``-wal`` file whose ``-shm`` index is missing: reading it would leave them out."""


class NotAStore(StoreError):
    """A database opened with ``create=False`` holds no propscope store (it is empty, or
    another program's): it is refused, not filled with propscope's tables."""


class StoreUnavailable(StoreError):
    """Reading (or deleting) failed in the database: it is down or gone, a table is missing,
    the file is not a database. The message names the database and the driver's reason."""


class StoreDamaged(StoreError):
    """A stored row is not what propscope wrote (edited by hand, a damaged file): its message
    is the whole line to show, naming the article."""


# --- value types (the store's contract) -------------------------------------------------------


class _StoredFields(BaseModel):
    """What every stored article has, in a listing row and in full."""

    model_config = ConfigDict(frozen=True)

    id: int
    content_hash: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None
    language: str
    model_version: str
    created_at: datetime
    words: int


class StoredArticleSummary(_StoredFields):
    """One row of a listing: what a library table shows, without the full analysis."""

    spans: int
    by_technique: dict[str, int]
    by_category: dict[str, int]


class StoredArticle(_StoredFields):
    """A stored article with its metadata and full analysis (``analysis.text`` is the text).

    ``source_group`` names the outlet as ``stats("source")``, the dashboard and the Library's
    source filter do: the most common spelling of its source among the stored articles whose
    sources differ only in case, Unicode form, punycode or invisible characters ("BBC" for
    "bbc" and for "BBC" with a zero-width space; see :func:`source_key`), read when the
    article is; None for an article without a source.
    """

    source_group: str | None = None
    metadata: dict[str, Any]
    analysis: Analysis


# --- tables ------------------------------------------------------------------------------------


class _Base(DeclarativeBase):
    pass


class _ArticleRow(_Base):
    __tablename__ = "articles"
    # SQLite otherwise gives the largest deleted id to the next row: an old permalink would
    # show another article (PostgreSQL's sequences never reuse; migration 0003).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(MAX_SOURCE), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    model_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    words: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # The analysis without its text (kept once, in ``text``); "metadata" is reserved by
    # SQLAlchemy's declarative base, so the attribute is ``meta``.
    analysis: Mapped[dict] = mapped_column(_JSON)
    meta: Mapped[dict] = mapped_column("metadata", _JSON)


class _SpanRow(_Base):
    __tablename__ = "spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    technique: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(64), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    voice: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(Text)


class _FailureRow(_Base):
    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(1024), unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    # the record's id and where it came from ("file.jsonl:12", a file of a folder); migration
    # 0004, empty for failures recorded before it
    record: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _RunRow(_Base):
    """A live (or dead, not yet swept) batch run: who it is and when it last said so."""

    __tablename__ = "batch_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _ClaimRow(_Base):
    """An article (by content hash) that one batch run is analysing: the key is the lock."""

    __tablename__ = "batch_claims"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(32), index=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- URLs --------------------------------------------------------------------------------------


def default_db_url() -> str:
    """The SQLite file in the user's data directory (created on first use)."""
    try:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("propscope", appauthor=False))
    except ImportError:  # platformdirs is a dependency, but keep working without it
        folder = Path.home() / ".local" / "share" / "propscope"
    return f"sqlite:///{folder / 'propscope.db'}"


class BlankDbUrl(StoreError, ValueError):
    """``$PROPSCOPE_DB_URL`` holds only blanks: refused as an empty path is (it made a
    database file named '   ' in the current folder). A ``ValueError`` too, as a URL that
    does not parse is, for callers that leave the report to opening the store."""


def _db_argument(url: object) -> str | None:
    """The database argument as a str (a ``pathlib.Path`` or other ``os.PathLike`` as its
    path), or None; another type raises ``TypeError`` in one line (a Path failed with
    "argument of type 'PosixPath' is not iterable", deep inside)."""
    if url is None or isinstance(url, str):
        return url
    if isinstance(url, os.PathLike):
        path = os.fspath(url)
        if isinstance(path, str):
            return path
        url = path
    hint = "; decode bytes first, e.g. path.decode()" if isinstance(url, bytes | bytearray) else ""
    raise TypeError(
        "the database must be a URL or path (a str or a pathlib.Path), or None for the default "
        f"database, not {type(url).__name__}{hint}"
    )


def _chosen_url(url: object) -> str:
    """The database argument, else ``$PROPSCOPE_DB_URL`` (unless empty), else the default
    file; raises :class:`BlankDbUrl` for a variable holding only blanks."""
    given = _db_argument(url)
    if given:
        return given
    variable = os.environ.get(DB_URL_ENV)
    if variable and not variable.strip():
        raise BlankDbUrl(
            f"${DB_URL_ENV} holds only blanks, not a database path; set it to a database URL "
            "or path, or unset it for the default database"
        )
    return variable or default_db_url()


def resolve_db_url(url: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from an argument, ``$PROPSCOPE_DB_URL`` or the default file.

    A plain path (a str or a ``pathlib.Path``) is a SQLite file; ``postgresql://`` and
    ``postgres://`` use psycopg 3 (the driver propscope installs) instead of SQLAlchemy's
    default psycopg2. ``$PROPSCOPE_DB_URL`` holding only blanks raises :class:`BlankDbUrl`.
    """
    url = _chosen_url(url)
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def db_url(url: str | os.PathLike[str] | None = None) -> URL:
    """:func:`resolve_db_url` as SQLAlchemy's URL, the one to connect with: a plain path is
    that file even when its name holds "?" or "%" (in a URL string they start a query or an
    escape: 'news?v=2.db' opened 'news'). Raises ``ArgumentError``/``ValueError`` for a URL
    that does not parse."""
    url = _chosen_url(url)
    if "://" not in url:
        return URL.create("sqlite", database=str(Path(url).expanduser().resolve()))
    return make_url(resolve_db_url(url))


def _sqlite_path(parsed: URL) -> Path | None:
    """The file of a SQLite database given by its path (None for another database, an
    in-memory one or a ``file:`` URI, whose options may say anything)."""
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages: the one after the user name and those
    given as query parameters (``?password=``, ``sslpassword``, ...)."""
    try:
        url = make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # e.g. a port that is not a number
        url = _SECRET_USERINFO.sub(r"\1***@", url)
    return _SECRET_PARAMETER.sub(r"\1***", url)


# a query parameter holding a secret (password, passwd, pwd, sslpassword, ...): its value
_SECRET_PARAMETER = re.compile(r"([?&][^=&#]*(?:pass|pwd|secret|token)[^=&#]*=)[^&#]*", re.I)
_SECRET_USERINFO = re.compile(r"(://[^:/@?#]*:)[^/?#]*@")  # user:password@


# --- the store ---------------------------------------------------------------------------------


class Store:
    """Articles and their analyses in a SQL database; safe to share between threads.

    Every method opens its own short transaction, so one ``Store`` serves a web server's
    worker threads, and several processes (a batch run and a server) can use one database;
    reads that must agree with each other go in one :meth:`snapshot`.

    ``read_only=True`` opens the database without writing to it, for commands that only
    read (a database on a read-only file, folder or mount): a SQLite file is opened with
    ``mode=ro`` and left in its journal mode, and the schema is checked, not upgraded; one
    that needs an upgrade raises :class:`StoreUpgradeNeeded`. Writing methods then fail.

    ``create=False`` (implied by ``read_only``) opens only a database that holds a store: one
    without propscope's tables (empty, or another program's), or a SQLite file that does not
    exist, raises :class:`NotAStore` before anything is written; a store that needs an
    upgrade is still upgraded. Open a database to read it that way: by default a missing
    SQLite file is created (``created`` is then True), as ``propscope batch`` needs.
    """

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
    ) -> None:
        url = _db_argument(url)  # a pathlib.Path is its path; an int or bytes: TypeError
        if isinstance(url, str) and not url.strip():  # '' opened the default database
            raise StoreError(
                "the database path is empty; give a database URL or path, or None for the "
                "default database"
            )
        self.url = resolve_db_url(url)
        self.read_only = read_only
        try:
            parsed = db_url(url)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            raise StoreError(f"'{_safe(self.url)}' is not a database URL or path") from None
        # how messages name the database: a SQLite file by its path as written (its URL
        # showed 'корпус' as '%D0%BA%D0%BE...'), another by its URL without the password
        self._shown = (
            parsed.database
            if parsed.get_backend_name() == "sqlite" and parsed.database
            else _safe(self.url)
        )
        if not create or read_only:
            self._require_store(parsed)
        file = _sqlite_path(parsed)
        # a mistyped path made a new, empty store: dataframe() says so (see created)
        self.created = file is not None and not os.path.lexists(file)
        self._file = file
        if parsed.get_backend_name() == "sqlite":
            self.engine = self._sqlite_engine(parsed, read_only=read_only)
        else:
            try:
                self.engine = create_engine(parsed, pool_pre_ping=True)
            except (ArgumentError, ImportError) as exc:
                raise StoreError(f"cannot use the database '{self._shown}': {exc}") from None
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._fold_collation: str | None = None
        self._reading = threading.local()  # a thread's open snapshot (see snapshot())
        from propscope.migrations import SchemaError, at_head, upgrade

        try:
            if not read_only:
                upgrade(self.engine)  # a new database is created, an older one upgraded
            elif not at_head(self.engine):
                self.engine.dispose()
                raise StoreUpgradeNeeded(
                    f"the database '{self._shown}' needs an upgrade to this propscope's "
                    "schema and is read-only here; open it once where it can be written "
                    "(propscope batch) to upgrade it"
                )
            if self.engine.dialect.name == "postgresql":
                self._fold_collation = self._unicode_collation()
        except (SQLAlchemyError, SchemaError) as exc:
            self.engine.dispose()
            reason = _reason(exc) if isinstance(exc, SQLAlchemyError) else str(exc)
            raise StoreError(f"cannot open the database '{self._shown}': {reason}") from None

    def _require_store(self, parsed: URL) -> None:
        """Raise :class:`NotAStore` unless the database holds propscope's tables, looking
        without writing: a SQLite file is probed read-only, before the switch to WAL."""
        from propscope.migrations import SchemaError, at_head

        sqlite = parsed.get_backend_name() == "sqlite"
        shown = self._shown
        file = _sqlite_path(parsed)
        if file is not None and not os.path.lexists(file):  # "unable to open database file"
            raise NotAStore(
                f"no database at '{shown}'; check the path, or run propscope batch to store "
                "articles in a new one"
            )
        try:
            if sqlite:
                probe = self._sqlite_engine(parsed, read_only=True)
            else:
                probe = create_engine(parsed)
        except (ArgumentError, ImportError):  # opening it for good reports it
            return
        try:
            with probe.connect() as connection:
                tables = set(inspect(connection).get_table_names())
            if "articles" in tables:
                at_head(probe)  # a foreign 'articles' table, or a newer schema: SchemaError
                return
        except (SQLAlchemyError, SchemaError) as exc:
            reason = _reason(exc) if isinstance(exc, SQLAlchemyError) else str(exc)
            raise StoreError(f"cannot open the database '{shown}': {reason}") from None
        finally:
            probe.dispose()
        if not tables:  # an empty file: the one a store would be made in
            advice = "run propscope batch to store articles in it, or give another --db"
            raise NotAStore(f"'{shown}' is an empty database, not a propscope one; {advice}")
        names = sorted(tables)
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise NotAStore(
            f"'{shown}' is not a propscope database (it holds other tables: {listed}); give "
            "the --db that propscope batch wrote"
        )

    def _unicode_collation(self) -> str | None:
        """A PostgreSQL collation whose ``lower()`` knows every script, for case-insensitive
        filters: ``lower()`` follows the column's collation, which under a "C" locale lowers
        ASCII only (a UTF-8 locale lowers all). The builtin one (PostgreSQL 17+) or ICU's;
        None where the server has neither: filters then ignore the case of ASCII letters only.
        """
        with self.engine.connect() as connection:
            for name in _UNICODE_COLLATIONS:
                try:
                    with connection.begin_nested():  # an unknown collation fails alone
                        probe = f"SELECT lower('ÄΣЖ' COLLATE \"{name}\") = 'äσж'"
                        if connection.exec_driver_sql(probe).scalar():
                            return name
                except SQLAlchemyError:
                    continue
        return None

    def _fold(self, value: Any) -> Any:
        """``value`` (a column or a string) in one case, by the same function on both sides
        of a comparison, so the search (``q``) ignores case and Unicode normal form (NFC/NFD
        accents) in every language: :func:`_casefold` on SQLite (registered on connect;
        SQLite's ``lower()`` knows ASCII only), ``lower(normalize(x, NFKC))`` under a Unicode
        collation on PostgreSQL (one letter for one: "STRASSE" finds "Straße" on SQLite only).
        Sources are not compared so: they are folded here, in Python (:func:`source_key`), so
        both databases group and filter them alike. Nothing folded is stored, so databases
        written before keep matching."""
        if self.engine.dialect.name == "sqlite":
            return func.propscope_casefold(value)
        if isinstance(value, str):
            value = literal(value, String)
        # one Unicode form first (NFD "réforme" is NFC "réforme"): normalize() needs a
        # UTF-8 database, which PostgreSQL's default (and psycopg's) is
        value = func.normalize(value, literal_column("NFKC"))
        if self._fold_collation:
            value = value.collate(self._fold_collation)
        return func.lower(value)

    def _sqlite_engine(self, parsed, *, read_only: bool = False) -> Engine:
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            if self.url == default_db_url():
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:  # a read-only HOME, a file where the folder goes
                    reason = exc.strerror or type(exc).__name__
                    raise StoreError(
                        f"cannot create the folder '{folder}' for the default database "
                        f"({reason}); give a database path (--db PATH, or Store(PATH) in "
                        f"Python) or set ${DB_URL_ENV} to one"
                    ) from None
            elif not folder.is_dir():
                raise StoreError(
                    f"cannot open the database '{database}': folder '{folder}' does not exist"
                )
        # A web server's threads and a batch process share the file: wait for locks rather
        # than fail at once, and let readers go on while one writer writes (WAL).
        connect_args = {"timeout": 30, "check_same_thread": False}
        switch_to_wal = bool(database) and database != ":memory:"
        if read_only and switch_to_wal and not database.startswith("file:"):
            path = os.path.abspath(Path(database).expanduser())
            engine = create_engine(parsed, creator=lambda: _read_only_sqlite(path, connect_args))
        else:  # a file: URI (uri=true) is opened as it says
            engine = create_engine(parsed, connect_args=connect_args)
        switch_to_wal = switch_to_wal and not read_only

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            connection.create_function("propscope_casefold", 1, _casefold, deterministic=True)
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if switch_to_wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine

    def begin_run(self) -> BatchRun:
        """Register a batch run that claims its work (see :class:`BatchRun`); close it after."""
        return BatchRun(self)

    def close(self) -> None:
        """Release the connections (the data stays)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({_safe(self.url)!r})"

    # --- writing ------------------------------------------------------------------------------

    @staticmethod
    def content_hash(text: str) -> str:
        """SHA-256 (hex) of the text as given: the identity of a stored article."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def has(self, content_hash: str) -> bool:
        return self.find(content_hash) is not None

    def find(self, content_hash: str) -> int | None:
        """The id of the article with this content hash, or None."""
        with self._read() as session:
            return session.scalar(
                select(_ArticleRow.id).where(_ArticleRow.content_hash == content_hash)
            )

    def stored_model(self, content_hash: str) -> tuple[str, str, str | None] | None:
        """The model version, language and model name (None where the stored analysis
        has none) of the article with this content hash, or None. The name is read from
        the stored analysis's ``model`` in the database (a JSON path), not by loading it."""
        found = self.stored_with_metadata(content_hash)
        return None if found is None else found[0]

    def stored_with_metadata(
        self, content_hash: str
    ) -> tuple[tuple[str, str, str | None], dict[str, Any] | None] | None:
        """:meth:`stored_model` of the article with this content hash and the metadata it was
        stored with (None when that is no JSON object: edited by hand), in one query (batch
        asks for every record of a rerun); None when no article has this text."""
        name = _ArticleRow.analysis[("model", "name")].as_string()
        # as text, parsed here: a value edited into no JSON must not stop a rerun
        meta = cast(_ArticleRow.meta, Text)
        with self._read() as session:
            row = session.execute(
                select(_ArticleRow.model_version, _ArticleRow.language, name, meta).where(
                    _ArticleRow.content_hash == content_hash
                )
            ).first()
        if row is None:
            return None
        try:
            metadata = json.loads(row[3]) if row[3] is not None else None
        except ValueError:
            metadata = None
        return (row[0], row[1], row[2]), metadata if isinstance(metadata, dict) else None

    def replace_analyses(
        self, items: list[tuple[Article, Analysis]], *, run: BatchRun | None = None
    ) -> list[int]:
        """Replace stored articles' analyses (found by their text) with new ones, in one
        transaction: each article's findings, analysis, language and model version together.
        What was stored about each is kept: its id, title, source, url, published date,
        metadata and time stored, and the analysis's article id, source, title and metadata.
        An article no longer stored (deleted meanwhile) is left out; returns the ids replaced.
        With ``run``, that batch run's claims on these texts are released in the transaction.
        """
        for article, analysis in items:
            if article.text != analysis.text:
                raise ValueError(
                    f"article '{article.id}' and its analysis have different texts; store the "
                    "article that was analysed"
                )
        hashes = [self.content_hash(analysis.text) for _, analysis in items]
        try:
            with self._session.begin() as session:
                ids = []
                for (_, analysis), key in zip(items, hashes, strict=True):
                    row = session.execute(
                        select(_ArticleRow.id, _ArticleRow.analysis).where(
                            _ArticleRow.content_hash == key
                        )
                    ).first()
                    if row is None:
                        continue
                    dumped = analysis.model_dump(mode="json", exclude={"text"})
                    stored = row[1].get("article") if isinstance(row[1], dict) else None
                    kept = {
                        k: stored[k]
                        for k in ("id", "source", "title", "metadata")
                        if isinstance(stored, dict) and k in stored
                    }
                    dumped["article"] = storable({**dumped["article"], **kept})
                    values: dict[str, Any] = {
                        "analysis": dumped,
                        "model_version": analysis.model.version[:64],
                    }
                    if analysis.language:
                        values["language"] = analysis.language.code.lower()[:16]
                    session.execute(
                        update(_ArticleRow).where(_ArticleRow.id == row[0]).values(**values)
                    )
                    session.execute(delete(_SpanRow).where(_SpanRow.article_id == row[0]))
                    spans = [_span_row(row[0], s) for s in analysis.spans]
                    if spans:
                        session.execute(insert(_SpanRow), spans)
                    ids.append(row[0])
                if run is not None:
                    for chunk in _chunks(sorted(set(hashes)), 500):
                        session.execute(
                            delete(_ClaimRow).where(
                                _ClaimRow.run_id == run.id, _ClaimRow.content_hash.in_(chunk)
                            )
                        )
                return ids
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store articles: {_reason(exc)}") from None

    def add(self, article: Article, analysis: Analysis, *, metadata: dict | None = None) -> int:
        """Store one article with its analysis; an already stored text keeps its row and id."""
        return self.add_many([(article, analysis, metadata or {})])[0]

    def add_new(
        self, article: Article, analysis: Analysis, *, metadata: dict | None = None
    ) -> tuple[int, bool]:
        """Store one article unless its text is stored; its id, and True when this call
        stored it. Of concurrent calls with one text (threads, processes, servers on one
        database) exactly one gets True: the unique content hash decides, not a prior look-up.
        """
        rows = [self._article_row(article, analysis, metadata or {})]
        return self._insert_retrying(rows, [analysis], None)[0]

    def add_many(
        self, items: list[tuple[Article, Analysis, dict]], *, run: BatchRun | None = None
    ) -> list[int]:
        """Store many articles in one transaction; returns their ids in order.

        Texts already stored (or repeated within ``items``) are not stored again: their
        existing id is returned. A concurrent writer storing the same text makes the
        transaction retry once, then see that text as stored. With ``run``, that batch run's
        claims on these texts are released in the same transaction.
        """
        rows = [self._article_row(article, analysis, meta) for article, analysis, meta in items]
        analyses = [analysis for _, analysis, _ in items]
        return [i for i, _ in self._insert_retrying(rows, analyses, run)]

    def _insert_retrying(
        self, rows: list[dict], analyses: list[Analysis], run: BatchRun | None
    ) -> builtins.list[tuple[int, bool]]:
        for attempt in range(2):
            try:
                return self._insert(rows, analyses, run)
            except IntegrityError:
                if attempt:
                    raise
            except SQLAlchemyError as exc:
                raise StoreError(f"cannot store articles: {_reason(exc)}") from None
        raise AssertionError("unreachable")

    def _insert(
        self, rows: list[dict], analyses: list[Analysis], run: BatchRun | None
    ) -> builtins.list[tuple[int, bool]]:
        """(id, stored now) per row, in one transaction."""
        with self._session.begin() as session:
            hashes = {row["content_hash"] for row in rows}
            known: dict[str, int] = {}
            for chunk in _chunks(sorted(hashes), 500):
                query = select(_ArticleRow.content_hash, _ArticleRow.id).where(
                    _ArticleRow.content_hash.in_(chunk)
                )
                known.update(session.execute(query).all())
            ids: list[tuple[int, bool]] = []
            for row, analysis in zip(rows, analyses, strict=True):
                created = row["content_hash"] not in known
                if created:
                    new_id = session.execute(
                        insert(_ArticleRow).returning(_ArticleRow.id), [row]
                    ).scalar_one()
                    known[row["content_hash"]] = new_id
                    spans = [_span_row(new_id, s) for s in analysis.spans]
                    if spans:
                        session.execute(insert(_SpanRow), spans)
                ids.append((known[row["content_hash"]], created))
            for chunk in _chunks(sorted(hashes), 500):
                # a text stored now no longer fails: its failure (recorded under its content
                # hash, e.g. a source too long in an earlier run) would be counted by anyone
                # who reads the failures table
                session.execute(delete(_FailureRow).where(_FailureRow.key.in_(chunk)))
                if run is not None:
                    session.execute(
                        delete(_ClaimRow).where(
                            _ClaimRow.run_id == run.id, _ClaimRow.content_hash.in_(chunk)
                        )
                    )
            return ids

    def _article_row(self, article: Article, analysis: Analysis, extra: Mapping) -> dict:
        if article.text != analysis.text:
            raise ValueError(
                f"article '{article.id}' and its analysis have different texts; store the "
                "article that was analysed"
            )
        # Metadata is stored whatever it holds: NUL and lone surrogates (a JSONL record's
        # "source": "\ud800") become U+FFFD, a URL that does not parse derives no source.
        metadata = storable(
            _jsonable({**article.metadata, **analysis.article.metadata, **(extra or {})})
        )
        url = _text(metadata.get("url"))
        # The title line of the text, unless the caller gives a title for this article (the
        # web's "title" field); a record's own title counts only when the text has none.
        title = (
            _text((extra or {}).get("title"))
            or analysis.article.title
            or article.title
            or _text(metadata.get("title"))
        )
        if (problem := _named_source_problem(metadata)) is not None:
            raise ValueError(problem)
        source = _source(metadata, url)
        dumped = analysis.model_dump(mode="json", exclude={"text"})
        dumped["article"] = storable(dumped["article"])  # the rest comes from the text
        return {
            "content_hash": self.content_hash(analysis.text),
            "title": storable(title),
            "source": source,
            "url": url,
            "published": _published(metadata),
            "language": (
                (analysis.language.code if analysis.language else None)  # detected by analyze()
                or _text(metadata.get("language"))
                or _text(metadata.get("lang"))
                or _DEFAULT_LANGUAGE
            ).lower()[:16],
            "model_version": analysis.model.version[:64],
            "created_at": datetime.now(UTC),
            "words": len(_WORD.findall(analysis.text)),
            "text": analysis.text,
            "analysis": dumped,
            "meta": metadata,
        }

    def record_failure(
        self,
        key: str,
        source: str | None,
        reason: str,
        *,
        record: str | None = None,
        location: str | None = None,
    ) -> None:
        """Remember an input that could not be analysed (one row per key; retries update it).

        ``record`` is the record's id and ``location`` where it came from (``file.jsonl:12``,
        a file of a folder, the input file), so that a failure keyed by its text's hash can be
        found again. NUL and lone surrogates become U+FFFD, and a key longer than the column
        keeps its start and a digest of the whole (distinct keys stay distinct).
        """
        key, source, reason = storable(key), storable(source), storable(reason)
        record, location = storable(record), storable(location)
        if len(key) > _MAX_FAILURE_KEY:
            digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
            key = f"{key[: _MAX_FAILURE_KEY - 18]}…#{digest}"
        now = datetime.now(UTC)
        with self._session.begin() as session:
            row = session.scalar(select(_FailureRow).where(_FailureRow.key == key))
            if row is None:
                session.add(
                    _FailureRow(
                        key=key,
                        source=source,
                        reason=reason,
                        record=record,
                        location=location,
                        attempts=1,
                        created_at=now,
                        updated_at=now,
                    )
                )
            else:
                row.source, row.reason, row.updated_at = source, reason, now
                row.record = record if record is not None else row.record
                row.location = location if location is not None else row.location
                row.attempts += 1

    def failures(self) -> list[dict]:
        """Recorded failures, oldest first: ``key``, ``source``, ``reason``, ``record`` (the
        record's id), ``location`` (where it came from; both None when not known or recorded
        before they were kept), ``attempts``, ``created_at``, ``updated_at``."""
        with self._read() as session:
            rows = session.scalars(select(_FailureRow).order_by(_FailureRow.id)).all()
            return [
                {
                    "key": r.key,
                    "source": r.source,
                    "reason": r.reason,
                    "record": r.record,
                    "location": r.location,
                    "attempts": r.attempts,
                    "created_at": _aware(r.created_at),
                    "updated_at": _aware(r.updated_at),
                }
                for r in rows
            ]

    def delete(self, article_id: int) -> bool:
        """Delete one article and its spans; False when there was no such article."""
        try:
            with self._session.begin() as session:
                session.execute(delete(_SpanRow).where(_SpanRow.article_id == article_id))
                result = session.execute(delete(_ArticleRow).where(_ArticleRow.id == article_id))
                return result.rowcount > 0
        except SQLAlchemyError as exc:
            raise self._unavailable("delete from", exc) from None

    # --- reading ------------------------------------------------------------------------------

    def get(self, article_id: int) -> StoredArticle | None:
        """The article with this id, or None; :class:`StoreDamaged` when its row cannot be read."""
        with self._read() as session:
            try:
                row = session.get(_ArticleRow, article_id)
            except ValueError as exc:  # a column's value does not parse (JSON, a date)
                raise _damaged(article_id, exc) from None
            if row is None:
                return None
            key = None if row.source is None else source_key(row.source)
            names = _source_groups(session, None if key is None else {key})
            return _stored(row, names)

    def iter_articles(self, batch_size: int = 200) -> Iterator[StoredArticle]:
        """Every stored article with its analysis, by id, ``batch_size`` rows in memory at once.

        Pages by id (keyset) with a short transaction per page, so a long export neither holds
        a read transaction open nor misses rows other writers add meanwhile; inside
        :meth:`snapshot`, every page reads the snapshot. Each source group keeps the name it
        had at the first page (``source_group``), so one export names a group one way.
        """
        with self._read() as session:
            names = _source_groups(session)
        last = 0
        while True:
            with self._read() as session:
                page = (
                    select(_ArticleRow)
                    .where(_ArticleRow.id > last)
                    .order_by(_ArticleRow.id)
                    .limit(batch_size)
                )
                try:
                    rows = session.scalars(page).all()
                except ValueError as exc:  # one row's value does not parse: name that row
                    ids = session.scalars(page.with_only_columns(_ArticleRow.id)).all()
                    for article_id in ids:
                        self.get(article_id)
                    raise _damaged(None, exc) from None
                keys = {source_key(row.source) for row in rows if row.source is not None}
                if keys - names.keys():  # a source stored since the first page
                    names.update(_source_groups(session, keys - names.keys()))
                stored = [_stored(row, names) for row in rows]
            if not stored:
                return
            yield from stored
            last = stored[-1].id

    def count(self) -> int:
        with self._read() as session:
            return session.scalar(select(func.count(_ArticleRow.id))) or 0

    def list(
        self,
        *,
        source: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        technique: str | None = None,
        language: str | None = None,
        q: str | None = None,
        category: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[builtins.list[StoredArticleSummary], int]:
        """Stored articles matching every given filter, newest first, and how many match.

        ``date_from``/``date_to`` bound the publication date (inclusive; undated articles do
        not match a date filter); ``q`` searches title, text, source and URL. ``source`` finds
        the articles of its group in :meth:`stats` (:func:`source_key`: case, Unicode form,
        punycode and invisible characters ignored, alike on SQLite and PostgreSQL); ``q``
        ignores case in every script
        (see :meth:`_fold`).
        """
        conditions = []
        if date_from:
            conditions.append(_ArticleRow.published >= date_from)
        if date_to:
            conditions.append(_ArticleRow.published <= date_to)
        if language:
            conditions.append(_ArticleRow.language == language.lower())
        if technique:
            conditions.append(
                _ArticleRow.id.in_(
                    select(_SpanRow.article_id).where(_SpanRow.technique == technique)
                )
            )
        if category:
            conditions.append(
                _ArticleRow.id.in_(select(_SpanRow.article_id).where(_SpanRow.category == category))
            )
        if q and q.strip():
            # a LIKE pattern matching the text as given: its wildcards escaped
            # (in NFKC first, as _fold will make it: a full-width "％" becomes "%", escaped too)
            needle = re.sub(r"([/%_])", r"/\1", unicodedata.normalize("NFKC", q.strip()))
            pattern = literal("%") + self._fold(needle) + literal("%")
            conditions.append(
                or_(
                    *(
                        self._fold(column).like(pattern, escape="/")
                        for column in (
                            _ArticleRow.title,
                            _ArticleRow.text,
                            _ArticleRow.source,
                            _ArticleRow.url,
                        )
                    )
                )
            )
        columns = [getattr(_ArticleRow, name) for name in _SUMMARY_COLUMNS]
        with self._snapshot() as session:
            # tidied as a stored source is (_text): " Le Monde ", "Le\u00a0Monde", "Le  Monde"
            if source := _text(source):
                spellings = _spellings(session, {source_key(source)})
                conditions.append(_ArticleRow.source.in_(spellings))  # none: nothing matches
            total = session.scalar(select(func.count(_ArticleRow.id)).where(*conditions)) or 0
            query = (
                select(*columns)
                .where(*conditions)
                .order_by(_ArticleRow.created_at.desc(), _ArticleRow.id.desc())
                .limit(max(0, limit))
                .offset(max(0, offset))
            )
            rows = session.execute(query).mappings().all()
            ids = [r["id"] for r in rows]
            counts: dict[int, list[tuple[str, str, int]]] = {i: [] for i in ids}
            if ids:
                per_span = session.execute(
                    select(
                        _SpanRow.article_id,
                        _SpanRow.technique,
                        _SpanRow.category,
                        func.count(_SpanRow.id),
                    )
                    .where(_SpanRow.article_id.in_(ids))
                    .group_by(_SpanRow.article_id, _SpanRow.technique, _SpanRow.category)
                )
                for article_id, technique_name, category_name, n in per_span:
                    counts[article_id].append((technique_name, category_name, n))
        items = []
        for r in rows:
            techniques: dict[str, int] = {}
            categories: dict[str, int] = {}
            for technique_name, category_name, n in sorted(counts[r["id"]], key=lambda t: -t[2]):
                techniques[technique_name] = techniques.get(technique_name, 0) + n
                categories[category_name] = categories.get(category_name, 0) + n
            fields = {k: r[k] for k in _SUMMARY_COLUMNS}
            fields["created_at"] = _aware(fields["created_at"])
            items.append(
                StoredArticleSummary(
                    **fields,
                    spans=sum(techniques.values()),
                    by_technique=techniques,
                    by_category=dict(sorted(categories.items(), key=lambda kv: -kv[1])),
                )
            )
        return items, total

    def facets(self) -> dict[str, builtins.list[str]]:
        """The distinct sources, languages and techniques stored (for filter menus)."""
        with self._read() as session:

            def values(column) -> builtins.list[str]:
                query = select(column).distinct().where(column.is_not(None)).order_by(column)
                return [v for v in session.scalars(query) if v]

            # one entry per source group, as stats() names it ("BBC" and "bbc" list the same)
            names = _source_groups(session).values()
            sources = sorted((name for name in names if name), key=source_key)

            return {
                "sources": sources,
                "languages": values(_ArticleRow.language),
                "techniques": values(_SpanRow.technique),
                "categories": values(_SpanRow.category),
            }

    def models(self) -> builtins.list[dict]:
        """The span models the stored articles were analysed with, most articles first: one
        dict per model and blind spot with ``model``, ``articles`` and
        ``untrained_techniques`` (what that model was never trained to find, so what a corpus
        count cannot show for those articles; empty for analyses stored before it was kept)."""
        name = _ArticleRow.analysis[("model", "name")].as_string()
        # the list as JSON text: grouping on it works alike in SQLite and PostgreSQL
        untrained = _ArticleRow.analysis[("model", "untrained_techniques")].as_string()
        query = (
            select(name, untrained, func.count(_ArticleRow.id))
            .group_by(name, untrained)
            .order_by(func.count(_ArticleRow.id).desc(), name, untrained)
        )
        with self._read() as session, self._json_read():
            return [
                {
                    "model": model or "unknown",
                    "articles": count,
                    "untrained_techniques": _json_list(techniques),
                }
                for model, techniques, count in session.execute(query)
            ]

    def stats(self, by: StatsKey) -> builtins.list[dict]:
        """Corpus statistics grouped by ``by``; one dict per group, largest first.

        For ``source``, ``month`` (of publication; ``key`` None holds undated articles),
        ``topic`` (the article's main frame, SemEval-2023 subtask 2) and ``genre`` each group
        has ``articles``, ``words``, ``spans``, ``per_1000_words`` and, for every technique
        and category found, ``{"spans": n, "articles": m}`` (m = articles in the group using
        it). For ``technique`` and ``category`` each group has ``spans``,
        ``articles`` (articles using it), ``share_of_articles``, ``per_1000_words`` (over all
        stored words) and, for categories, the per-technique breakdown.
        """
        if by not in (*ARTICLE_KEYS, "technique", "category"):
            raise ValueError(
                f"cannot group statistics by {by!r}; use source, month, topic, genre, "
                "technique or category"
            )
        with self._snapshot() as session, self._json_read():  # its queries must agree
            if by in ("technique", "category"):
                return self._stats_by_label(session, by)
            return self._stats_by_article_key(session, by)

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """Read several times from one state of the database, e.g. a dashboard's count and
        statistics: inside the block, every read of this thread through this store sees the
        database as it was at the block's first read, whatever other writers (a batch run)
        commit meanwhile, so the numbers of one page agree. Writes are not part of it.

        >>> with store.snapshot():  # doctest: +SKIP
        ...     articles, by_source = store.count(), store.stats("source")
        """
        if getattr(self._reading, "session", None) is not None:  # nested: the outer one
            yield self
            return
        with self._snapshot() as session:
            self._reading.session = session
            try:
                yield self
            finally:
                self._reading.session = None

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A session whose queries all read one snapshot of the database, whatever other
        writers commit meanwhile (the open :meth:`snapshot`'s, if any). By default each query
        saw the newest commit: pysqlite opens no transaction for a SELECT, and PostgreSQL's
        READ COMMITTED takes a snapshot per statement, so an article stored between two
        queries of one statistic had spans but no group (KeyError). SQLite: one explicit read
        transaction (in WAL mode a snapshot, writers go on); PostgreSQL: REPEATABLE READ (a
        reading transaction never conflicts).
        """
        current = getattr(self._reading, "session", None)
        try:
            if current is not None:
                yield current
                return
            with self._session() as session:
                dialect = self.engine.dialect.name
                if dialect == "postgresql":
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                elif dialect == "sqlite":
                    session.connection().exec_driver_sql("BEGIN")  # ended by the rollback
                yield session
        except SQLAlchemyError as exc:
            raise self._unavailable("read", exc) from None

    @contextmanager
    def _json_read(self) -> Iterator[None]:
        """Inside the block, SQLite's "malformed JSON" (a query reading into a stored analysis
        that is not JSON) is :class:`StoreDamaged` naming the first such article."""
        try:
            yield
        except OperationalError as exc:
            if self.engine.dialect.name != "sqlite" or "malformed JSON" not in str(exc.orig):
                raise
            with self._session() as session:  # a fresh one: the failed one may be a snapshot's
                article_id = session.scalar(
                    select(_ArticleRow.id)
                    .where(
                        or_(~func.json_valid(_ArticleRow.analysis), _ArticleRow.analysis.is_(None))
                    )
                    .order_by(_ArticleRow.id)
                    .limit(1)
                )
            raise _damaged(article_id, ValueError("its analysis is not JSON")) from None

    @contextmanager
    def _read(self) -> Iterator[Any]:
        """A session to read with: the open :meth:`snapshot`'s in this thread, else a new one."""
        current = getattr(self._reading, "session", None)
        try:
            if current is not None:
                yield current
                return
            with self._session() as session:
                yield session
        except SQLAlchemyError as exc:
            raise self._unavailable("read", exc) from None

    def _unavailable(self, doing: str, exc: SQLAlchemyError) -> StoreUnavailable:
        """A failure of the database while reading or deleting, as one line: a server down,
        a database dropped, a table missing (which :class:`StoreError` callers handle)."""
        return StoreUnavailable(f"cannot {doing} the database '{self._shown}': {_reason(exc)}")

    def _key_expression(self, by: str):
        if by == "source":
            return _ArticleRow.source
        if by == "topic":  # read from the stored analysis: alike in SQLite and PostgreSQL
            return _ArticleRow.analysis[("frames", "main")].as_string()
        if by == "genre":
            return _ArticleRow.analysis[("genre", "label")].as_string()
        # 'YYYY-MM' from a date: a string prefix works the same in SQLite and PostgreSQL.
        return func.substr(cast(_ArticleRow.published, String), 1, 7)

    def _stats_by_article_key(self, session, by: str) -> builtins.list[dict]:
        # Each article's key is read once (topic and genre come out of the stored analysis,
        # a JSON parse per article), then the per-article span counts, which need no key,
        # are added up here: joining spans to a JSON-derived key parsed it once per query.
        # Sources group as the source filter compares them (Store.list, source_key, folded
        # here in Python, so alike on every database): "BBC" and "bbc" are one outlet, named
        # by its most common spelling (_most_common: on a tie one without invisible
        # characters, then the first stored; _source_groups names them so too), so a
        # dashboard row counts what the Library page it links to lists.
        key_of: dict[int, Any] = {}
        groups: dict[Any, dict] = {}
        spellings: dict[Any, dict[Any, int]] = {}
        keys: dict[str, str] = {}  # source -> source_key, each spelling folded once
        query = select(_ArticleRow.id, self._key_expression(by), _ArticleRow.words)
        for article_id, shown, words in session.execute(query.order_by(_ArticleRow.id)):
            k = shown
            if by == "source" and shown is not None:
                k = keys[shown] if shown in keys else keys.setdefault(shown, source_key(shown))
            key_of[article_id] = k
            counts = spellings.setdefault(k, {})
            counts[shown] = counts.get(shown, 0) + 1
            group = groups.setdefault(
                k,
                {
                    "key": shown,
                    "articles": 0,
                    "words": 0,
                    "spans": 0,
                    "per_1000_words": 0.0,
                    "techniques": {},
                    "categories": {},
                },
            )
            group["articles"] += 1
            group["words"] += int(words or 0)
        for label, field in (("techniques", _SpanRow.technique), ("categories", _SpanRow.category)):
            query = select(_SpanRow.article_id, field, func.count(_SpanRow.id)).group_by(
                _SpanRow.article_id, field
            )
            for article_id, name, n in session.execute(query):
                used = groups[key_of[article_id]][label].setdefault(
                    name, {"spans": 0, "articles": 0}
                )
                used["spans"] += n
                used["articles"] += 1
        for group in groups.values():  # most spans first, as the SQL ordering gave
            for label in ("techniques", "categories"):
                group[label] = dict(
                    sorted(group[label].items(), key=lambda kv: (-kv[1]["spans"], kv[0]))
                )
        for k, group in groups.items():
            group["key"] = _most_common(spellings[k])
            group["spans"] = sum(t["spans"] for t in group["techniques"].values())
            group["per_1000_words"] = _rate(group["spans"], group["words"])
        if by == "month":  # chronological, undated last
            return sorted(groups.values(), key=lambda g: (g["key"] is None, g["key"] or ""))
        return sorted(groups.values(), key=lambda g: (-g["articles"], -g["spans"], g["key"] or ""))

    def _stats_by_label(self, session, by: str) -> builtins.list[dict]:
        field = _SpanRow.technique if by == "technique" else _SpanRow.category
        articles, words = session.execute(
            select(func.count(_ArticleRow.id), func.coalesce(func.sum(_ArticleRow.words), 0))
        ).one()
        groups: dict[str, dict] = {}
        query = (
            select(
                field,
                func.min(_SpanRow.category),
                func.count(_SpanRow.id),
                func.count(distinct(_SpanRow.article_id)),
            )
            .group_by(field)
            .order_by(func.count(_SpanRow.id).desc(), field)
        )
        for name, category, n, using in session.execute(query):
            group = {
                "key": name,
                "spans": n,
                "articles": using,
                "share_of_articles": round(using / articles, 4) if articles else 0.0,
                "per_1000_words": _rate(n, int(words)),
            }
            if by == "technique":
                group["category"] = category
            groups[name] = group
        if by == "category":
            for group in groups.values():
                group["techniques"] = {}
            breakdown = (
                select(
                    _SpanRow.category,
                    _SpanRow.technique,
                    func.count(_SpanRow.id),
                    func.count(distinct(_SpanRow.article_id)),
                )
                .group_by(_SpanRow.category, _SpanRow.technique)
                .order_by(func.count(_SpanRow.id).desc(), _SpanRow.technique)
            )
            for category, technique, n, using in session.execute(breakdown):
                groups[category]["techniques"][technique] = {"spans": n, "articles": using}
        return list(groups.values())

    def iter_spans(self) -> Iterator[dict]:
        """Every stored finding with its article's fields, by article then position (exports)."""
        query = (
            select(
                _ArticleRow.id.label("article_id"),
                _ArticleRow.content_hash,
                _ArticleRow.title,
                _ArticleRow.source,
                _ArticleRow.url,
                _ArticleRow.published,
                _ArticleRow.language,
                _ArticleRow.model_version,
                _SpanRow.technique,
                _SpanRow.category,
                _SpanRow.start,
                _SpanRow.end,
                _SpanRow.text,
                _SpanRow.confidence,
                _SpanRow.voice,
                _SpanRow.speaker,
            )
            .join(_ArticleRow, _SpanRow.article_id == _ArticleRow.id)
            .order_by(_ArticleRow.id, _SpanRow.start, _SpanRow.end, _SpanRow.id)
            .execution_options(yield_per=1000)
        )
        with self._read() as session:
            for row in session.execute(query).mappings():
                yield dict(row)

    def dataframe(self, level: Literal["spans", "articles", "paragraphs"] = "spans"):
        """Every stored article as a pandas DataFrame, one row per finding, article or
        paragraph; columns as ``propscope.to_dataframe`` plus the store's ``store.*``
        (``store.source`` as stored, ``store.source_group`` the group :meth:`stats` counts
        it in: group by that to count as ``stats --by source`` does).

        A store this ``Store`` created (the path named no database) warns that its frame is
        empty for that reason: a mistyped path read as "no findings"."""
        from propscope.integrations.frames import store_dataframe

        frame = store_dataframe(self, level)
        if self.created and not self.count():
            import warnings

            warnings.warn(
                f"no database was at '{self._file}': Store() created it, empty, so the "
                "frame is empty; check the path, and open databases to read them with "
                "Store(path, create=False), which refuses a missing one",
                stacklevel=2,
            )
        return frame


# --- batch runs sharing work -------------------------------------------------------------------

HEARTBEAT_SECONDS = 15.0  # a live run says so this often ...
STALE_SECONDS = 90.0  # ... and one silent this long is dead (its claims are taken over)


class BatchRun:
    """One batch run's registration and work claims in a store, so concurrent runs on one
    database (processes, machines) never analyse the same article twice.

    Claim an article's content hash before analysing it (:meth:`claim`); storing it with
    ``store.add_many(..., run=run)`` releases the claim in the same transaction, and
    :meth:`release` gives it back after a failure. A claim is an insert on a unique key, so
    of two runs exactly one gets it. A run is dead, and its claims free for others, when its
    heartbeat (every ``HEARTBEAT_SECONDS``, from a thread) is older than ``stale_seconds``,
    or at once when it ran on this host and its process is gone: a rerun after ``kill -9``
    resumes without waiting.

    >>> with store.begin_run() as run:  # doctest: +SKIP
    ...     key = Store.content_hash(article.text)
    ...     if run.claim(key) and not store.has(key):  # claim first, then look
    ...         store.add_many([(article, analyze(article), {})], run=run)
    """

    def __init__(
        self,
        store: Store,
        *,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        stale_seconds: float = STALE_SECONDS,
    ) -> None:
        self.store = store
        self.id = uuid.uuid4().hex
        self.host = _host_identity()
        self.pid = os.getpid()
        self.stale_seconds = stale_seconds
        self._stop = threading.Event()
        try:
            with store._session.begin() as session:
                now = datetime.now(UTC)
                session.add(
                    _RunRow(
                        id=self.id, host=self.host, pid=self.pid, started_at=now, heartbeat_at=now
                    )
                )
            self.sweep()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot register the batch run: {_reason(exc)}") from None
        self._thread = threading.Thread(
            target=self._beat, args=(heartbeat_seconds,), daemon=True, name="batch-heartbeat"
        )
        self._thread.start()

    def __enter__(self) -> BatchRun:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def claim(self, content_hash: str) -> bool:
        """Take the article for this run; False when a live run holds it."""
        try:
            for _ in range(3):
                try:
                    with self.store._session.begin() as session:
                        session.execute(
                            insert(_ClaimRow),
                            [
                                {
                                    "content_hash": content_hash,
                                    "run_id": self.id,
                                    "claimed_at": datetime.now(UTC),
                                }
                            ],
                        )
                    return True
                except IntegrityError:
                    pass
                with self.store._session.begin() as session:
                    holder = session.scalar(
                        select(_ClaimRow.run_id).where(_ClaimRow.content_hash == content_hash)
                    )
                    if holder is None:  # released meanwhile: try again
                        continue
                    if holder == self.id:
                        return True
                    run = session.get(_RunRow, holder)
                    if run is not None and not self._dead(run):
                        return False
                    _drop_run(session, holder)  # its owner died: free all it held, try again
            return False
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot claim work: {_reason(exc)}") from None

    def release(self, content_hash: str) -> None:
        """Give an article back (its analysis failed; a later run may retry it)."""
        with self.store._session.begin() as session:
            session.execute(
                delete(_ClaimRow).where(
                    _ClaimRow.run_id == self.id, _ClaimRow.content_hash == content_hash
                )
            )

    def sweep(self) -> int:
        """Free the claims of dead runs and forget those runs; how many were dead."""
        with self.store._session.begin() as session:
            dead = [run.id for run in session.scalars(select(_RunRow)) if self._dead(run)]
            for run_id in dead:
                _drop_run(session, run_id)
        return len(dead)

    def close(self) -> None:
        """Release every claim still held and unregister (what was stored stays)."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            with self.store._session.begin() as session:
                _drop_run(session, self.id)
        except SQLAlchemyError:  # the database went away: the claims expire with the heartbeat
            pass

    def _dead(self, run: _RunRow) -> bool:
        if run.id == self.id:
            return False
        silent = (datetime.now(UTC) - _aware(run.heartbeat_at)).total_seconds()
        if silent > self.stale_seconds:
            return True
        return run.host == self.host and not _process_alive(run.pid)

    def _beat(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                with self.store._session.begin() as session:
                    row = session.get(_RunRow, self.id)
                    now = datetime.now(UTC)
                    if row is None:  # taken for dead (e.g. a suspended laptop): come back
                        session.add(
                            _RunRow(
                                id=self.id,
                                host=self.host,
                                pid=self.pid,
                                started_at=now,
                                heartbeat_at=now,
                            )
                        )
                    else:
                        row.heartbeat_at = now
            except SQLAlchemyError:  # busy or briefly unreachable: the next beat tries again
                continue


def _drop_run(session, run_id: str) -> None:
    session.execute(delete(_ClaimRow).where(_ClaimRow.run_id == run_id))
    session.execute(delete(_RunRow).where(_RunRow.id == run_id))


def _host_identity() -> str:
    """This host as seen by its processes: the host name and the pid namespace (containers
    sharing a host name still differ), so a pid is only ever checked where it means something."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()[:255]


def _process_alive(pid: int) -> bool:
    """Whether a process of this host runs; a zombie (killed, not yet reaped) does not."""
    if os.name != "posix":
        return True  # no cheap, safe check: rely on the heartbeat
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


# --- helpers -----------------------------------------------------------------------------------

_SUMMARY_COLUMNS = (
    "id",
    "content_hash",
    "title",
    "source",
    "url",
    "published",
    "language",
    "model_version",
    "created_at",
    "words",
)


def _read_only_sqlite(path: str, connect_args: dict[str, Any]) -> sqlite3.Connection:
    """A SQLite connection that cannot write the file (``mode=ro``).

    A WAL database needs its ``-shm`` index; where that does not exist and cannot be created
    (a read-only folder or mount), the file is read as immutable: no connection is using it
    then (each would have made the index), and on read-only storage none can start writing.
    A ``-wal`` file with changes in it then raises ``UnreadLog``: immutable reads skip it.
    """
    location = "file:" + quote(path)
    connection = sqlite3.connect(f"{location}?mode=ro", uri=True, **connect_args)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        connection.close()
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_CANTOPEN:
            raise
        # immutable=1 ignores the -wal file: with changes in it (a copy of db and db-wal
        # without the disposable -shm, a batch killed before its checkpoint) the newest
        # articles would be silently missing
        try:
            pending = os.path.getsize(path + "-wal") > 0
        except OSError:
            pending = False
        if pending:
            raise UnreadLog(
                f"the database '{path}' has changes in '{path}-wal' that cannot be read here "
                f"without its index '{path}-shm' (read-only storage); copy both files to "
                "writable storage and open the copy there"
            ) from None
        connection = sqlite3.connect(f"{location}?mode=ro&immutable=1", uri=True, **connect_args)
    return connection


def _stored(row: _ArticleRow, groups: Mapping[str, str]) -> StoredArticle:
    """The article of ``row``; ``groups`` (:func:`_source_groups`) names its source's group."""
    fields = {name: getattr(row, name) for name in _SUMMARY_COLUMNS}
    fields["created_at"] = _aware(fields["created_at"])
    source = fields["source"]
    fields["source_group"] = None if source is None else groups.get(source_key(source), source)
    if not isinstance(row.analysis, dict):  # JSON, but not an object (a string, a list)
        raise _damaged(row.id, ValueError("its analysis is not a JSON object"))
    try:
        analysis = Analysis.model_validate({**row.analysis, "text": row.text})
        return StoredArticle(**fields, metadata=row.meta or {}, analysis=analysis)
    except ValidationError as exc:
        raise _damaged(row.id, exc) from None


def _damaged(article_id: int | None, exc: ValueError) -> StoreDamaged:
    """The one line for a stored row that cannot be read (same start as the CLI's own)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or exc.title
        what = f"not what propscope wrote ({where}: {first['msg']})"
    elif isinstance(exc, json.JSONDecodeError):
        what = "its analysis or metadata is not JSON"
    else:
        what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    row = f"article {article_id}" if article_id is not None else "an article"
    remedy = f"delete article {article_id} and analyse its text again" if article_id else ""
    return StoreDamaged(
        f"the database cannot be read (a stored value cannot be read: {row} holds a damaged "
        f"row, {what}); restore the database from a backup" + (f", or {remedy}" if remedy else "")
    )


def _json_list(value: str | None) -> builtins.list:
    """A stored JSON list (``untrained_techniques``); an unreadable one counts as none."""
    try:
        parsed = json.loads(value) if value else []
    except ValueError:
        return []
    return parsed if isinstance(parsed, builtins.list) else []


def _span_row(article_id: int, span) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "technique": span.technique,
        "category": span.category,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "confidence": span.confidence,
        "voice": span.voice,
        "speaker": span.speaker,
    }


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _casefold(value: str | None) -> str | None:
    """SQLite's ``propscope_casefold()``: one form of Unicode (NFKC) and full case folding
    (``ẞ``, ``SS`` → ``ss``), so that "réforme" typed with a precomposed é (NFC) matches one
    pasted with e and a combining accent (NFD, as macOS copies text), and the reverse.
    Applied at query time to both sides of a comparison: nothing folded is stored."""
    if not isinstance(value, str):
        return value
    # NFKC again after folding: casefold can un-normalise (e.g. "ǰ" → "ǰ")
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def source_key(source: str) -> str:
    """What sources are grouped and filtered by: two sources are one outlet when their keys
    are equal. The source without the characters that print as nothing (:func:`_visible`:
    "BBC\\u200b", "B\\u00adBC" are "BBC"), in one Unicode form and case (:func:`_casefold`:
    "BBC", "bbc"; "Straße", "STRASSE"), with a domain's punycode labels read as the letters
    they stand for ("xn--bcher-kva.example" is "bücher.example", as sources stored before it
    was decoded are). Computed in Python on both sides, never in SQL, and never stored:
    SQLite and PostgreSQL fold text differently (``lower()`` changes one letter for one), so
    neither is asked to, and a database written before a rule was added groups by it too."""
    return _casefold(_unicode_host(_visible(source))) or ""


# What prints as nothing beside the format characters (category Cf): variation selectors
# ("C\ufe0f" is "C") and the combining grapheme joiner.
_INVISIBLE_MARKS = re.compile("[\u034f\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _visible(name: str) -> str:
    """``name`` without the characters that print as nothing: format characters (Unicode
    category Cf: zero-width space, joiners and non-joiner, soft hyphen, word joiner, BOM,
    bidi marks and controls), variation selectors and the combining grapheme joiner. Copied
    from web pages and spreadsheets they made one outlet several that read alike."""
    if name.isascii():  # no ASCII character is one of them
        return name
    name = _INVISIBLE_MARKS.sub("", name)
    return "".join(c for c in name if unicodedata.category(c) != "Cf")


def _spellings(session, keys: Collection[str]) -> builtins.list[str]:
    """The distinct stored sources whose :func:`source_key` is one of ``keys``."""
    query = select(_ArticleRow.source).distinct().where(_ArticleRow.source.is_not(None))
    return [s for s in session.scalars(query) if source_key(s) in keys]


def _source_groups(session, keys: Collection[str] | None = None) -> dict[str, str]:
    """:func:`source_key` -> the name :meth:`Store.stats` gives the group: its most common
    spelling, the first stored on a tie (one without invisible characters first: see
    :func:`_most_common`). Every group, or those of ``keys``."""
    query = (
        select(_ArticleRow.source, func.count(_ArticleRow.id))
        .where(_ArticleRow.source.is_not(None))
        .group_by(_ArticleRow.source)
        .order_by(func.min(_ArticleRow.id))  # the order stats() counts them in
    )
    if keys is not None:
        query = query.where(_ArticleRow.source.in_(_spellings(session, keys)))
    spellings: dict[str, dict[str, int]] = {}
    for source, n in session.execute(query):
        spellings.setdefault(source_key(source), {})[source] = n
    return {key: _most_common(counts) for key, counts in spellings.items()}


def _most_common(counts: Mapping[Any, int]) -> Any:
    """The value counted most often; of equals, one without invisible characters (a name
    copied from the output is then what it reads), then the first counted (dicts keep
    order)."""
    return max(counts.items(), key=lambda kv: (kv[1], _shows_whole(kv[0])))[0]


def _shows_whole(value: Any) -> bool:
    """Whether ``value`` holds none of the characters :func:`_visible` drops."""
    return not isinstance(value, str) or _visible(value) == value


def _rate(spans: int, words: int) -> float:
    return round(1000 * spans / words, 2) if words else 0.0


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _source(metadata: Mapping[str, Any], url: str | None) -> str | None:
    """The outlet: an explicit source, else the domain of the page, else its site name
    (whole: a name longer than the column is refused, see :func:`source_problem`)."""
    return _source_from(metadata, url)[1]


def _source_from(metadata: Mapping[str, Any], url: str | None) -> tuple[str, str | None]:
    """(the field the source comes from, the source) of :func:`_source`."""
    for key in ("source", "outlet", "hostname"):
        value = _text(metadata.get(key))
        if value and _visible(value):  # a name of nothing visible ("\u200b") names none
            return key, _domain(value) if key == "hostname" else value
    if url:
        host = url_host(url)
        if host:
            return "url", _domain(host)
    return "sitename", _text(metadata.get("sitename"))


def _named_source_problem(metadata: Mapping[str, Any]) -> str | None:
    field, source = _source_from(metadata, _text(metadata.get("url")))
    if source is None or len(source) <= MAX_SOURCE:
        return None
    return (
        f"its {field} is {len(source):,} characters long, more than the {MAX_SOURCE} a source "
        f"may have ('{source[:40]}…'); shorten it or leave it out"
    )


def source_problem(metadata: Mapping[str, Any]) -> str | None:
    """Why an article with this metadata cannot be stored with its source, or None.

    The source column holds ``MAX_SOURCE`` characters; a longer ``source``, ``outlet`` or
    ``sitename`` was cut to them, which made two different outlets one: it is refused
    instead (batch names the record). A domain (from ``hostname`` or the URL) is cut to the
    column: no DNS name is longer than 253 characters, so it cannot merge two real ones.
    """
    return _named_source_problem(storable(_jsonable(metadata)))


def url_host(url: str) -> str | None:
    """The host name of ``url``; None when it has none or does not parse (``http://[::1``)."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be parsed as a URL (``Invalid IPv6 URL``), or None when it can."""
    try:
        _ = urlsplit(url).hostname  # the property parses the netloc
    except ValueError as exc:
        return str(exc) or "it does not parse"
    return None


def _domain(host: str) -> str:
    """A host as a source: in Unicode, as people read it (punycode decoded, so a link to
    "xn--bcher-kva.example" and one to "bücher.example" name one outlet), in lower case,
    without a final dot or "www."."""
    host = unicodedata.normalize("NFC", _unicode_host(host.lower().rstrip("."))).lower()
    return (host[4:] if host.startswith("www.") else host)[:MAX_SOURCE]


def _unicode_host(name: str) -> str:
    """``name`` with each dot-separated punycode label ("xn--...", any case) decoded; a label
    that is no valid punycode, and any name holding white space (no host), stay as they are."""
    if "xn--" not in name.lower() or any(c.isspace() for c in name):
        return name
    labels = name.split(".")
    for i, label in enumerate(labels):
        if label[:4].lower() == "xn--":
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                continue
            if decoded and not decoded.isascii():  # ASCII only: not what punycode is for
                labels[i] = decoded
    return ".".join(labels)


def metadata_changes(given: Mapping[str, Any], stored: Mapping[str, Any]) -> builtins.list[str]:
    """The fields of a record's metadata (``given``) whose value is not the one an article
    was stored with (``stored``), a field only one of them has included: what storing the
    record would change. White space inside a value and at its ends is not compared, nor
    ``batch_input`` (the input file's name, which batch adds)."""
    a, b = _comparable(given), _comparable(stored)
    return [name for name in dict.fromkeys([*a, *b]) if a.get(name) != b.get(name)]


def metadata_fingerprint(metadata: Mapping[str, Any]) -> int:
    """A number equal for two records' metadata that :func:`metadata_changes` finds no
    change between (unequal ones differ but by a 1 in 2**64 chance): what batch keeps of
    each text it read, to tell a repeat with other fields without keeping them all."""
    return hash(json.dumps(_comparable(metadata), sort_keys=True, ensure_ascii=False))


def _comparable(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Metadata as it is stored (:func:`storable`, JSON), tidied for comparing."""
    tidied = {
        name: " ".join(value.split()) if isinstance(value, str) else value
        for name, value in storable(_jsonable(metadata)).items()
        if name != "batch_input"
    }
    return {name: value for name, value in tidied.items() if value not in ("", None)}


def storable(value: Any) -> Any:
    """``value`` (a JSON value) with NUL and lone surrogates in its strings as U+FFFD."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value


# The fields a publication date is read from, in this order: ``published``, then the names
# other tools give it (an HTML page's metadata date is ``date``). The first field given (not
# blank) is the date: one that cannot be read leaves the article undated, with a warning,
# rather than a date taken from another field, which may mean something else (the day it
# was scraped).
_DATE_KEYS = ("published", "date", "published_at", "publish_date", "pubdate")


def _date_field(metadata: Mapping[str, Any]) -> tuple[str, Any] | None:
    """(the field the publication date is read from, its value), or None when none is given."""
    return next(((key, metadata[key]) for key in _DATE_KEYS if _text(metadata.get(key))), None)


def _published(metadata: Mapping[str, Any]) -> date | None:
    """The publication date of the first date field given (see ``_DATE_KEYS``); None when
    none is given, or the one given cannot be read, is a placeholder (:func:`placeholder_date`)
    or lies in the future (see :func:`latest_publication`)."""
    given = _date_field(metadata)
    if given is None or placeholder_date(given[1]):
        return None
    day = _date(given[1])
    return day if day is not None and day <= latest_publication() else None


# The earliest publication date believed: an earlier one is a placeholder of a feed or a
# database (0001-01-01T00:00:00Z is Go's zero time, 1899-12-30 Excel's and OLE's day zero),
# not the date of a news article.
EARLIEST_PUBLICATION = date(1900, 1, 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def placeholder_date(value: Any) -> bool:
    """Whether ``value`` reads as a date that stands for none: before
    ``EARLIEST_PUBLICATION`` (1900), or the Unix epoch, 1970-01-01 (a date-time at exactly
    00:00:00 UTC, ``1969-12-31T19:00:00-05:00`` too, or that day alone): what a timestamp of
    0 prints as. Such a date is stored as no date, like one that cannot be read."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = _text(value)
        if not text or _date(text) is None:
            return False
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = parsedate_to_datetime(text)
    if moment.date() < EARLIEST_PUBLICATION:
        return True
    if moment.tzinfo is not None:
        try:
            return moment.astimezone(UTC) == _EPOCH
        except OverflowError:  # 9999-12-31T23:00:00-05:00: no epoch, and past any limit
            return False
    return moment == _EPOCH.replace(tzinfo=None)


# Days a publication date may lie after today's UTC date: time zones run up to 14 hours ahead.
FUTURE_DAYS = 2


def latest_publication() -> date:
    """The latest publication date the store believes: ``FUTURE_DAYS`` after today (UTC).

    A later one (9999-12-31, a typo of the year) is no date of an article that exists: it
    is stored undated, its value kept in the metadata, and a batch run names the record.
    """
    return datetime.now(UTC).date() + timedelta(days=FUTURE_DAYS)


def _date(value: Any) -> date | None:
    """A whole ISO 8601 date or date-time (with a time zone or not; the date as written),
    or an RFC 2822 one as feeds give ("Tue, 05 Mar 2024 10:00:00 GMT"); else None. Read
    strictly: "2024-03-051" is not 5 March, "2026-02-30" no day at all."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def unreadable_date(metadata: Mapping[str, Any]) -> str | None:
    """The publication date an article's metadata gives that cannot be read, is a
    placeholder (0001-01-01, 1970-01-01T00:00:00Z) or lies in the future (it is then stored
    undated, the raw value kept in its metadata), or None: read, or none given."""
    given = unreadable_date_field(metadata)
    return None if given is None else given[1]


def unreadable_date_field(metadata: Mapping[str, Any]) -> tuple[str, str] | None:
    """(the field, its value) of :func:`unreadable_date`, or None: which field was not read
    ("published", or another name of the date such as "date")."""
    given = _date_field(metadata)
    if given is None or _published(metadata) is not None:
        return None
    return given[0], str(_text(given[1]))


def _jsonable(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Metadata that survives JSON (dates become ISO strings, unknown objects strings)."""
    return json.loads(json.dumps(dict(metadata), default=_iso, ensure_ascii=False))


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def _chunks(values: builtins.list[str], size: int) -> Iterator[builtins.list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's message, first line only (SQLAlchemy adds SQL and a help link)."""
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
