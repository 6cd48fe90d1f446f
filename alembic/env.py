"""Alembic environment: Bookbug's tables, on the database its settings name.

A caller may pass a URL explicitly (tests, the migration helper) through
`config.attributes["url"]`; otherwise DATABASE_URL (or the embedded SQLite file) is used.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers Bookbug's tables on SQLModel.metadata
import bookbug.engine.tables  # noqa: F401 - and the engine's own
from bookbug.db.migrations import for_dialect
from bookbug.db.session import get_engine
from bookbug.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("url") or get_settings().db_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    with get_engine(url).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
            render_as_batch=url.startswith("sqlite"),
            compare_type=True,
            include_object=for_dialect(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
