"""The intake sends the brief and a bounded window of the latest messages, not the whole history."""

from __future__ import annotations

from bookbug.agents import IntakeInput, intake_turn
from bookbug.db import Book, ChatMessage, session_scope
from bookbug.story import Brief
from bookbug.workflows import records
from tests.conftest import make_user


def test_the_conversation_a_model_is_sent_is_the_latest_messages_in_order(book_backend) -> None:
    user = make_user()
    book = Book(user_id=user.id)
    with session_scope() as session:
        session.add(book)
        for turn in range(10):
            session.add(ChatMessage(book_id=book.id, role="assistant", content=f"question {turn}", turn=turn))
            session.add(ChatMessage(book_id=book.id, role="user", content=f"answer {turn}", turn=turn))

    window = records.conversation(book.id)
    assert [t.content for t in window] == ["question 7", "answer 7", "question 8", "answer 8", "question 9",
                                           "answer 9"]
    assert len(records.conversation(book.id, recent=None)) == 20
    prompt = intake_turn.prompt(IntakeInput(brief=Brief(), conversation=window))
    assert "answer 9" in prompt and "answer 6" not in prompt and "the brief holds what was said before" in prompt
