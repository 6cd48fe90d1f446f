"""Drive one book through the REST API the way a client does: answer each open question
with its first chip (or a sentence), approve the plot, and let the book be made."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from bookbug.workflows.names import PHASE_PLOT


def open_question(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The assistant's latest message if the user has not answered its turn yet."""
    answered = {m["turn"] for m in messages if m["role"] == "user"}
    asked = [m for m in messages if m["role"] == "assistant" and m["turn"] not in answered]
    return asked[-1] if asked else None


async def wait_for_question(client: httpx.AsyncClient, headers: dict[str, str], book_id: str,
                            timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = await client.get(f"/api/chat/{book_id}/history", headers=headers)
        assert answer.status_code == 200, answer.text
        question = open_question(answer.json()["messages"])
        if question is not None:
            return question
        await asyncio.sleep(0.05)
    raise AssertionError(f"no question from Bookbug within {timeout}s")


async def reply(client: httpx.AsyncClient, headers: dict[str, str], book_id: str,
                question: dict[str, Any]) -> bool:
    """Answer one question; True once the plot was approved."""
    if question["phase"] == PHASE_PLOT:
        answer = await client.post(f"/api/chat/{book_id}/approve", headers=headers)
        assert answer.status_code == 202, answer.text
        return True
    content = question["chips"][0] if question["chips"] else "A brave little fox named Pip"
    answer = await client.post(f"/api/chat/{book_id}/message", headers=headers, json={"content": content})
    assert answer.status_code == 202, answer.text
    return False


async def converse_until_approved(client: httpx.AsyncClient, headers: dict[str, str], book_id: str,
                                  max_turns: int = 30) -> int:
    """Answer every question, approve the plot; returns how many answers were sent."""
    for turn in range(1, max_turns + 1):
        question = await wait_for_question(client, headers, book_id)
        if await reply(client, headers, book_id, question):
            return turn
    raise AssertionError(f"the conversation did not reach a plot in {max_turns} turns")


async def wait_for_status(client: httpx.AsyncClient, headers: dict[str, str], book_id: str, *statuses: str,
                          timeout: float = 90.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    book: dict[str, Any] = {}
    while time.monotonic() < deadline:
        book = (await client.get(f"/api/books/{book_id}", headers=headers)).json()
        if book["status"] in statuses:
            return book
        await asyncio.sleep(0.1)
    raise AssertionError(f"book {book_id} did not reach {statuses} in {timeout}s: {book.get('status')}")
