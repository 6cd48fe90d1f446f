"""The operators' caps through the REST door: one plain sentence naming the cap and when it
resets, a 429 with Retry-After where it resets, and nothing changed."""

from __future__ import annotations

from sqlmodel import func, select

from bookbug.db import Book, ChatMessage, session_scope
from bookbug.db import spending as days
from bookbug.config import app_config
from tests.api.book_flow import reply, wait_for_question


def _spent(scope: str, usd: float) -> None:
    assert days.reserve([days.Cap(scope, 0)], usd) is None
    with session_scope() as session:
        from bookbug.db import DaySpend

        row = session.get(DaySpend, (days.day_of(), scope))
        row.spent_usd, row.held_usd = row.spent_usd + usd, row.held_usd - usd


def _books(user_id: str) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(Book).where(Book.user_id == user_id)).one()


async def test_a_user_over_their_daily_cap_is_refused_a_new_book_with_the_cap_and_its_reset(
        client, alice, bob) -> None:
    app_config.update({"user_spend_per_day": 2.0})
    _spent(days.user_scope(alice.user_id), 2.5)

    refused = await client.post("/api/books", headers=alice.headers, json={})
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "over_cap"
    assert error["message"].startswith("You have reached your spending cap of $2.00 a day; it resets at midnight UTC")
    assert 1 <= int(refused.headers["Retry-After"]) <= 86400
    assert _books(alice.user_id) == 0
    assert (await client.post("/api/books", headers=bob.headers, json={})).status_code == 201  # bob has spent nothing


async def test_the_global_cap_refuses_everyone_and_a_raised_cap_lets_them_in(client, alice) -> None:
    app_config.update({"global_spend_per_day": 10.0})
    _spent(days.ALL, 10.0)
    refused = await client.post("/api/books", headers=alice.headers, json={})
    assert refused.status_code == 429 and "spending cap for everyone of $10.00 a day" in refused.json()["error"]["message"]
    app_config.update({"global_spend_per_day": 20.0})
    assert (await client.post("/api/books", headers=alice.headers, json={})).status_code == 201


async def test_pages_over_the_operators_cap_are_refused(client, alice) -> None:
    app_config.update({"pages_per_book": 16})
    refused = await client.post("/api/books", headers=alice.headers, json={"page_count": 24})
    assert refused.status_code == 422 and "at most 16 pages" in refused.json()["error"]["message"]
    assert (await client.post("/api/books", headers=alice.headers, json={"page_count": 16})).status_code == 201


async def test_plot_changes_stop_at_the_cap_and_the_refused_change_is_not_kept(client, alice) -> None:
    app_config.update({"plot_revisions_per_book": 1})
    made = await client.post("/api/books", headers=alice.headers, json={"page_count": 8})
    book_id = made.json()["id"]
    while True:
        question = await wait_for_question(client, alice.headers, book_id)
        if question["phase"] == "plot_review":
            break
        await reply(client, alice.headers, book_id, question)
    change = {"content": "Please add a friendly dragon"}
    assert (await client.post(f"/api/chat/{book_id}/message", headers=alice.headers, json=change)).status_code == 202
    revised = await wait_for_question(client, alice.headers, book_id)
    assert revised["turn"] == question["turn"] + 1

    refused = await client.post(f"/api/chat/{book_id}/message", headers=alice.headers,
                                json={"content": "And a castle"})
    assert refused.status_code == 429
    message = refused.json()["error"]["message"]
    assert "1 plot changes" in message and "does not reset" in message and "approve" in message
    with session_scope() as session:
        answers = session.exec(select(ChatMessage).where(ChatMessage.book_id == book_id, ChatMessage.role == "user",
                                                         ChatMessage.turn == revised["turn"])).all()
    assert answers == []  # the refused change was not stored
    assert (await client.post(f"/api/chat/{book_id}/approve", headers=alice.headers)).status_code == 202


async def test_redos_of_a_page_stop_at_the_daily_cap_with_when_it_can_be_redone_again(client, alice) -> None:
    from tests.api.book_flow import converse_until_approved, wait_for_status
    from tests.support.api import page_version

    app_config.update({"redos_per_page_per_day": 1})
    book_id = (await client.post("/api/books", headers=alice.headers, json={"page_count": 8})).json()["id"]
    await converse_until_approved(client, alice.headers, book_id)
    await wait_for_status(client, alice.headers, book_id, "complete", timeout=120)

    assert (await client.post(f"/api/books/{book_id}/pages/2/redo", headers=alice.headers)).status_code == 202
    await page_version(client, alice, book_id, 2, 2)
    decided = await client.post(f"/api/books/{book_id}/pages/2/decision", headers=alice.headers, json={"keep": "old"})
    assert decided.status_code == 202
    await page_version(client, alice, book_id, 2, 1)

    refused = await client.post(f"/api/books/{book_id}/pages/2/redo", headers=alice.headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "over_cap"
    message = refused.json()["error"]["message"]
    assert message.startswith("Page 2 has been redone 1 times today") and "again in 24 hours" in message
    assert 80000 < int(refused.headers["Retry-After"]) <= 86400
    # another page has its own redos
    other = await client.post(f"/api/books/{book_id}/pages/3/redo", headers=alice.headers)
    assert other.status_code == 202, other.text
