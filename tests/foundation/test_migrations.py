"""Alembic migrations build the whole schema on SQLite and PostgreSQL, match the models and undo cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers the tables
from bookbug.db.migrations import downgrade, for_dialect, upgrade
from bookbug.db.session import get_engine
from datetime import UTC

EXPECTED_TABLES = {
    "users", "user_sessions", "api_tokens", "books", "chat_messages", "rendered_pages", "app_settings", "limit_slots",
    "sign_in_tickets", "data_exports", "account_deletions", "spend_ledger", "prices", "spend_days",
    # the engine's own, from its own migration branch
    "engine_runs", "engine_steps", "engine_events", "engine_waits", "engine_wait_shapes", "engine_channels",
}


def test_upgrade_from_empty_creates_every_table(any_db_url: str) -> None:
    upgrade(any_db_url)
    tables = set(inspect(get_engine(any_db_url)).get_table_names())
    assert EXPECTED_TABLES <= tables
    assert set(SQLModel.metadata.tables) <= tables


def test_after_upgrade_autogenerate_finds_no_difference(any_db_url: str) -> None:
    upgrade(any_db_url)
    with get_engine(any_db_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": for_dialect(conn.dialect.name)})
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
    run_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("engine_runs")}
    assert any(cols[0] == "status" for cols in run_indexes)  # runs by status
    assert any(cols[0] == "subject" for cols in run_indexes)  # a subject's runs
    step_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("engine_steps")}
    step_uniques = {tuple(uc["column_names"]) for uc in inspector.get_unique_constraints("engine_steps")}
    assert any(cols[0] == "run_id" for cols in step_indexes | step_uniques)  # steps by run
    wait_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("engine_waits")}
    assert ("event_name", "match_key", "resolved_at") in wait_indexes  # a sent event finds its waits by key
    event_indexes = {ix["name"] for ix in inspector.get_indexes("engine_events")}
    if any_db_url.startswith("postgresql"):
        assert "ix_engine_events_data" in event_indexes  # a wait finds its event by JSON containment


def test_upgrading_moves_the_old_engine_rows_into_the_engines_own_tables(any_db_url: str) -> None:
    """A database made before the engine owned its tables keeps its runs, steps, events and waits."""
    from datetime import datetime, timedelta

    from sqlalchemy import MetaData, Table, select

    upgrade(any_db_url, "0001")
    engine = get_engine(any_db_url)
    meta = MetaData()
    old = {name: Table(name, meta, autoload_with=engine) for name in ("events", "book_jobs", "job_steps", "run_waits")}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for n, name in enumerate(("book/create.started", "chat/message.sent", "chat/message.sent")):
            conn.execute(old["events"].insert().values(id=f"e{n}", name=name, data={"book_id": "b1", "turn": n},
                                                       received_at=start + timedelta(minutes=n)))
        conn.execute(old["book_jobs"].insert().values(
            id="r1", workflow="create-book", status="waiting", book_id="b1", event_id="e0", event_data={"book_id": "b1"},
            attempts=1, generation=3, cancel_requested=False, created_at=start))
        conn.execute(old["job_steps"].insert().values(id="s1", run_id="r1", step_id="start-intake", scope="", position=0,
                                                      kind="run", status="completed", output={"x": 1}, attempts=1))
        conn.execute(old["run_waits"].insert().values(
            id="w1", run_id="r1", step_id="wait-for-user", event_name="chat/message.sent",
            match={"turn": 1, "book_id": "b1"}, since=start + timedelta(seconds=30), suspended=True,
            resolved_at=start + timedelta(minutes=1), event_id="e1"))
    upgrade(any_db_url)
    meta = MetaData()
    new = {name: Table(name, meta, autoload_with=engine)
           for name in ("engine_events", "engine_runs", "engine_steps", "engine_waits", "engine_wait_shapes")}
    with engine.connect() as conn:
        events = conn.execute(select(new["engine_events"]).order_by(new["engine_events"].c.seq)).all()
        [run] = conn.execute(select(new["engine_runs"])).all()
        [step] = conn.execute(select(new["engine_steps"])).all()
        [wait] = conn.execute(select(new["engine_waits"])).all()
        shapes = conn.execute(select(new["engine_wait_shapes"])).all()
    assert [e.id for e in events] == ["e0", "e1", "e2"] and {e.subject for e in events} == {"b1"}
    assert (run.subject, run.event_seq, run.event_name, run.generation) == ("b1", events[0].seq, "book/create.started", 3)
    assert (step.step_key, step.output) == ("start-intake", {"x": 1})
    assert wait.since_seq == events[0].seq and wait.event_seq == events[1].seq
    assert wait.match_key == '{"book_id":"b1","turn":1}'
    assert [(s.event_name, s.fields) for s in shapes] == [("chat/message.sent", '["book_id","turn"]')]
    tables = set(inspect(engine).get_table_names())
    assert not {"events", "book_jobs", "job_steps", "run_waits"} & tables
