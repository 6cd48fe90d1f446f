"""The access matrix's parts, shared by the modules that walk every route: the app's route
table, which routes need no caller or answer a share link, sample bodies, Alice's book and
things to reach, and a snapshot of every row of hers that a request could change."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import text

from bookbug.api.app import build_api
from bookbug.db import DataExport, session_scope
from bookbug.db.session import get_engine
from bookbug.engine import list_runs
from bookbug.providers.storage import export_key, get_storage
from bookbug.services import sharing
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.settings import get_settings
from tests.api.conftest import Caller
from tests.support.api import finished_book

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


class Alice:
    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.book_id = finished_book(caller)
        self.token_id = create_api_token(caller.user_id, "alice's other token").id
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
