"""Signing in with Clerk, in Chromium, against the app started by `make run` with Clerk keys set.

ClerkJS itself comes from Clerk's servers, so the browser's request for it is answered with a
stand-in (tests/standins/clerk_js.py) that signs in with session tokens minted here by a test
key; every other request that would leave the machine is refused. The server's side is all
real: the token is verified by clerk-backend-api with CLERK_JWT_KEY, the Clerk user is mapped
to a Bookbug user, and a Bookbug browser session is opened and ended.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from bookbug.providers.auth.clerk_browser import publishable_key_for
from bookbug.state.clerk_auth import NOT_VERIFIED
from tests.app_server import LiveApp, free_port
from tests.browser.conftest import embedded_app, launch_chromium
from tests.standins import clerk_js
from tests.standins.clerk import SECRET_KEY, ClerkKeys

CLERK_HOST = "clerk.bookbug.test"  # .test never resolves; the browser's requests to it are answered here
STEP_TIMEOUT = 30_000
KEYS = ClerkKeys()
ADA = "ada@example.com"
GRACE = "grace@example.com"
STRANGER = "stranger@example.com"  # her token was minted for another site


@pytest.fixture(scope="module")
def clerk_app() -> Iterator[LiveApp]:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with embedded_app(port=port, APP_URL=origin, CLERK_SECRET_KEY=SECRET_KEY, CLERK_JWT_KEY=KEYS.public_pem,
                      CLERK_PUBLISHABLE_KEY=publishable_key_for(CLERK_HOST), CLERK_AUTHORIZED_PARTIES=origin,
                      CLERK_API_URL="http://127.0.0.1:9/v1") as app:  # tokens carry e-mails: no lookups
        yield app


@pytest.fixture(scope="module")
def chromium(clerk_app: LiveApp) -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


def tokens(app: LiveApp) -> dict[str, str]:
    return {
        ADA: KEYS.mint("user_ada", azp=app.url, email=ADA, expires_in=900),
        GRACE: KEYS.mint("user_grace", azp=app.url, email=GRACE, expires_in=900),
        STRANGER: KEYS.mint("user_stranger", azp="https://elsewhere.example", email=STRANGER, expires_in=900),
    }


@pytest.fixture
def context(chromium: Any, clerk_app: LiveApp) -> Iterator[Any]:
    context = chromium.new_context()
    script = clerk_js.script(tokens(clerk_app))
    app_host = urlparse(clerk_app.url).netloc

    def answer(route: Any) -> None:
        url = urlparse(route.request.url)
        if url.netloc == CLERK_HOST and url.path.endswith("/clerk.browser.js"):
            route.fulfill(status=200, content_type="application/javascript", body=script)
        elif url.netloc == app_host:
            route.continue_()
        else:
            route.abort()  # nothing leaves the machine

    context.route("**/*", answer)
    try:
        yield context
    finally:
        context.close()


def sign_in(context: Any, app: LiveApp, email: str) -> Any:
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(app.url + "/login")
    page.wait_for_selector("#hydrated", state="attached")
    page.fill("#standin-clerk-email", email)
    page.click("#standin-clerk-continue")
    return page


def at_home(url: str) -> bool:
    return urlparse(url).path == "/"  # not "/books/", which also ends in a slash


def me(context: Any, app: LiveApp) -> Any:
    """/api/me with the browser's cookies: what the REST API thinks of this browser."""
    return context.request.get(app.url + "/api/me")


def test_signing_in_with_clerk_opens_a_bookbug_session_that_survives_a_reload(context: Any,
                                                                              clerk_app: LiveApp) -> None:
    page = sign_in(context, clerk_app, ADA)
    page.wait_for_url(re.compile(r".*/books/?$"))
    page.wait_for_selector("#viewer-email")
    assert page.inner_text("#viewer-email") == ADA
    answer = me(context, clerk_app)
    assert answer.status == 200 and answer.json()["email"] == ADA  # the cookie works for REST too
    session = next(c for c in context.cookies() if c["name"] == "bookbug_session")
    assert session["value"].startswith("bbs_")  # a Bookbug session, not Clerk's minute-long token

    page.reload()
    page.wait_for_selector("#viewer-email")
    assert urlparse(page.url).path.rstrip("/") == "/books" and page.inner_text("#viewer-email") == ADA

    page.click("#sign-out")
    page.wait_for_url(at_home)
    assert page.evaluate("window.localStorage.getItem('standin-clerk-client')") is None  # Clerk signed out too
    assert me(context, clerk_app).status == 401
    page.goto(clerk_app.url + "/books")
    page.wait_for_url(re.compile(r".*/login\?next=%2Fbooks$"))
    page.wait_for_selector("#standin-clerk-email")  # Clerk's form again, not a signed-in page


def test_signing_out_at_clerk_ends_the_bookbug_session(context: Any, clerk_app: LiveApp) -> None:
    page = sign_in(context, clerk_app, GRACE)
    page.wait_for_url(re.compile(r".*/books/?$"))
    page.wait_for_selector("#viewer-email")
    # as when the user signs out in another tab, or the session is revoked at Clerk
    page.evaluate("window.Clerk.signOut()")
    page.wait_for_url(at_home)
    assert me(context, clerk_app).status == 401


def test_a_token_this_server_cannot_verify_signs_no_one_in(context: Any, clerk_app: LiveApp) -> None:
    page = sign_in(context, clerk_app, STRANGER)
    page.wait_for_selector("#form-error")
    assert NOT_VERIFIED in page.inner_text("#form-error")
    assert urlparse(page.url).path.rstrip("/") == "/login"
    assert me(context, clerk_app).status == 401
    page.click("#clerk-sign-out")  # the way out the message offers
    page.wait_for_selector("#standin-clerk-email")


def test_the_password_forms_are_not_offered_beside_clerk(context: Any, clerk_app: LiveApp) -> None:
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(clerk_app.url + "/register")
    page.wait_for_selector("#standin-clerk-email")
    assert page.locator("#password").count() == 0
    assert "Create your account" in page.inner_text("#clerk-widget")
