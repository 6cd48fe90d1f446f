"""Share links through the REST API: made by the owner (token shown once, stored hashed), opened
by anyone without an account, revoked at once, expiring on time."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
from sqlmodel import select

from bookbug.db import BookShare, RenderedPage, session_scope, utcnow
from bookbug.providers.storage import book_key, get_storage
from tests.api.conftest import Caller
from tests.support.api import PDF, PNG, assert_error, finished_book


async def share(client: httpx.AsyncClient, owner: Caller, book_id: str, **body: object) -> dict:
    answer = await client.post(f"/api/books/{book_id}/shares", headers=owner.headers, json=body or None)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_a_link_opens_the_book_without_an_account(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    made = await share(client, alice, book_id)
    assert made["path"] == f"/shared/{made['token']}" and made["expires_at"] is None

    book = (await client.get(f"/api/shared/{made['token']}")).json()
    assert book["title"] == "Pip's Big Day!" and [p["text"] for p in book["pages"]] == ["Pip woke up."]
    assert (await client.get(book["pages"][0]["image_url"])).content == PNG
    assert (await client.get(book["cover_url"])).content == PNG
    pdf = await client.get(book["pdf_url"])
    assert pdf.content == PDF and pdf.headers["content-disposition"].startswith("attachment")
    assert pdf.headers["cache-control"] == "no-store"  # a revoked link must not live on in a cache


async def test_the_reader_page_carries_open_graph_title_and_preview(client: httpx.AsyncClient,
                                                                    alice: Caller) -> None:
    book_id = finished_book(alice)
    token = (await share(client, alice, book_id))["token"]
    page = await client.get(f"/shared/{token}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<meta property="og:title" content="Pip&#x27;s Big Day!">' in html
    assert f'<meta property="og:image" content="http://localhost:3000/api/shared/{token}/cover">' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Pip woke up." in html and "<script" not in html
    assert book_id not in html


async def test_only_the_tokens_hash_is_stored_and_the_list_never_shows_it(client: httpx.AsyncClient,
                                                                          alice: Caller) -> None:
    book_id = finished_book(alice)
    made = await share(client, alice, book_id, expires_in_days=7)
    with session_scope() as session:
        row = session.get(BookShare, made["id"])
        assert row is not None
        assert row.token_hash == hashlib.sha256(made["token"].encode()).hexdigest()
    listed = (await client.get(f"/api/books/{book_id}/shares", headers=alice.headers)).json()["items"]
    assert [item["id"] for item in listed] == [made["id"]] and made["token"] not in str(listed)
    assert listed[0]["expires_at"] is not None and listed[0]["expired"] is False


async def test_revoking_a_link_makes_it_and_its_files_404_at_once(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    kept = await share(client, alice, book_id)
    gone = await share(client, alice, book_id)
    urls = [f"/shared/{gone['token']}", f"/api/shared/{gone['token']}", f"/api/shared/{gone['token']}/cover",
            f"/api/shared/{gone['token']}/pages/1/image", f"/api/shared/{gone['token']}/pdf"]
    for url in urls:
        assert (await client.get(url)).status_code == 200, url

    answer = await client.delete(f"/api/books/{book_id}/shares/{gone['id']}", headers=alice.headers)
    assert answer.status_code == 204

    for url in urls:
        assert_error(await client.get(url), 404, "not_found")
    assert (await client.get(f"/api/shared/{kept['token']}")).status_code == 200  # the other link still works
    listed = (await client.get(f"/api/books/{book_id}/shares", headers=alice.headers)).json()["items"]
    assert [item["id"] for item in listed] == [kept["id"]]
    again = await client.delete(f"/api/books/{book_id}/shares/{gone['id']}", headers=alice.headers)
    assert_error(again, 404, "not_found")


async def test_an_expired_link_is_404(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    made = await share(client, alice, book_id, expires_in_days=1)
    with session_scope() as session:
        row = session.get(BookShare, made["id"])
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
    assert_error(await client.get(f"/api/shared/{made['token']}/pdf"), 404, "not_found")
    listed = (await client.get(f"/api/books/{book_id}/shares", headers=alice.headers)).json()["items"]
    assert listed[0]["expired"] is True


async def test_bad_expiry_and_unfinished_books_are_refused(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    for days in (0, 366, -1):
        answer = await client.post(f"/api/books/{book_id}/shares", headers=alice.headers,
                                   json={"expires_in_days": days})
        assert answer.status_code == 422 and answer.json()["error"]["field"] == "expires_in_days"
    unfinished = (await client.post("/api/books", headers=alice.headers, json={})).json()["id"]
    assert_error(await client.post(f"/api/books/{unfinished}/shares", headers=alice.headers), 409, "wrong_phase")
    with session_scope() as session:
        assert session.exec(select(BookShare)).first() is None


async def test_a_page_redone_and_not_yet_kept_shows_its_old_version(client: httpx.AsyncClient,
                                                                    alice: Caller) -> None:
    book_id = finished_book(alice)
    new_key = book_key(book_id, "pages", "001-v3.png")
    get_storage().put(new_key, b"\x89PNG new version")
    with session_scope() as session:
        page = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id)).one()
        page.previous_key, page.storage_key = page.storage_key, new_key
        page.version, page.text = 3, "Pip flew to the moon."
        page.image_meta = {"previous": {"version": 2, "text": "Pip woke up."}}
    token = (await share(client, alice, book_id))["token"]
    book = (await client.get(f"/api/shared/{token}")).json()
    assert book["pages"][0]["text"] == "Pip woke up."
    assert (await client.get(f"/api/shared/{token}/pages/1/image")).content == PNG
