"""Every REST route, the live stream and every file route, called with someone else's
credentials and with none: nobody learns or changes anything of another user's.

The routes come from the app's own route table, so a route added tomorrow is in this matrix
the moment it exists; the few that need no caller are named on purpose (tests/support/access.py).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from bookbug.db import Book, BookShare, session_scope, utcnow
from bookbug.providers.storage import get_storage
from bookbug.services import books, sharing
from bookbug.services.accounts.sign_in import sign_in
from bookbug.settings import get_settings
from tests.api.conftest import PASSWORD, Caller
from tests.support.access import (PRIVATE, PUBLIC, ROUTE_BY_KEY, SHARED, Alice, alices_rows, body_for, routes,
                                  send)
from tests.support.api import finished_book


def test_the_matrix_covers_every_route() -> None:
    assert len(PRIVATE) >= 20 and ("GET", "/api/jobs/{book_id}/stream") in PRIVATE
    assert {path for _, path in PRIVATE if "/image" in path or path.endswith(("/pdf", "/cover"))}
    public_found = {(method, path) for method, path, _ in routes() if (method, path) in PUBLIC | SHARED}
    assert public_found == PUBLIC | SHARED, "a route named public here no longer exists"
    # every route reached with a share link's token is named as shared, and none of them writes
    tokened = {(method, path) for method, path, _ in routes() if "{token}" in path}
    assert tokened == SHARED and all(method == "GET" for method, _ in SHARED)


@pytest.mark.parametrize(("method", "path"), PRIVATE)
async def test_without_credentials_every_private_route_is_401(client: httpx.AsyncClient, alice: Caller,
                                                               method: str, path: str) -> None:
    owner = Alice(alice)
    before = alices_rows(alice.user_id)
    answer = await send(client, method, owner.url(path), body_for(ROUTE_BY_KEY[(method, path)]), {})
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized", answer.text
    assert alices_rows(alice.user_id) == before


@pytest.mark.parametrize("credential", ["token", "session cookie"])
@pytest.mark.parametrize(("method", "path"), PRIVATE)
async def test_someone_elses_credentials_get_nothing_of_alices(client: httpx.AsyncClient, alice: Caller,
                                                               bob: Caller, method: str, path: str,
                                                               credential: str) -> None:
    owner = Alice(alice)
    if credential == "token":
        headers = bob.headers
    else:  # the web app's cookie, from the web app's own page (writes from elsewhere are refused anyway)
        session = sign_in(bob.email, PASSWORD).token
        headers = {"Cookie": f"bookbug_session={session}", "Origin": get_settings().origins[0]}
    body = body_for(ROUTE_BY_KEY[(method, path)])
    before = alices_rows(alice.user_id)

    answer = await send(client, method, owner.url(path), body, headers)

    if "{book_id}" in path or "{token_id}" in path or "{export_id}" in path:
        # exactly what a book (token, export, link) that does not exist gets: nothing to tell them apart
        missing = await send(client, method, owner.url(path, book_id=uuid.uuid4().hex, token_id=uuid.uuid4().hex,
                                                       export_id=uuid.uuid4().hex, share_id=uuid.uuid4().hex),
                             body, headers)
        assert answer.status_code == 404, answer.text
        assert answer.content == missing.content and answer.status_code == missing.status_code
    else:  # Bob's own collection (his books, his tokens, himself): nothing of Alice's in it
        assert answer.status_code < 400 or answer.status_code == 429, answer.text
        for secret in (owner.book_id, owner.token_id, owner.export_id, owner.share_id, alice.email, alice.user_id):
            assert secret not in answer.text
    assert alices_rows(alice.user_id) == before


# -- share links -----------------------------------------------------------------------------------

def shared_url(path: str, token: str) -> str:
    return path.replace("{token}", token).replace("{number}", "1")


def second_book(owner: Caller) -> str:
    """Another finished book of the owner's, with files of its own (distinct bytes)."""
    book_id = finished_book(owner)
    with session_scope() as session:
        book = session.get(Book, book_id)
        assert book is not None and book.pdf_key and book.cover_key
        book.title = "Another Book Entirely"
        keys = [book.pdf_key, book.cover_key]
    for key in keys:
        get_storage().put(key, b"other-book:" + key.encode())
    return book_id


@pytest.mark.parametrize(("method", "path"), sorted(SHARED))
async def test_a_live_link_opens_its_own_book_and_nothing_else(client: httpx.AsyncClient, alice: Caller,
                                                               method: str, path: str) -> None:
    owner = Alice(alice)
    other = second_book(alice)
    token = sharing.create_share(alice.user_id, owner.book_id).token
    before = alices_rows(alice.user_id)

    answer = await client.request(method, shared_url(path, token))

    assert answer.status_code == 200, answer.text
    for secret in (other, "Another Book Entirely", "other-book:", owner.book_id, alice.email, alice.user_id):
        assert secret not in answer.text, f"{secret} leaked through {path}"
    assert alices_rows(alice.user_id) == before


@pytest.mark.parametrize("how", ["revoked", "expired", "book deleted", "made up", "another book's id"])
@pytest.mark.parametrize(("method", "path"), sorted(SHARED))
async def test_a_dead_link_is_404_like_one_that_never_existed(client: httpx.AsyncClient, alice: Caller,
                                                              method: str, path: str, how: str) -> None:
    owner = Alice(alice)
    share = sharing.create_share(alice.user_id, owner.book_id, expires_in_days=1)
    token = share.token
    if how == "revoked":
        sharing.revoke_share(alice.user_id, owner.book_id, share.id)
    elif how == "expired":
        with session_scope() as session:
            row = session.get(BookShare, share.id)
            assert row is not None
            row.expires_at = utcnow() - timedelta(seconds=1)
    elif how == "book deleted":
        await books.delete_book(alice.user_id, owner.book_id)
    elif how == "made up":
        token = sharing.TOKEN_PREFIX + "x" * 43
    else:  # a book's own id (or a share's id) is not a link
        token = owner.book_id
    never = await client.request(method, shared_url(path, sharing.TOKEN_PREFIX + uuid.uuid4().hex))

    answer = await client.request(method, shared_url(path, token))

    assert answer.status_code == 404, answer.text
    assert answer.content == never.content


@pytest.mark.parametrize(("method", "path"), PRIVATE)
async def test_a_share_token_is_no_credential(client: httpx.AsyncClient, alice: Caller, method: str,
                                              path: str) -> None:
    """Nothing can be written (or read beyond the shared book) by presenting a link's token."""
    owner = Alice(alice)
    token = sharing.create_share(alice.user_id, owner.book_id).token
    before = alices_rows(alice.user_id)
    for headers in ({"Authorization": f"Bearer {token}"}, {"Cookie": f"bookbug_session={token}", "Origin": get_settings().origins[0]}):
        answer = await send(client, method, owner.url(path), body_for(ROUTE_BY_KEY[(method, path)]), headers)
        assert answer.status_code == 401, answer.text
    assert alices_rows(alice.user_id) == before


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", sorted({path for _, path in SHARED}))
async def test_nothing_is_written_through_a_link(client: httpx.AsyncClient, alice: Caller, method: str,
                                                 path: str) -> None:
    owner = Alice(alice)
    token = sharing.create_share(alice.user_id, owner.book_id).token
    before = alices_rows(alice.user_id)
    answer = await client.request(method, shared_url(path, token), json={"title": "changed"})
    assert answer.status_code in (404, 405), answer.text
    assert alices_rows(alice.user_id) == before
