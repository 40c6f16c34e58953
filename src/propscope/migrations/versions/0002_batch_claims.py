"""Batch work claims: two ``propscope batch`` runs on one database never analyse an article
twice. A run registers in ``batch_runs`` (host, pid, heartbeat) and claims each article's
content hash in ``batch_claims`` before analysing it; the claims of a run that died are
taken over (see ``propscope.store.BatchRun``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "batch_claims",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("content_hash"),
    )
    op.create_index("ix_batch_claims_run_id", "batch_claims", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_batch_claims_run_id", table_name="batch_claims")
    op.drop_table("batch_claims")
    op.drop_table("batch_runs")
