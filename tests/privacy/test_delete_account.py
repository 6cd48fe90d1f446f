"""Delete my account: the person, their sessions and tokens, books, chats, runs, steps, waits,
events, exports and every file in either store, gone; nothing left that mentions them or their
books. One durable workflow, which finishes whatever happens to it halfway."""

from __future__ import annotations

from datetime import timedelta
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bookbug.db import DaySpend, LedgerEntry, session_scope
from bookbug.engine import steps as engine_steps
from bookbug.services import sharing, slots
from bookbug.services.accounts.errors import WrongCredentials
from bookbug.services.accounts.sign_in import authenticate_password, sign_in
from bookbug.config import app_config
from bookbug.services.books import PLOT_CHANGES
from bookbug.services.redos import PAGE_REDOS
from bookbug.services.sign_in_limits import email_key
from bookbug.workflows import erasing
from tests.api.conftest import PASSWORD, Caller
from tests.support.privacy import deleted
from tests.privacy.family import CHILD, draft_book, family, ready_export
from tests.privacy.leftovers import every_file, mentions

CONFIRM = {"confirm": "delete my account"}


async def everything_of(client: httpx.AsyncClient, alice: Caller) -> list[str]:
    """Alice's whole life here, and every string that would betray any of it."""
    home = await family(client, alice)
    export = await ready_export(client, alice)
    sign_in(alice.email, PASSWORD)  # a browser session
    with pytest.raises(WrongCredentials):
        authenticate_password(alice.email, "not her password", client="10.0.0.7")
    app_config.update({"page_concurrency": 3}, updated_by=alice.user_id)  # she is the first operator
    sharing.create_share(alice.user_id, home.finished)
    with session_scope() as session:  # what her paid calls leave (the offline providers cost nothing)
        session.add(LedgerEntry(provider="anthropic", model="claude-test", kind="intake", book_id=home.finished,
                                user_id=alice.user_id, cost_usd=0.01))
        session.add(DaySpend(day="2026-11-30", scope=f"user:{alice.user_id}", spent_usd=0.01))
        slots.take_in(session, PLOT_CHANGES, home.finished, 5, timedelta(days=1))
        slots.take_in(session, PAGE_REDOS, f"{home.finished}:1", 5, timedelta(days=1))
    return [alice.user_id, alice.email, alice.email.split("@")[0], email_key(alice.email), alice.token_id,
            *home.books, export["id"], CHILD, "marmalade", "Quillon"]


async def test_deleting_an_account_leaves_no_row_or_file_that_mentions_them(
        client: httpx.AsyncClient, alice: Caller, bob: Caller, store: str) -> None:
    needles = await everything_of(client, alice)
    bobs_book = await draft_book(client, bob, first="My son Bartholomew is 6.")
    assert mentions(needles), "the test sees Alice's data before"
    bobs_files = {key for key in every_file() if bobs_book in key}

    answer = await client.post("/api/account/delete", headers=alice.headers, json=CONFIRM)
    assert answer.status_code == 202, answer.text
    assert (await client.get("/api/me", headers=alice.headers)).status_code == 401, "signed out at once"
    with pytest.raises(WrongCredentials):
        authenticate_password(alice.email, PASSWORD)
    await deleted()

    assert mentions(needles) == []
    assert (await client.get(f"/api/books/{bobs_book}", headers=bob.headers)).status_code == 200
    assert bobs_files <= set(every_file()), "nobody else's files were touched"
    assert "Bartholomew" in str((await client.get(f"/api/chat/{bobs_book}/history", headers=bob.headers)).json())


async def test_the_wrong_confirmation_deletes_nothing(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/account/delete", headers=alice.headers, json={"confirm": "yes"})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "confirm"
    assert (await client.get("/api/me", headers=alice.headers)).status_code == 200


@pytest.fixture
def every_step_twice(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each step of the deletion runs twice in a row: its effect happened, then the worker died
    before its checkpoint was written, and another worker ran it again."""
    real = engine_steps._call
    ran: list[str] = []

    async def twice(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if getattr(fn, "__module__", "") == erasing.__name__:
            ran.append(fn.__name__)
            await real(fn, args, kwargs)
        return await real(fn, args, kwargs)

    monkeypatch.setattr(engine_steps, "_call", twice)
    return ran


async def test_every_step_of_the_deletion_run_twice_still_leaves_nothing(
        client: httpx.AsyncClient, alice: Caller, store: str, every_step_twice: list[str]) -> None:
    needles = await everything_of(client, alice)
    await client.post("/api/account/delete", headers=alice.headers, json=CONFIRM)
    await deleted()
    assert {"close", "stop_runs", "delete_files", "delete_rows", "final_pass", "finish"} <= set(every_step_twice)
    assert mentions(needles) == []


async def test_a_deletion_that_failed_halfway_finishes_when_its_steps_are_tried_again(
        client: httpx.AsyncClient, alice: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    needles = await everything_of(client, alice)
    real, calls = erasing.delete_rows, []

    def flaky(deletion_id: str) -> dict[str, Any]:
        calls.append(deletion_id)
        if len(calls) == 1:
            erasing.delete_files(deletion_id)  # halfway: some effects happened
            raise ConnectionError("the database went away")  # a transient failure: retried
        return real(deletion_id)

    monkeypatch.setattr(erasing, "delete_rows", flaky)
    await client.post("/api/account/delete", headers=alice.headers, json=CONFIRM)
    await deleted()
    assert len(calls) == 2
    assert mentions(needles) == []
