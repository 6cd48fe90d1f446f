"""Drive a book's conversation through the service functions, as a user would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from bookbug.services import books
from bookbug.views import BookDetail, MessageView

T = TypeVar("T")

ANSWERS = ("Her name is Mia and she is 5", "a dragon who is afraid of the dark", "a cozy village by the sea",
           "watercolor")


async def wait_until(check: Callable[[], T | None], timeout: float = 60.0, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def newest_question(user_id: str, book_id: str, after_turn: int) -> MessageView | None:
    messages = [m for m in books.history(user_id, book_id) if m.role == "assistant" and m.turn > after_turn]
    return messages[-1] if messages else None


async def answer_intake(user_id: str, book_id: str, answers: Iterable[str] = ANSWERS,
                        timeout: float = 60.0) -> MessageView:
    """Answer every intake question (then "Surprise me!"); returns the plot proposal."""
    pending = iter(answers)
    question = await wait_until(lambda: newest_question(user_id, book_id, 0), timeout, "the first question")
    while question.phase == "story_intake":
        content = next(pending, "Surprise me!")
        await books.send_message(user_id, book_id, content)
        turn = question.turn
        question = await wait_until(lambda turn=turn: newest_question(user_id, book_id, turn), timeout,
                                    f"the reply to {content!r}")
    return question


async def wait_for_status(user_id: str, book_id: str, statuses: tuple[str, ...] = ("complete", "failed"),
                          timeout: float = 120.0):  # type: ignore[no-untyped-def]
    return await wait_until(lambda: (b := books.get_book(user_id, book_id)).status in statuses and b,
                            timeout, f"book status in {statuses}")


async def finish_book(user_id: str, book_id: str) -> BookDetail:
    """Answer the intake, approve the plot it proposes, and wait for the book to end."""
    await answer_intake(user_id, book_id)
    await books.approve(user_id, book_id)
    return await wait_for_status(user_id, book_id)
