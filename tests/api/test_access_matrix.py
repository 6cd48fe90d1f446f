"""Every REST route, the live stream and every file route, called with someone else's
credentials and with none: nobody learns or changes anything of another user's.

The routes come from the app's own route table, so a route added tomorrow is in this matrix
the moment it exists; the few that need no caller are named here on purpose.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text

from bookbug.api.app import build_api
from bookbug.db import Book, BookShare, DataExport, session_scope, utcnow
from bookbug.db.session import get_engine
from bookbug.engine import list_runs
from bookbug.providers.storage import export_key, get_storage
from bookbug.services import accounts, books, sharing
from bookbug.settings import get_settings
from tests.api.conftest import PASSWORD, Caller
from tests.api.test_files import finished_book

# Routes that need no caller: health (and the operators' /healthz, /readyz and /metrics, which
# carry counts and no user's data) and the API's documents, trading a password for a token,
# and the browser's sign-in ticket and sign-out (which change only the caller's own cookie).
PUBLIC = {
    ("GET", "/api/health"), ("GET", "/api/openapi.json"), ("GET", "/api/docs"), ("GET", "/docs/oauth2-redirect"),
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
    ("POST", "/api/auth/token"), ("POST", "/api/auth/session"), ("POST", "/api/auth/sign-out"),
    # operators' probes (bookbug/api/routes/monitoring.py): counts and up/down, no user's data
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
}
# Routes that answer a share link's token instead of a caller: read-only, one book, checked below.
SHARED = {
    ("GET", "/shared/{token}"), ("GET", "/api/shared/{token}"), ("GET", "/api/shared/{token}/cover"),
    ("GET", "/api/shared/{token}/pages/{number}/image"), ("GET", "/api/shared/{token}/pdf"),
}
# Sample bodies by request model; a route with a new model must add one here.
BODIES: dict[str, Any] = {"SendMessage": {"content": "Mia, age 5"}, "PageDecision": {"keep": "new"},
                          "CreateBook": {}, "RedoPage": {"note": "make Mia laugh"},
                          "TokenRequest": {"email": "someone@example.com", "password": "a guess at it"},
                          "DeleteAccount": {"confirm": "delete my account"},
                          "CreateShare": {"expires_in_days": 7}, "PageText": {"text": "Pip smiled at the moon."}}


def routes() -> list[tuple[str, str, APIRoute | None]]:
    """(method, path, route) for every route of the app, flattened out of its routers."""
    found: list[tuple[str, str, APIRoute | None]] = []
    for entry in build_api().routes:
        for route in getattr(getattr(entry, "original_router", None), "routes", None) or [entry]:
            for method in sorted(getattr(route, "methods", None) or []):
                if method != "HEAD":
                    found.append((method, route.path, route if isinstance(route, APIRoute) else None))
    return found


PRIVATE = [(method, path) for method, path, _ in routes() if (method, path) not in PUBLIC | SHARED]
ROUTE_BY_KEY = {(method, path): route for method, path, route in routes()}


def test_the_matrix_covers_every_route() -> None:
    assert len(PRIVATE) >= 20 and ("GET", "/api/jobs/{book_id}/stream") in PRIVATE
    assert {path for _, path in PRIVATE if "/image" in path or path.endswith(("/pdf", "/cover"))}
    public_found = {(method, path) for method, path, _ in routes() if (method, path) in PUBLIC | SHARED}
    assert public_found == PUBLIC | SHARED, "a route named public here no longer exists"
    # every route reached with a share link's token is named above, and none of them writes
    tokened = {(method, path) for method, path, _ in routes() if "{token}" in path}
    assert tokened == SHARED and all(method == "GET" for method, _ in SHARED)


class Alice:
    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.book_id = finished_book(caller)
        self.token_id = accounts.create_api_token(caller.user_id, "alice's other token").id
        self.export_id = ready_export(caller)
        share = sharing.create_share(caller.user_id, self.book_id)
        self.share_id, self.share_token = share.id, share.token

    def url(self, path: str, *, book_id: str | None = None, token_id: str | None = None,
            export_id: str | None = None, share_id: str | None = None) -> str:
        values = {"book_id": book_id or self.book_id, "token_id": token_id or self.token_id, "number": "1",
                  "page": "1", "index": "0", "export_id": export_id or self.export_id,
                  "share_id": share_id or self.share_id, "token": self.share_token}
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, f"{path}: give its parameter a sample value here"
        return path


def ready_export(owner: Caller) -> str:
    """A finished "Download my data" zip of the owner's, without running its workflow."""
    with session_scope() as session:
        export = DataExport(user_id=owner.user_id, status="ready", percent=100.0, book_ids=[])
        session.add(export)
        session.flush()
        export.storage_key = export_key(owner.user_id, export.id, "bookbug-export.zip")
        export_id, key = export.id, export.storage_key
    get_storage().put(key, b"PK\x05\x06" + b"\x00" * 18)
    return export_id


def body_for(route: APIRoute | None) -> Any:
    field = route.body_field if route is not None else None
    if field is None:
        return None
    name = str(field.field_info.annotation)
    model = next((key for key in BODIES if key in name), None)
    assert model is not None, f"{route.path}: add a sample body for {name} here"
    return BODIES[model]


async def send(client: httpx.AsyncClient, method: str, url: str, body: Any, headers: dict[str, str]) -> httpx.Response:
    return await client.request(method, url, headers=headers, json=body) if body is not None else \
        await client.request(method, url, headers=headers)


def alices_rows(user_id: str) -> dict[str, list[tuple[Any, ...]]]:
    queries = {
        "books": "SELECT id, status, title, updated_at FROM books WHERE user_id = :u",
        "chat": "SELECT m.id FROM chat_messages m JOIN books b ON b.id = m.book_id WHERE b.user_id = :u",
        "pages": "SELECT p.id, p.version, p.redo_count, p.redo_failure, p.text, p.edit_count FROM rendered_pages p "
                 "JOIN books b ON b.id = p.book_id WHERE b.user_id = :u",
        "tokens": "SELECT id, revoked_at FROM api_tokens WHERE user_id = :u",
        "exports": "SELECT id, status, storage_key FROM data_exports WHERE user_id = :u",
        "shares": "SELECT id, book_id, token_hash, expires_at, revoked_at FROM book_shares WHERE user_id = :u",
        "account": "SELECT id, email, password_hash FROM users WHERE id = :u",
    }
    db = get_settings().db_url
    with get_engine(db).connect() as conn:
        found = {name: sorted(map(tuple, conn.execute(text(sql), {"u": user_id}).all()), key=repr)
                 for name, sql in queries.items()}
    # the runs of her books, through the engine's own face (its tables are its own)
    runs = list_runs(db, limit=1000)
    books = {row[0] for row in found["books"]}
    found["runs"] = sorted((run.id, run.status.value) for run in runs if run.subject in books)
    return found


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
        session = accounts.sign_in(bob.email, PASSWORD).token
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
