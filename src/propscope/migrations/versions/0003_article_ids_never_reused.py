"""Article ids are never reused on SQLite: ``articles.id`` becomes ``AUTOINCREMENT``.

A plain ``INTEGER PRIMARY KEY`` hands the largest deleted id to the next row, so after
deleting the newest article an unrelated upload got its permalink (``/articles/N``) and its
``store_id`` in exports. SQLite cannot alter a primary key: the table is rebuilt with every
row, and ``spans`` (which references it) with it. ``spans`` goes first and is rebuilt against
the new table, because dropping ``articles`` while foreign keys are on (the store turns them
on, and they cannot be turned off inside the migration's transaction) would delete every span
by cascade. Copying the rows with their ids starts ``sqlite_sequence`` at the largest id; an
id deleted above it before this upgrade is not known and can be given once more.

PostgreSQL's sequences never reuse a value: nothing to do there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ARTICLE_COLUMNS = (
    "id", "content_hash", "title", "source", "url", "published", "language", "model_version",
    "created_at", "words", "text", "analysis", "metadata",
)  # fmt: skip
_SPAN_COLUMNS = (
    "id", "article_id", "technique", "category", "start", "end", "text", "confidence", "voice",
    "speaker",
)  # fmt: skip
_INDEXES = (  # (name, table, columns, unique): those of the baseline, recreated after renaming
    ("ix_articles_content_hash", "articles", ["content_hash"], True),
    ("ix_articles_created_at", "articles", ["created_at"], False),
    ("ix_articles_language", "articles", ["language"], False),
    ("ix_articles_published", "articles", ["published"], False),
    ("ix_articles_source", "articles", ["source"], False),
    ("ix_spans_article_id", "spans", ["article_id"], False),
    ("ix_spans_category", "spans", ["category"], False),
    ("ix_spans_technique", "spans", ["technique"], False),
)


def _new_tables() -> sa.MetaData:
    """The baseline's ``articles`` (with AUTOINCREMENT) and ``spans``, under temporary names."""
    metadata = sa.MetaData()
    sa.Table(
        "_propscope_new_articles",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "_propscope_new_spans",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("_propscope_new_articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("technique", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("voice", sa.String(length=16), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
    )
    return metadata


def _copy(bind, source: str, target: str, columns: tuple[str, ...]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    bind.exec_driver_sql(f'INSERT INTO "{target}" ({names}) SELECT {names} FROM "{source}"')


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    ddl = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles'"
    ).scalar()
    if "AUTOINCREMENT" in (ddl or "").upper():  # done already (e.g. downgraded, then redone)
        return
    counts = {
        t: bind.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in ("articles", "spans")
    }
    bind.exec_driver_sql("PRAGMA legacy_alter_table = OFF")  # renames update foreign keys
    _new_tables().create_all(bind)
    _copy(bind, "articles", "_propscope_new_articles", _ARTICLE_COLUMNS)
    _copy(bind, "spans", "_propscope_new_spans", _SPAN_COLUMNS)
    bind.exec_driver_sql("DROP TABLE spans")  # a child first: dropping it cascades nowhere
    bind.exec_driver_sql("DROP TABLE articles")  # no table references it any more
    bind.exec_driver_sql('ALTER TABLE "_propscope_new_articles" RENAME TO articles')
    bind.exec_driver_sql('ALTER TABLE "_propscope_new_spans" RENAME TO spans')
    for name, table, columns, unique in _INDEXES:
        op.create_index(name, table, columns, unique=unique)
    after = {t: bind.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in counts}
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if after != counts or broken:  # raising rolls the whole upgrade back
        raise RuntimeError(f"rebuilding articles lost rows ({counts} -> {after}, {broken})")


def downgrade() -> None:
    """Nothing to undo: ids that are never reused suit every earlier revision."""
