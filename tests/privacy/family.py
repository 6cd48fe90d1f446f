"""A family's data, made through the REST API the way a client makes it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.api.book_flow import converse_until_approved, wait_for_question, wait_for_status
from tests.api.conftest import Caller

CHILD = "Zephyrine"  # a name nobody else has, so finding it anywhere means finding her
FIRST_MESSAGE = f"My daughter {CHILD} is 5. She loves marmalade sandwiches and the lighthouse on Quillon Point."


@dataclass
class Family:
    caller: Caller
    finished: str = ""
    draft: str = ""
    books: list[str] = field(default_factory=list)


async def finished_book(client: httpx.AsyncClient, caller: Caller, first: str = FIRST_MESSAGE) -> str:
    made = await client.post("/api/books", headers=caller.headers, json={"page_count": 8})
    assert made.status_code == 201, made.text
    book_id = made.json()["id"]
    await wait_for_question(client, caller.headers, book_id)
    sent = await client.post(f"/api/chat/{book_id}/message", headers=caller.headers, json={"content": first})
    assert sent.status_code == 202, sent.text
    await converse_until_approved(client, caller.headers, book_id)
    book = await wait_for_status(client, caller.headers, book_id, "complete", "failed", timeout=120)
    assert book["status"] == "complete", book
    return book_id


async def draft_book(client: httpx.AsyncClient, caller: Caller, first: str = FIRST_MESSAGE) -> str:
    """A book mid-conversation: its run is waiting for the next answer."""
    made = await client.post("/api/books", headers=caller.headers, json={"page_count": 8})
    book_id = made.json()["id"]
    await wait_for_question(client, caller.headers, book_id)
    await client.post(f"/api/chat/{book_id}/message", headers=caller.headers, json={"content": first})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        history = (await client.get(f"/api/chat/{book_id}/history", headers=caller.headers)).json()["messages"]
        if len(history) >= 3:
            return book_id
        await asyncio.sleep(0.05)
    raise AssertionError("the draft's second question never came")


async def family(client: httpx.AsyncClient, caller: Caller) -> Family:
    done = await finished_book(client, caller)
    draft = await draft_book(client, caller)
    return Family(caller=caller, finished=done, draft=draft, books=[done, draft])


async def ready_export(client: httpx.AsyncClient, caller: Caller, timeout: float = 60) -> dict[str, Any]:
    started = await client.post("/api/account/exports", headers=caller.headers)
    assert started.status_code == 202, started.text
    export = started.json()
    deadline = time.monotonic() + timeout
    while export["status"] == "preparing" and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        export = (await client.get(f"/api/account/exports/{export['id']}", headers=caller.headers)).json()
    assert export["status"] == "ready", export
    return export
