"""Baseline: the schema propscope 0.1.0 created (articles, spans, failures).

A database written before migrations existed already has these tables and no
``alembic_version``: the baseline creates only the tables it does not find, so upgrading such
a database keeps every row and stamps it. Column order, types and index names are exactly
those of 0.1.0's ``create_all`` (``tests/test_migrations.py`` compares the DDL).

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "articles" not in existing:
        op.create_table(
            "articles",
            sa.Column("id", sa.Integer(), nullable=False),
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
            sa.Column("analysis", _JSON, nullable=False),
            sa.Column("metadata", _JSON, nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_articles_content_hash", "articles", ["content_hash"], unique=True)
        op.create_index("ix_articles_created_at", "articles", ["created_at"])
        op.create_index("ix_articles_language", "articles", ["language"])
        op.create_index("ix_articles_published", "articles", ["published"])
        op.create_index("ix_articles_source", "articles", ["source"])
    if "failures" not in existing:
        op.create_table(
            "failures",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("key", sa.String(length=1024), nullable=False),
            sa.Column("source", sa.Text(), nullable=True),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("key"),
        )
    if "spans" not in existing:
        op.create_table(
            "spans",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("article_id", sa.Integer(), nullable=False),
            sa.Column("technique", sa.String(length=64), nullable=False),
            sa.Column("category", sa.String(length=64), nullable=False),
            sa.Column("start", sa.Integer(), nullable=False),
            sa.Column("end", sa.Integer(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("confidence", sa.Float(), nullable=False),
            sa.Column("voice", sa.String(length=16), nullable=False),
            sa.Column("speaker", sa.Text(), nullable=True),
            sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_spans_article_id", "spans", ["article_id"])
        op.create_index("ix_spans_category", "spans", ["category"])
        op.create_index("ix_spans_technique", "spans", ["technique"])


def downgrade() -> None:
    raise NotImplementedError("the baseline is never undone: it would drop stored articles")
