"""Book-workflow helpers that several test modules share."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bookbug.agents import IntakeInput, intake_turn
from bookbug.db import session_scope
from bookbug.db.session import utcnow
from bookbug.engine.tables import Run, Wait
from bookbug.providers.text.offline import OfflineWriter
from bookbug.services import books
from bookbug.story import Brief
from tests.workflows.conversation import wait_until


async def first_turn() -> dict:
    """The offline writer's first intake question, as the tool reply Claude would send."""
    reply = await OfflineWriter().generate(intake_turn, IntakeInput(brief=Brief()))
    return reply.output.model_dump(mode="json")


def _pending_answer_wait(book_id: str, turn: int) -> Wait | None:
    with session_scope() as session:
        waits = session.exec(select(Wait).join(Run, col(Run.id) == col(Wait.run_id)).where(
            Run.subject == book_id, col(Wait.resolved_at).is_(None))).all()
        return next((w for w in waits if (w.match or {}).get("turn") == turn), None)


async def leave_the_plot_unanswered(user_id: str, book_id: str, proposal_turn: int) -> None:
    """The day passes: the plot review's 24 h wait reaches its time, and the sweep sets the book aside.

    The intake keeps its real 24 h timeout so that only the plot review can time out here."""
    wait = await wait_until(lambda: _pending_answer_wait(book_id, proposal_turn), what="the plot review's wait")
    with session_scope() as session:
        row = session.get(Wait, wait.id)
        row.timeout_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    await wait_until(lambda: books.get_book(user_id, book_id).status == "abandoned", timeout=30,
                     what="the book to be set aside")
