"""Other sites' pages cannot use a visitor's session cookie to change anything, nor read
anything back: every state-changing route (taken from the route table) refuses a write whose
Origin or Referer is not this app's, and CORS answers only this app's own origins.
Bearer-token clients (the CLI, scripts) are not affected.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, WebSocket
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bookbug.edge import protect
from bookbug.providers.auth.sessions import session_key, user_for_session
from bookbug.services.accounts.sign_in import sign_in
from bookbug.services.accounts.tickets import issue_ticket
from bookbug.settings import ROOT, Settings, get_settings, reset_settings
from tests.api.conftest import PASSWORD, Caller
from tests.support.access import ROUTE_BY_KEY, Alice, alices_rows, body_for, routes

EVIL = "https://evil.example"
WRITES = [(method, path) for method, path, _ in routes() if method not in ("GET", "HEAD", "OPTIONS")]
FOREIGN = {
    "a foreign Origin": {"Origin": EVIL},
    "a foreign Referer and no Origin": {"Referer": f"{EVIL}/cats"},
    "Origin null (a sandboxed page)": {"Origin": "null"},
    "the app's host on another port": {"Origin": "http://localhost:3001"},
    "no Origin and no Referer": {},
}


def own_origin() -> str:
    return get_settings().origins[0]


def cookie_for(caller: Caller) -> dict[str, str]:
    return {"Cookie": f"bookbug_session={sign_in(caller.email, PASSWORD).token}"}


async def post_like_a_form(client: httpx.AsyncClient, method: str, url: str, body: Any,
                           headers: dict[str, str]) -> httpx.Response:
    """What a page on any site can send without asking CORS first: a text/plain body."""
    import json

    content = json.dumps(body) if body is not None else ""
    return await client.request(method, url, content=content, headers={"Content-Type": "text/plain", **headers})


def test_every_state_changing_route_is_in_this_test() -> None:
    assert len(WRITES) >= 12 and ("POST", "/api/jobs/{book_id}/cancel") in WRITES
    assert ("POST", "/api/auth/session") in WRITES and ("DELETE", "/api/books/{book_id}") in WRITES


@pytest.mark.parametrize("source", list(FOREIGN))
@pytest.mark.parametrize(("method", "path"), WRITES)
async def test_a_cookie_write_from_another_site_is_refused_and_changes_nothing(
        client: httpx.AsyncClient, alice: Caller, method: str, path: str, source: str) -> None:
    owner = Alice(alice)
    before = alices_rows(alice.user_id)
    answer = await post_like_a_form(client, method, owner.url(path), body_for(ROUTE_BY_KEY[(method, path)]),
                                    {**cookie_for(alice), **FOREIGN[source]})
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "cross_site"
    assert alices_rows(alice.user_id) == before


@pytest.mark.parametrize(("method", "path"), WRITES)
async def test_the_apps_own_pages_and_bearer_clients_pass_the_origin_check(
        client: httpx.AsyncClient, alice: Caller, method: str, path: str) -> None:
    owner = Alice(alice)
    body = body_for(ROUTE_BY_KEY[(method, path)])
    cookie = cookie_for(alice)  # signed in once: a route may end the account (POST /api/account/delete)
    own = await client.request(method, owner.url(path), json=body, headers={**cookie, "Origin": own_origin()})
    assert own.status_code != 403, own.text  # whatever the route answers, the guard let it through
    referred = await client.request(method, owner.url(path), json=body,
                                    headers={**cookie, "Referer": own_origin() + "/books"})
    assert referred.status_code != 403, referred.text
    bearer = await client.request(method, owner.url(path), json=body, headers={**alice.headers, "Origin": EVIL})
    assert bearer.status_code != 403, bearer.text


async def test_a_client_without_cookie_or_origin_can_still_ask_for_a_token(client: httpx.AsyncClient,
                                                                          alice: Caller) -> None:
    answer = await client.post("/api/auth/token", json={"email": alice.email, "password": PASSWORD})
    assert answer.status_code == 201  # the CLI: no browser, no cookie, no Origin


async def test_another_site_cannot_sign_a_browser_in_or_out(client: httpx.AsyncClient, alice: Caller) -> None:
    ticket = issue_ticket(alice.user_id)
    forged = await client.post("/api/auth/session", content=f"ticket={ticket}&next=/books",
                               headers={"Origin": EVIL, "Content-Type": "application/x-www-form-urlencoded"})
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    session = cookie_for(alice)
    out = await client.post("/api/auth/sign-out", headers={**session, "Origin": EVIL})
    assert out.status_code == 403
    token = session["Cookie"].split("=", 1)[1]
    assert user_for_session(token) is not None  # still signed in


async def test_cors_answers_only_the_apps_own_origins(client: httpx.AsyncClient, alice: Caller) -> None:
    cookie = cookie_for(alice)
    stolen = await client.get("/api/books", headers={**cookie, "Origin": EVIL})
    assert "access-control-allow-origin" not in stolen.headers  # the browser keeps the answer from evil's page
    own = await client.get("/api/books", headers={**cookie, "Origin": own_origin()})
    assert own.headers["access-control-allow-origin"] == own_origin()
    assert own.headers["access-control-allow-credentials"] == "true"
    asked = await client.options("/api/books", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert asked.headers.get("access-control-allow-origin") in (None, "") and asked.status_code >= 400


def test_reflex_is_configured_with_the_same_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reflex adds CORS of its own (and Socket.IO checks the socket's Origin) from rxconfig."""
    monkeypatch.setenv("APP_URL", "https://bookbug.example")
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://www.bookbug.example")
    reset_settings()
    spec = importlib.util.spec_from_file_location("rxconfig_under_test", ROOT / "rxconfig.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert tuple(module.config.cors_allowed_origins) == ("https://bookbug.example", "https://www.bookbug.example")


# -- the web app's socket ---------------------------------------------------------------------
def socket_app(settings: Settings) -> FastAPI:
    """The edge in front of a socket that reports the headers it was given."""
    api = FastAPI()

    @api.websocket("/_event")
    async def event(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_json({key.decode(): value.decode() for key, value in socket.scope["headers"]})
        await socket.close()

    protect(api, settings)
    return api


def test_a_socket_opened_from_another_sites_page_is_refused() -> None:
    settings = get_settings()
    with TestClient(socket_app(settings)) as http:
        with pytest.raises(WebSocketDisconnect):
            with http.websocket_connect("/_event", headers={"Origin": EVIL, "Cookie": "bookbug_session=bbs_x"}) as ws:
                ws.receive_json()
        with http.websocket_connect("/_event", headers={"Origin": settings.origins[0]}) as ws:
            assert ws.receive_json()["origin"] == settings.origins[0]


def test_the_socket_gets_the_sessions_key_never_the_cookie_and_no_key_a_client_made_up() -> None:
    settings = get_settings()
    token = "bbs_" + "s" * 43
    with TestClient(socket_app(settings)) as http:
        headers = {"Origin": settings.origins[0], "Cookie": f"theme=dark; bookbug_session={token}",
                   "X-Bookbug-Session-Key": "f" * 64}
        with http.websocket_connect("/_event", headers=headers) as ws:
            seen = ws.receive_json()
        with http.websocket_connect("/_event", headers={"Origin": settings.origins[0],
                                                        "X-Bookbug-Session-Key": "f" * 64}) as ws:
            forged = ws.receive_json()
    assert token not in repr(seen) and seen["cookie"] == "theme=dark"
    assert seen["x-bookbug-session-key"] == session_key(token)
    assert "x-bookbug-session-key" not in forged  # a key is only ever derived from the cookie
