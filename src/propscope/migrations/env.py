"""Alembic environment: runs on the connection the store hands over (``upgrade``), or, from
the ``alembic`` command line, on ``$PROPSCOPE_DB_URL`` / ``-x url=...``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from propscope.store import _Base, resolve_db_url

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=_Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(resolve_db_url(context.get_x_argument(as_dictionary=True).get("url")))
    with engine.connect() as own:
        run(own)
        own.commit()
    engine.dispose()
