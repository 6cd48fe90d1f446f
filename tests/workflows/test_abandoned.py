"""An unanswered question sets the book aside as abandoned; answering later picks it up again,
in the intake or in the plot review, wherever the user left off."""

from __future__ import annotations



from bookbug.services import books
from bookbug.workflows import create_book
from tests.conftest import make_user
from tests.support.workflows import leave_the_plot_unanswered
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


async def test_a_book_abandoned_in_the_plot_review_takes_changes_as_a_plot_review(book_backend) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    proposal = await answer_intake(user.id, summary.id)
    assert proposal.phase == "plot_review"
    await leave_the_plot_unanswered(user.id, summary.id, proposal.turn)
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
    await leave_the_plot_unanswered(user.id, summary.id, proposal.turn)
    assert books.get_book(user.id, summary.id).plot == shown

    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error
    assert book.plot == shown, "the approved plot is the one that was shown before the book was set aside"
    assert len(book.pages) == 8 and all(page.text for page in book.pages)
    assert newest_question(user.id, summary.id, proposal.turn) is None, "no question was asked again"
