"""Spending caps hold however many calls race for the last of a day's budget, in any number of
threads or processes; and a running book that would cross one pauses, then goes on when an
operator raises the cap."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import SQLModel, select

import bookbug.db  # noqa: F401 - registers the tables
from bookbug.db import DaySpend, LedgerEntry, session_scope
from bookbug.db import spending as days
from bookbug.db.session import get_engine
from bookbug.services import books
from bookbug.config import app_config
from bookbug.workflows import meter
from tests.conftest import make_user
from tests.standins.claude_offline import carry_inputs, offline_claude
from tests.workflows.claude import claude_writes
from tests.workflows.conversation import newest_question, wait_until


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
def test_racing_reservations_never_cross_the_cap(db: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("sqlite_url" if db == "sqlite" else "postgres_url")
    SQLModel.metadata.create_all(get_engine(url))
    caps = [days.Cap(days.ALL, 1.0), days.Cap(days.user_scope("u1"), 0)]  # 0: the user has no cap of their own
    start = threading.Barrier(40)

    def one(_: int) -> bool:
        start.wait()
        return days.reserve(caps, 0.125, day="2026-11-30", db_url=url) is None

    with ThreadPoolExecutor(40) as pool:
        granted = list(pool.map(one, range(40)))

    assert sum(granted) == 8  # 8 x $0.125 is the cap exactly; every other one was refused
    with session_scope(url) as session:
        total = session.get(DaySpend, ("2026-11-30", days.ALL))
        user = session.get(DaySpend, ("2026-11-30", days.user_scope("u1")))
    assert total.held_usd == pytest.approx(1.0) and user.held_usd == pytest.approx(1.0)


def test_a_refused_reservation_holds_nothing_in_any_scope(sqlite_url: str) -> None:
    SQLModel.metadata.create_all(get_engine(sqlite_url))
    caps = [days.Cap(days.ALL, 0), days.Cap(days.user_scope("u1"), 0.5)]
    assert days.reserve(caps, 0.4, day="2026-11-30", db_url=sqlite_url) is None
    crossed = days.reserve(caps, 0.4, day="2026-11-30", db_url=sqlite_url)
    assert crossed == caps[1]
    with session_scope(sqlite_url) as session:
        assert session.get(DaySpend, ("2026-11-30", days.ALL)).held_usd == pytest.approx(0.4)


async def test_a_running_book_that_would_cross_the_global_cap_pauses_and_goes_on_when_it_is_raised(
        book_backend, monkeypatch) -> None:
    monkeypatch.setattr(meter, "RECHECK_SECONDS", 0.3)
    app_config.update({"global_spend_per_day": 0.0001})  # less than any Claude call can cost
    with claude_writes(monkeypatch) as claude, carry_inputs():
        claude.responder = offline_claude
        user = make_user()
        summary = await books.create_book(user.id)
        paused = await wait_until(lambda: (b := books.get_book(user.id, summary.id)).status == "paused" and b,
                                  timeout=30, what="the book to pause")
        assert paused.error is not None and "spending cap for everyone of $0.00 a day" in paused.error
        assert "midnight UTC" in paused.error
        assert claude.messages_requests() == []  # nothing was sent, nothing paid
        job = books.current_job(user.id, summary.id)
        assert job is not None and job.status not in ("failed", "cancelled")

        app_config.update({"global_spend_per_day": 50.0})
        await wait_until(lambda: newest_question(user.id, summary.id, 0), timeout=30, what="the first question")
        book = books.get_book(user.id, summary.id)
        assert book.status == "intake" and not book.error
    with session_scope() as session:
        rows = session.exec(select(LedgerEntry).where(LedgerEntry.book_id == summary.id)).all()
    assert len(rows) == len(claude.messages_requests()) >= 1
