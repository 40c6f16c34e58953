"""Failed records can be found again: ``failures`` gains ``record`` (the record's id, as the
input gives it) and ``location`` (where it came from: ``file.jsonl:LINE``, a CSV line, a file
of a folder, or the input file). A failure was kept under the SHA-256 of its text, which
named nothing a user could look up once the summary had shown its first 20.

Both columns are added empty (nullable): failures recorded before keep every value they had,
and read back with no record or location. Plain ``ADD COLUMN`` on SQLite and PostgreSQL; a
column already there is left as it is.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("failures")}
    for name in ("record", "location"):
        if name not in existing:  # there already: a database stamped back by hand, redone
            op.add_column("failures", sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("failures") as batch:
        batch.drop_column("location")
        batch.drop_column("record")
