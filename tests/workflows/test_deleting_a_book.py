"""Deleting a book deletes what the engine kept of it too: its runs, their steps and waits,
and the events that carried the family's chat text."""

from __future__ import annotations

from sqlalchemy import func, select

from bookbug.db.session import get_engine
from bookbug.engine.tables import Channel, Event, Run
from bookbug.services import books
from bookbug.settings import get_settings
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake


async def test_deleting_a_book_leaves_no_run_event_or_chat_text_of_it(book_backend) -> None:
    user = make_user()
    other = await books.create_book(user.id, page_count=8)
    summary = await books.create_book(user.id, page_count=8)
    await answer_intake(user.id, summary.id)
    await books.send_message(user.id, summary.id, "Please call the dragon Flicker von Secret")
    await books.delete_book(user.id, summary.id)

    runs, events, channels = Run.__table__, Event.__table__, Channel.__table__  # type: ignore[attr-defined]
    with get_engine(get_settings().db_url).begin() as conn:
        assert conn.execute(select(func.count()).select_from(runs).where(runs.c.subject == summary.id)).scalar() == 0
        left = [str(row.data) for row in conn.execute(select(events.c.data))]
        counters = conn.execute(select(channels.c.name).where(channels.c.subject == summary.id)).all()
        kept = conn.execute(select(func.count()).select_from(runs).where(runs.c.subject == other.id)).scalar()
    assert not any(summary.id in data or "Flicker von Secret" in data for data in left)
    assert counters == []
    assert kept == 1, "another book is untouched"
