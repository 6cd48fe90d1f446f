"""Limits that one caller cannot push past, whatever they send or however fast: request bodies,
open live streams per user, and new books a minute (atomic across threads and processes)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlmodel import func, select

from bookbug.api.app import build_api
from bookbug.db import Book, session_scope
from bookbug.services import books
from bookbug.config import app_config
from bookbug.errors import Throttled
from bookbug.settings import get_settings, reset_settings
from tests.api.asgi_stream import open_stream
from tests.api.conftest import Caller
from tests.support.api import assert_error, finished_book


# -- request bodies ---------------------------------------------------------------------------
async def test_a_30_mb_body_is_refused_before_it_is_read(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    huge = b'{"content": "' + b"a" * (30 * 1024 * 1024) + b'"}'
    answer = await client.post(f"/api/chat/{book_id}/message", content=huge,
                               headers={**alice.headers, "Content-Type": "application/json"})
    error = assert_error(answer, 413, "too_large")
    assert f"{get_settings().max_request_bytes:,} bytes" in str(error["message"])


async def test_a_body_without_a_length_is_cut_off_at_the_limit(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"content": "'
        for _ in range(30 * 16):  # 30 MB in 64 KiB pieces, if anyone read them all
            sent += 1
            yield b"a" * 65536
        yield b'"}'

    answer = await client.post(f"/api/chat/{book_id}/message", content=chunks(),
                               headers={**alice.headers, "Content-Type": "application/json"})
    assert_error(answer, 413, "too_large")
    assert sent * 65536 <= get_settings().max_request_bytes + 2 * 65536  # stopped soon after the limit


async def test_a_body_within_the_limit_is_served_as_usual(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/books", json={"page_count": 8}, headers=alice.headers)
    assert answer.status_code == 201


# -- live streams per user --------------------------------------------------------------------
async def test_one_user_can_keep_only_so_many_streams_open(client: httpx.AsyncClient, alice: Caller, bob: Caller,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAMS_PER_USER", "2")
    reset_settings()
    app = build_api()
    book = (await client.post("/api/books", headers=alice.headers)).json()["id"]
    theirs = (await client.post("/api/books", headers=bob.headers)).json()["id"]
    url = f"/api/jobs/{book}/stream"
    async with open_stream(app, url, alice.headers) as first, open_stream(app, url, alice.headers) as second:
        assert first.status == 200 and second.status == 200
        async with open_stream(app, url, alice.headers) as third:
            assert third.status == 429
            assert int(third.headers["retry-after"]) >= 1
        async with open_stream(app, f"/api/jobs/{theirs}/stream", bob.headers) as bobs:
            assert bobs.status == 200  # the limit is per user
    # the closed streams give their places back (as their tasks finish: a busy machine may take a while)
    deadline = asyncio.get_running_loop().time() + 15
    while True:
        async with open_stream(app, url, alice.headers) as again:
            if again.status == 200:
                break
            assert again.status == 429 and asyncio.get_running_loop().time() < deadline, "places never given back"
        await asyncio.sleep(0.1)


# -- new books a minute -------------------------------------------------------------------------
@pytest.mark.parametrize("api_db", ["sqlite", "postgres"], indirect=True)
def test_parallel_new_books_never_pass_the_limit(api_db: str, alice: Caller) -> None:
    """Twenty requests at the same instant, on threads with their own connections: exactly the
    limit's worth of books start (the old count-then-insert let 7 of 10 through a limit of 3)."""
    app_config.update({"books_per_minute": 3}, updated_by="tests")
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def start() -> None:
        barrier.wait()
        try:
            books.start_book_row(alice.user_id, "square-large", None, app_config.current().books_per_minute)
            outcomes.append("started")
        except Throttled:
            outcomes.append("throttled")

    threads = [threading.Thread(target=start) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope() as session:
        made = session.exec(select(func.count()).select_from(Book).where(Book.user_id == alice.user_id)).one()
    assert outcomes.count("started") == made == 3
    assert outcomes.count("throttled") == 17


@pytest.mark.parametrize("api_db", ["postgres"], indirect=True)
async def test_parallel_requests_through_the_api_start_no_more_than_the_limit(client: httpx.AsyncClient,
                                                                             alice: Caller) -> None:
    app_config.update({"books_per_minute": 3}, updated_by="tests")
    answers = await asyncio.gather(*[client.post("/api/books", headers=alice.headers) for _ in range(10)])
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201] * 3 + [429] * 7
    assert (await client.get("/api/books", headers=alice.headers)).json()["total"] == 3
