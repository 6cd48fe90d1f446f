"""An unanswered question sets the book aside as abandoned; answering later picks it up again."""

from __future__ import annotations

from bookbug.services import books
from bookbug.workflows import create_book
from tests.conftest import make_user
from tests.workflows.conversation import newest_question, wait_until


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
