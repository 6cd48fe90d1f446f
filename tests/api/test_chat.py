"""The conversation through the API: answers, history with chips and phase, the 409 rules."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api.book_flow import open_question, wait_for_question
from tests.api.conftest import Caller
from tests.support.api import assert_error, started_book


async def test_an_answer_is_accepted_and_the_next_question_follows(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, question = await started_book(client, alice)
    answer = await client.post(f"/api/chat/{book_id}/message", headers=alice.headers,
                               json={"content": "  A little fox named Pip  "})
    assert answer.status_code == 202, answer.text
    sent = answer.json()
    assert sent["role"] == "user" and sent["content"] == "A little fox named Pip" and sent["turn"] == question["turn"]
    following = await wait_for_question(client, alice.headers, book_id)
    assert following["turn"] == question["turn"] + 1
    messages = (await client.get(f"/api/chat/{book_id}/history", headers=alice.headers)).json()["messages"]
    assert [m["role"] for m in messages] == ["assistant", "user", "assistant"]
    assert all(m["phase"] == "story_intake" for m in messages)
    assert messages[0]["chips"] and messages[1]["chips"] == []


@pytest.mark.parametrize(("body", "field"), [({"content": "   "}, "content"), ({"content": "x" * 4001}, "content"),
                                             ({}, "content"), ({"content": 42}, "content")])
async def test_a_bad_message_is_422_naming_content_and_changes_nothing(client: httpx.AsyncClient, alice: Caller,
                                                                       body: dict[str, object], field: str) -> None:
    book_id, _ = await started_book(client, alice)
    assert_error(await client.post(f"/api/chat/{book_id}/message", headers=alice.headers, json=body),
                 422, "invalid_input", field)
    messages = (await client.get(f"/api/chat/{book_id}/history", headers=alice.headers)).json()["messages"]
    assert open_question(messages) is not None and len(messages) == 1


async def test_a_second_answer_to_the_same_question_is_409(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    first = await client.post(f"/api/chat/{book_id}/message", headers=alice.headers, json={"content": "Pip"})
    assert first.status_code == 202
    second = await client.post(f"/api/chat/{book_id}/message", headers=alice.headers, json={"content": "Leo"})
    if second.status_code == 202:  # the next question was already asked: then this answers it
        assert second.json()["turn"] == first.json()["turn"] + 1
    else:
        assert_error(second, 409, "wrong_phase")


async def test_approving_before_there_is_a_plot_is_409(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    assert_error(await client.post(f"/api/chat/{book_id}/approve", headers=alice.headers), 409, "wrong_phase")
    messages = (await client.get(f"/api/chat/{book_id}/history", headers=alice.headers)).json()["messages"]
    assert [m["role"] for m in messages] == ["assistant"]


async def test_a_message_to_a_cancelled_book_is_409(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    assert (await client.post(f"/api/jobs/{book_id}/cancel", headers=alice.headers)).status_code == 200
    assert_error(await client.post(f"/api/chat/{book_id}/message", headers=alice.headers, json={"content": "Pip"}),
                 409, "wrong_phase")


@pytest.mark.parametrize("content", ["Mia\u0000", "Pip \u001b[2J", "Pip \ud800"])
async def test_a_message_with_a_control_character_is_a_clear_422_and_is_not_stored(
        client: httpx.AsyncClient, alice: Caller, content: str) -> None:
    book_id, _ = await started_book(client, alice)
    before = (await client.get(f"/api/chat/{book_id}/history", headers=alice.headers)).json()
    body = json.dumps({"content": content})  # escaped as JSON does, a lone surrogate included
    answer = await client.post(f"/api/chat/{book_id}/message", content=body,
                               headers={**alice.headers, "Content-Type": "application/json"})
    error = assert_error(answer, 422, "invalid_input", "content")
    assert "control character" in str(error["message"]) or "NUL" in str(error["message"])
    assert (await client.get(f"/api/chat/{book_id}/history", headers=alice.headers)).json() == before
