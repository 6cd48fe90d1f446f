"""Every REST route, the live stream and every file route, called with someone else's
credentials and with none: nobody learns or changes anything of another user's.

The routes come from the app's own route table, so a route added tomorrow is in this matrix
the moment it exists; the few that need no caller are named here on purpose.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text

from bookbug.api.app import build_api
from bookbug.db import DataExport, session_scope
from bookbug.db.session import get_engine
from bookbug.engine import list_runs
from bookbug.providers.storage import export_key, get_storage
from bookbug.services import accounts
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
}
# Sample bodies by request model; a route with a new model must add one here.
BODIES: dict[str, Any] = {"SendMessage": {"content": "Mia, age 5"}, "PageDecision": {"keep": "new"},
                          "CreateBook": {}, "RedoPage": {"note": "make Mia laugh"},
                          "TokenRequest": {"email": "someone@example.com", "password": "a guess at it"},
                          "DeleteAccount": {"confirm": "delete my account"}}


def routes() -> list[tuple[str, str, APIRoute | None]]:
    """(method, path, route) for every route of the app, flattened out of its routers."""
    found: list[tuple[str, str, APIRoute | None]] = []
    for entry in build_api().routes:
        for route in getattr(getattr(entry, "original_router", None), "routes", None) or [entry]:
            for method in sorted(getattr(route, "methods", None) or []):
                if method != "HEAD":
                    found.append((method, route.path, route if isinstance(route, APIRoute) else None))
    return found


PRIVATE = [(method, path) for method, path, _ in routes() if (method, path) not in PUBLIC]
ROUTE_BY_KEY = {(method, path): route for method, path, route in routes()}


def test_the_matrix_covers_every_route() -> None:
    assert len(PRIVATE) >= 20 and ("GET", "/api/jobs/{book_id}/stream") in PRIVATE
    assert {path for _, path in PRIVATE if "/image" in path or path.endswith(("/pdf", "/cover"))}
    public_found = {(method, path) for method, path, _ in routes() if (method, path) in PUBLIC}
    assert public_found == PUBLIC, "a route named public here no longer exists"


class Alice:
    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.book_id = finished_book(caller)
        self.token_id = accounts.create_api_token(caller.user_id, "alice's other token").id
        self.export_id = ready_export(caller)

    def url(self, path: str, *, book_id: str | None = None, token_id: str | None = None,
            export_id: str | None = None) -> str:
        values = {"book_id": book_id or self.book_id, "token_id": token_id or self.token_id, "number": "1",
                  "page": "1", "index": "0", "export_id": export_id or self.export_id}
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
        "pages": "SELECT p.id, p.version, p.redo_count, p.redo_failure FROM rendered_pages p "
                 "JOIN books b ON b.id = p.book_id WHERE b.user_id = :u",
        "tokens": "SELECT id, revoked_at FROM api_tokens WHERE user_id = :u",
        "exports": "SELECT id, status, storage_key FROM data_exports WHERE user_id = :u",
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
        # exactly what a book (token, export) that does not exist gets: nothing to tell them apart
        missing = await send(client, method, owner.url(path, book_id=uuid.uuid4().hex, token_id=uuid.uuid4().hex,
                                                       export_id=uuid.uuid4().hex), body, headers)
        assert answer.status_code == 404, answer.text
        assert answer.content == missing.content and answer.status_code == missing.status_code
    else:  # Bob's own collection (his books, his tokens, himself): nothing of Alice's in it
        assert answer.status_code < 400 or answer.status_code == 429, answer.text
        for secret in (owner.book_id, owner.token_id, owner.export_id, alice.email, alice.user_id):
            assert secret not in answer.text
    assert alices_rows(alice.user_id) == before
