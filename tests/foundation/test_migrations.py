"""Alembic migrations build the whole schema on SQLite and PostgreSQL, match the models and undo cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers the tables
from bookbug.db.migrations import downgrade, upgrade
from bookbug.db.session import get_engine

EXPECTED_TABLES = {
    "users", "user_sessions", "api_tokens", "books", "chat_messages", "rendered_pages",
    "book_jobs", "job_steps", "events", "run_waits", "app_settings", "limit_slots", "sign_in_tickets",
}


def test_upgrade_from_empty_creates_every_table(any_db_url: str) -> None:
    upgrade(any_db_url)
    tables = set(inspect(get_engine(any_db_url)).get_table_names())
    assert EXPECTED_TABLES <= tables
    assert set(SQLModel.metadata.tables) <= tables


def test_after_upgrade_autogenerate_finds_no_difference(any_db_url: str) -> None:
    upgrade(any_db_url)
    with get_engine(any_db_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_downgrade_to_base_removes_every_table(any_db_url: str) -> None:
    upgrade(any_db_url)
    downgrade(any_db_url, "base")
    tables = set(inspect(get_engine(any_db_url)).get_table_names()) - {"alembic_version"}
    assert tables == set()


def test_the_indexes_the_queries_need_exist(any_db_url: str) -> None:
    upgrade(any_db_url)
    inspector = inspect(get_engine(any_db_url))
    book_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("books")}
    assert ("user_id", "created_at") in book_indexes  # a user's books by date
    run_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("book_jobs")}
    assert any(cols[0] == "status" for cols in run_indexes)  # runs by status
    step_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("job_steps")}
    step_uniques = {tuple(uc["column_names"]) for uc in inspector.get_unique_constraints("job_steps")}
    assert any(cols[0] == "run_id" for cols in step_indexes | step_uniques)  # steps by run
