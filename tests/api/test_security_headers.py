"""Security headers on every answer: pages may not be framed by other sites, content types are
not guessed, no Referer leaves for other sites, and each kind of answer has its own
Content-Security-Policy (what the page may load and connect to; nothing at all for API data).
The real pages, served by the running app, are checked in tests/live."""

from __future__ import annotations

import httpx
import pytest

from bookbug.edge.headers import page_policy
from bookbug.settings import Settings, reset_settings
from tests.api.conftest import Caller
from tests.support.access import Alice, PRIVATE
from tests.support.api import finished_book

COMMON = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}


def assert_common(answer: httpx.Response) -> None:
    for name, value in COMMON.items():
        assert answer.headers.get(name) == value, f"{answer.request.url}: {name}"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


# (a live stream never ends, so its headers are checked against the running app in tests/live)
@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in PRIVATE if m == "GET" and not p.endswith("/stream")])
async def test_every_api_answer_carries_the_headers_and_a_policy_that_loads_nothing(
        client: httpx.AsyncClient, alice: Caller, method: str, path: str) -> None:
    owner = Alice(alice)
    answer = await client.request(method, owner.url(path), headers=alice.headers)
    assert_common(answer)
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


async def test_refusals_and_files_carry_them_too(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    for answer in (await client.get("/api/books"), await client.get(f"/api/books/{book_id}/pdf", headers=alice.headers),
                   await client.post("/api/books", headers={"Origin": "https://evil.example",
                                                            "Cookie": "bookbug_session=x"})):
        assert_common(answer)


async def test_the_api_docs_may_load_swagger_and_nothing_else(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/docs")
    policy = answer.headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in policy and "frame-ancestors 'none'" in policy
    assert_common(answer)


async def test_a_page_path_gets_the_pages_policy(client: httpx.AsyncClient) -> None:
    answer = await client.get("/books")  # served by the web app in the running server
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "connect-src 'self' ws://localhost:3000" in policy


def test_the_page_policy_names_only_what_the_configuration_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = page_policy(Settings())
    assert "clerk" not in plain and "https:" not in plain.replace("https://", "")
    with_clerk = page_policy(Settings(clerk_secret_key="sk_test_x", clerk_publishable_key="pk_test_Y2xlcmsuYm9va2J1Zy50ZXN0JA",
                                      clerk_jwt_key="k"))
    assert "https://clerk.bookbug.test" in with_clerk and "https://challenges.cloudflare.com" in with_clerk
    with_s3 = page_policy(Settings(s3_bucket="b", s3_access_key_id="a", s3_secret_access_key="s",
                                   s3_endpoint_url="https://acct.r2.cloudflarestorage.com"))
    assert "img-src 'self' data: blob: https://acct.r2.cloudflarestorage.com" in with_s3


async def test_browsers_are_told_to_keep_to_https_when_the_app_is_served_over_it(
        monkeypatch: pytest.MonkeyPatch, client: httpx.AsyncClient) -> None:
    assert "strict-transport-security" not in (await client.get("/api/health")).headers
    monkeypatch.setenv("APP_URL", "https://bookbug.example")
    reset_settings()
    from bookbug.api.app import build_api

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_api()), base_url="https://bookbug.example") as https:
        assert (await https.get("/api/health")).headers["strict-transport-security"].startswith("max-age=")


async def test_the_frontend_builds_hashed_scripts_and_styles_are_cached_for_good_and_pages_are_not() -> None:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from bookbug.edge.headers import SecurityHeaders
    from bookbug.settings import get_settings

    async def anything(request: object) -> PlainTextResponse:
        return PlainTextResponse("x")

    app = SecurityHeaders(Starlette(routes=[Route("/{path:path}", anything)]), settings=get_settings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as browser:
        built = await browser.get("/assets/entry.client-BcBPaK_9.js")
        assert built.headers["cache-control"] == "public, max-age=31536000, immutable"
        for path in ("/", "/books", "/logo.svg"):
            assert "cache-control" not in (await browser.get(path)).headers, path
