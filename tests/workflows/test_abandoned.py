"""An unanswered question sets the book aside as abandoned; answering later picks it up again,
in the intake or in the plot review, wherever the user left off."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bookbug.db import session_scope
from bookbug.engine.tables import Run, Wait
from bookbug.db.session import utcnow
from bookbug.services import books
from bookbug.workflows import create_book
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, newest_question, wait_for_status, wait_until


async def test_a_book_left_unanswered_is_abandoned_and_resumes_when_the_user_returns(book_backend, monkeypatch) -> None:
    monkeypatch.setattr(create_book, "ANSWER_TIMEOUT", "1s")
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    first = await wait_until(lambda: newest_question(user.id, summary.id, 0), what="the first question")
    await wait_until(lambda: books.get_book(user.id, summary.id).status == "abandoned", timeout=30,
                     what="the book to be set aside")

    await books.send_message(user.id, summary.id, "Her name is Mia and she is 5")
    second = await wait_until(lambda: newest_question(user.id, summary.id, first.turn), what="the next question")
    assert second.phase == "story_intake"
    assert books.get_book(user.id, summary.id).status == "intake"
    assert books.get_book(user.id, summary.id).brief["characters"][0]["name"] == "Mia"


def _pending_answer_wait(book_id: str, turn: int) -> Wait | None:
    with session_scope() as session:
        waits = session.exec(select(Wait).join(Run, col(Run.id) == col(Wait.run_id)).where(
            Run.subject == book_id, col(Wait.resolved_at).is_(None))).all()
        return next((w for w in waits if (w.match or {}).get("turn") == turn), None)


async def _leave_the_plot_unanswered(user_id: str, book_id: str, proposal_turn: int) -> None:
    """The day passes: the plot review's 24 h wait reaches its time, and the sweep sets the book aside.

    The intake keeps its real 24 h timeout so that only the plot review can time out here."""
    wait = await wait_until(lambda: _pending_answer_wait(book_id, proposal_turn), what="the plot review's wait")
    with session_scope() as session:
        row = session.get(Wait, wait.id)
        row.timeout_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    await wait_until(lambda: books.get_book(user_id, book_id).status == "abandoned", timeout=30,
                     what="the book to be set aside")


async def test_a_book_abandoned_in_the_plot_review_takes_changes_as_a_plot_review(book_backend) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    proposal = await answer_intake(user.id, summary.id)
    assert proposal.phase == "plot_review"
    await _leave_the_plot_unanswered(user.id, summary.id, proposal.turn)
    set_aside = books.get_book(user.id, summary.id)
    assert newest_question(user.id, summary.id, proposal.turn) is None, "setting aside asks nothing new"

    await books.send_message(user.id, summary.id, "Make the dragon friendlier and add a picnic")
    revised = await wait_until(lambda: newest_question(user.id, summary.id, proposal.turn), what="the revised plot")
    assert revised.phase == "plot_review"
    book = books.get_book(user.id, summary.id)
    assert book.status == "plot"
    assert book.plot != set_aside.plot
    assert book.brief["characters"][0]["name"] == "Mia", "the brief from the intake is kept"


async def test_a_book_abandoned_in_the_plot_review_goes_on_to_its_pages_when_approved(book_backend) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    proposal = await answer_intake(user.id, summary.id)
    shown = books.get_book(user.id, summary.id).plot
    await _leave_the_plot_unanswered(user.id, summary.id, proposal.turn)
    assert books.get_book(user.id, summary.id).plot == shown

    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error
    assert book.plot == shown, "the approved plot is the one that was shown before the book was set aside"
    assert len(book.pages) == 8 and all(page.text for page in book.pages)
    assert newest_question(user.id, summary.id, proposal.turn) is None, "no question was asked again"
