"""Books through the API: create, list, read, delete; bad input, strangers' books, the throttle."""

from __future__ import annotations

import httpx
import pytest

from bookbug.db import Book, session_scope
from bookbug.config import app_config
from tests.api.book_flow import wait_for_question
from tests.api.conftest import Caller
from tests.support.api import assert_error, new_book


async def test_creating_a_book_starts_its_conversation(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/books", headers=alice.headers, json={"format": "square-large", "page_count": 8})
    assert answer.status_code == 201, answer.text
    book = answer.json()
    assert answer.headers["Location"] == f"/api/books/{book['id']}"
    assert book["status"] == "draft" and book["page_count"] == 8 and book["format"] == "square-large"
    question = await wait_for_question(client, alice.headers, book["id"])
    assert question["role"] == "assistant" and question["chips"] and question["phase"] == "story_intake"


async def test_a_book_needs_no_body_at_all(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/books", headers=alice.headers)
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(("body", "field"), [
    ({"format": "napkin"}, "format"),
    ({"page_count": 99}, "page_count"),
    ({"page_count": "many"}, "page_count"),
])
async def test_bad_book_input_is_422_naming_the_field(client: httpx.AsyncClient, alice: Caller,
                                                        body: dict[str, object], field: str) -> None:
    assert_error(await client.post("/api/books", headers=alice.headers, json=body), 422, "invalid_input", field)
    assert (await client.get("/api/books", headers=alice.headers)).json()["total"] == 0


async def test_a_body_that_is_not_json_is_422(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/books", headers={**alice.headers, "Content-Type": "application/json"},
                               content=b"{not json")
    assert_error(answer, 422, "invalid_input")


async def test_books_are_listed_newest_first_and_paginated(client: httpx.AsyncClient, alice: Caller,
                                                            bob: Caller) -> None:
    app_config.update({"books_per_minute": 10}, updated_by="tests")
    made = [(await new_book(client, alice))["id"] for _ in range(3)]
    await new_book(client, bob)
    first = (await client.get("/api/books", headers=alice.headers, params={"per_page": 2})).json()
    second = (await client.get("/api/books", headers=alice.headers, params={"per_page": 2, "page": 2})).json()
    assert first["total"] == 3 and first["page"] == 1 and first["per_page"] == 2
    assert [b["id"] for b in first["items"] + second["items"]] == list(reversed(made))


@pytest.mark.parametrize(("params", "field"), [({"per_page": 0}, "per_page"), ({"per_page": 101}, "per_page"),
                                               ({"page": 0}, "page"), ({"page": "two"}, "page")])
async def test_bad_paging_is_422_naming_the_field(client: httpx.AsyncClient, alice: Caller,
                                                  params: dict[str, object], field: str) -> None:
    assert_error(await client.get("/api/books", headers=alice.headers, params=params), 422, "invalid_input", field)


async def test_one_book_shows_its_status_and_conversation_state(client: httpx.AsyncClient, alice: Caller) -> None:
    book = await new_book(client, alice)
    await wait_for_question(client, alice.headers, str(book["id"]))
    detail = (await client.get(f"/api/books/{book['id']}", headers=alice.headers)).json()
    assert detail["id"] == book["id"] and detail["status"] == "intake"
    assert detail["pages"] == [] and detail["pdf_url"] is None
    assert detail["job"]["status"] == "waiting"


async def test_deleting_a_book_removes_it(client: httpx.AsyncClient, alice: Caller) -> None:
    book = await new_book(client, alice)
    await wait_for_question(client, alice.headers, str(book["id"]))
    assert (await client.delete(f"/api/books/{book['id']}", headers=alice.headers)).status_code == 204
    assert_error(await client.get(f"/api/books/{book['id']}", headers=alice.headers), 404, "not_found")
    with session_scope() as session:
        assert session.get(Book, str(book["id"])) is None


STRANGER_REQUESTS = [
    ("GET", "/api/books/{id}", None), ("DELETE", "/api/books/{id}", None),
    ("GET", "/api/chat/{id}/history", None), ("POST", "/api/chat/{id}/message", {"content": "hello"}),
    ("POST", "/api/chat/{id}/approve", None), ("GET", "/api/jobs/{id}", None),
    ("GET", "/api/jobs/{id}/stream", None), ("POST", "/api/jobs/{id}/cancel", None),
    ("POST", "/api/jobs/{id}/retry", None), ("GET", "/api/books/{id}/pdf", None),
    ("GET", "/api/books/{id}/cover", None), ("GET", "/api/books/{id}/pages/1/image", None),
    ("GET", "/api/books/{id}/characters/0/image", None),
]


async def test_someone_elses_book_is_404_through_every_endpoint(client: httpx.AsyncClient, alice: Caller,
                                                                 bob: Caller) -> None:
    book = await new_book(client, alice)
    await wait_for_question(client, alice.headers, str(book["id"]))
    for method, path, body in STRANGER_REQUESTS:
        url = path.format(id=book["id"])
        answer = await client.request(method, url, headers=bob.headers, json=body)
        assert_error(answer, 404, "not_found")
        missing = await client.request(method, path.format(id="0" * 32), headers=alice.headers, json=body)
        # a stranger's book and a book that does not exist cannot be told apart
        assert missing.status_code == 404 and missing.json() == answer.json(), (method, path)
    assert (await client.get(f"/api/books/{book['id']}", headers=alice.headers)).status_code == 200


async def test_the_fourth_book_in_a_minute_is_429_with_retry_after(client: httpx.AsyncClient, alice: Caller,
                                                                    bob: Caller) -> None:
    for _ in range(3):
        await new_book(client, alice)
    answer = await client.post("/api/books", headers=alice.headers)
    assert_error(answer, 429, "throttled")
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert (await client.get("/api/books", headers=alice.headers)).json()["total"] == 3
    await new_book(client, bob)  # the throttle is per user
