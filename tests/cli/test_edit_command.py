"""`bookbug edit`: a finished page's words changed from the terminal, waiting for the PDF rebuilt;
declined words are one line and exit 1, with the page unchanged."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from bookbug.api.app import build_api
from bookbug.cli import client as cli_client
from bookbug.cli.main import main
from bookbug.engine import Engine
from tests.api.book_flow import converse_until_approved, wait_for_status
from tests.api.conftest import Caller, _cheap_hashing, alice, api_db, engine, make_caller  # noqa: F401 - fixtures
from tests.support.cli import SERVER, AppTransport, HttpxWithApp


@pytest.fixture
async def server(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:  # noqa: F811
    monkeypatch.setattr(cli_client, "httpx", HttpxWithApp(AppTransport(asyncio.get_running_loop())))
    yield SERVER


async def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, caller: Caller,
                  *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("BOOKBUG_TOKEN", caller.token)
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["--server", SERVER, *args])  # the loop keeps serving meanwhile
    out, err = capsys.readouterr()
    return code, out, err


async def test_edit_changes_a_page_and_waits_for_the_pdf(server: str, alice: Caller,  # noqa: F811
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    transport = httpx.ASGITransport(app=build_api())
    async with httpx.AsyncClient(transport=transport, base_url=SERVER, timeout=30) as http:
        book_id = (await http.post("/api/books", headers=alice.headers, json={"page_count": 8})).json()["id"]
        await converse_until_approved(http, alice.headers, book_id)
        await wait_for_status(http, alice.headers, book_id, "complete", timeout=120)
        before = (await http.get(f"/api/books/{book_id}", headers=alice.headers)).json()["pages"][2]

        code, _, err = await run_cli(capsys, monkeypatch, alice, "edit", book_id, "3", "Pip found a gun.")
        assert code == 1 and err.count("\n") == 1 and "the new words" in err, err
        assert (await http.get(f"/api/books/{book_id}", headers=alice.headers)).json()["pages"][2] == before

        words = "Pip hummed a tune for the sleepy owls."
        code, out, err = await run_cli(capsys, monkeypatch, alice, "edit", book_id, "3", words, "--json")
        assert code == 0, err
        result = json.loads(out)
        assert (result["text"], result["text_before_edit"]) == (words, before["text"])
