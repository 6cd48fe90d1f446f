"""Logs never carry what a family wrote, their children's names or anyone's secrets.

A whole book is made through the REST API with a personal token, on the Claude path (the real
anthropic SDK against the stand-in), through a storm: a 429 and illustration beats that twice
name a character the book does not have (so a reply fails validation after its repair, with the
book's cast in the validation message). Every log record of the app at DEBUG is captured; none may
contain the child's name, anything the parent typed, the password or any token."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from bookbug import logs
from bookbug.services.accounts.sign_in import sign_in
from tests.api.book_flow import converse_until_approved, wait_for_question, wait_for_status
from tests.api.conftest import PASSWORD, Caller
from tests.standins.anthropic import Recorded, Scripted, error_body
from tests.standins.claude_offline import carry_inputs, offline_claude
from tests.workflows.claude import claude_writes

CHILD = "Zephyrine"
TYPED = [f"My daughter {CHILD} is 5. She wants a story about the lighthouse on Quillon Point.",
         "a snail who wants to win the marmalade race"]


def stormy(recorded: Recorded, seen: dict[str, int]) -> Scripted:
    tool = (recorded.body.get("tools") or [{}])[0].get("name", "")
    seen[tool] = seen.get(tool, 0) + 1
    if tool == "plot_proposal" and seen[tool] == 1:
        return Scripted(429, error_body("rate_limit_error", "slow down"), {"retry-after": "1"})
    answer = offline_claude(recorded)
    if tool == "illustration_beat" and seen[tool] <= 2:  # the reply and its repair name a stranger
        body = json.loads(json.dumps(answer.body))
        body["content"][0]["input"]["characters"] = [{"name": "Grimble", "expression": "odd", "pose": "lurking"}]
        return Scripted(200, body)
    return answer


async def test_a_whole_book_through_a_storm_logs_no_names_no_words_and_no_secrets(
        client: httpx.AsyncClient, alice: Caller, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    logs.install()
    caplog.set_level(logging.DEBUG)
    session = sign_in(alice.email, PASSWORD).token
    seen: dict[str, int] = {}
    with claude_writes(monkeypatch) as claude, carry_inputs():
        claude.responder = lambda recorded: stormy(recorded, seen)
        made = await client.post("/api/books", headers=alice.headers, json={"page_count": 8})
        book_id = made.json()["id"]
        await wait_for_question(client, alice.headers, book_id, timeout=60)
        for text in TYPED:
            await client.post(f"/api/chat/{book_id}/message", headers=alice.headers, json={"content": text})
            await wait_for_question(client, alice.headers, book_id, timeout=60)
        await converse_until_approved(client, alice.headers, book_id)
        book = await wait_for_status(client, alice.headers, book_id, "complete", "failed", timeout=180)
    assert book["status"] == "complete", book
    assert CHILD in json.dumps(book), "the book is about her"

    lines = [record.getMessage() + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
             for record in caplog.records]
    assert any("retry:" in line and "invalid_reply" in line for line in lines), "the storm was logged"
    secrets = [CHILD, "Quillon", "marmalade", *TYPED, PASSWORD, alice.token, session,
               "sk-ant-test"]  # the Anthropic key the stand-in is called with
    leaks = [(secret, line) for line in lines for secret in secrets if secret in line]
    assert leaks == []


def test_anything_shaped_like_a_secret_is_blanked_out_of_every_record(caplog: pytest.LogCaptureFixture) -> None:
    logs.install()
    caplog.set_level(logging.INFO)
    token, key = "bb_" + "x1Y2" * 10, "sk-ant-api03-" + "k" * 30
    log = logging.getLogger("bookbug.test")
    log.warning("calling with %s and Authorization: Bearer %s", key, token)
    try:
        raise RuntimeError(f"the session bbs_{'q' * 40} was refused")
    except RuntimeError:
        log.exception("sign-in failed")
    text = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert token not in text and key not in text and "bbs_qqqq" not in text
    assert text.count(logs.REDACTED) >= 3 and "sign-in failed" in text
    for name in logs.CHATTY_CLIENTS:
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), f"{name} would log request bodies"
