"""Signing in with Clerk through the pages' state: Clerk's token verified, a Bookbug session collected
as an HttpOnly cookie."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlmodel import select

from bookbug.db.accounts import User, UserSession
from bookbug.db.session import session_scope
from bookbug.settings import reset_settings
from bookbug.state.auth import CLERK_HANDLES_ACCOUNTS, AuthState
from bookbug.state.clerk_auth import NOT_KEPT, NOT_VERIFIED, ClerkAuthState
from tests.standins.clerk import SECRET_KEY, ClerkApiStandIn, ClerkKeys
from tests.web.conftest import (PASSWORD, Viewer, authenticate, build_state, call, posted_form, script_of,
                                sign_in_through)

APP = "http://localhost:3000"
KEYS = ClerkKeys()


@pytest.fixture
def clerk_api() -> Iterator[ClerkApiStandIn]:
    with ClerkApiStandIn() as api:
        yield api


@pytest.fixture
def clerk_on(web_db: str, clerk_api: ClerkApiStandIn, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CLERK_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("CLERK_JWT_KEY", KEYS.public_pem)
    monkeypatch.setenv("CLERK_PUBLISHABLE_KEY", "pk_test_Y2xlcmsuYm9va2J1Zy50ZXN0JA")
    monkeypatch.setenv("CLERK_AUTHORIZED_PARTIES", APP)
    monkeypatch.setenv("CLERK_API_URL", clerk_api.api_url)
    reset_settings()
    return web_db


def users(db: str) -> list[User]:
    with session_scope(db) as session:
        return list(session.exec(select(User)).all())


def open_sessions(db: str) -> list[UserSession]:
    with session_scope(db) as session:
        return [row for row in session.exec(select(UserSession)).all() if row.revoked_at is None]


def ada() -> str:
    return KEYS.mint("user_ada", azp=APP, email="ada@example.com")


async def test_a_verified_clerk_token_opens_a_bookbug_session_and_leaves_the_sign_in_page(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/login")
    result = await call(state, "clerk_session", ada())
    assert posted_form(result)[0] == "/api/auth/session" and posted_form(result)[1]["next"] == "/books"
    token = await sign_in_through(state, result)
    user = authenticate(token)
    assert user is not None and user.clerk_id == "user_ada"  # Clerk's user mapped to ours, cookie works
    assert await call(state, "clerk_session", ada()) is None  # on /books now, signed in: nothing more to do
    assert state.viewer_email == "ada@example.com"


async def test_the_same_clerk_user_reported_again_keeps_the_session_it_has(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    await sign_in_through(state, await call(state, "clerk_session", ada()))
    # every page load re-presents a fresh token
    assert await call(state, "clerk_session", ada()) is None
    assert await call(state, "clerk_session", ada()) is None
    assert len(open_sessions(clerk_on)) == 1 and len(users(clerk_on)) == 1


@pytest.mark.parametrize("token", [
    KEYS.mint("user_eve", azp="https://elsewhere.example", email="eve@example.com"),  # minted for another site
    KEYS.mint("user_eve", azp=APP, email="eve@example.com", expires_in=-120),  # expired
    ClerkKeys().mint("user_eve", azp=APP, email="eve@example.com"),  # signed by another key
    "not.a.jwt",
    "bb_" + "x" * 40,  # an API token is not a Clerk token
    "x" * 9000,
])
async def test_a_token_that_does_not_verify_signs_no_one_in_and_says_so(clerk_on: str, token: str) -> None:
    state = build_state(ClerkAuthState, path="/login")
    assert await call(state, "clerk_session", token) is None
    assert state.clerk_error == NOT_VERIFIED
    assert not state.signed_in
    assert users(clerk_on) == [] and open_sessions(clerk_on) == []


async def test_clerk_reporting_no_session_ends_the_bookbug_one(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    token = await sign_in_through(state, await call(state, "clerk_session", ada()))
    result = await call(state, "clerk_session", "")
    assert posted_form(result) == ("/api/auth/sign-out", {"next": "/"})  # which clears the cookie
    assert not state.signed_in
    assert authenticate(token) is None  # revoked, not just forgotten by this tab


async def test_no_session_on_either_side_changes_nothing(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/")
    assert await call(state, "clerk_session", "") is None
    assert await call(state, "clerk_session", None) is None  # a malformed report is "no session"
    assert open_sessions(clerk_on) == []


async def test_another_clerk_user_in_the_same_browser_replaces_the_session(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    ada_token = await sign_in_through(state, await call(state, "clerk_session", ada()))
    state._collected_at = 0.0  # a while later
    result = await call(state, "clerk_session", KEYS.mint("user_leo", azp=APP, email="leo@example.com"))
    assert authenticate(ada_token) is None
    leo_token = await sign_in_through(state, result)
    await call(state, "clerk_session", KEYS.mint("user_leo", azp=APP, email="leo@example.com"))
    assert state.viewer_email == "leo@example.com"
    assert [s.user_id for s in open_sessions(clerk_on)] == [authenticate(leo_token).id]


async def test_a_browser_that_does_not_keep_the_cookie_is_told_so_instead_of_reloading_for_ever(
        clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    assert posted_form(await call(state, "clerk_session", ada()))  # the cookie is never stored
    assert await call(state, "clerk_session", ada()) is None
    assert state.clerk_error == NOT_KEPT


async def test_a_token_without_an_email_claim_takes_it_from_clerks_api(clerk_on: str,
                                                                       clerk_api: ClerkApiStandIn) -> None:
    clerk_api.add_user("user_mia", email="mia@example.com", first_name="Mia")
    state = build_state(ClerkAuthState, path="/books")
    token = await sign_in_through(state, await call(state, "clerk_session", KEYS.mint("user_mia", azp=APP)))
    assert authenticate(token).email == "mia@example.com" and clerk_api.requests == ["user_mia"]


async def test_with_local_accounts_clerk_reports_are_ignored(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(ClerkAuthState, token=viewer.token, path="/books")
    assert await call(state, "clerk_session", "") is None
    assert await call(state, "clerk_session", ada()) is None
    assert authenticate(viewer.token) is not None


async def test_password_forms_are_refused_beside_clerk(clerk_on: str) -> None:
    state = build_state(AuthState, path="/register")
    assert await call(state, "register", {"email": "a@example.com", "password": PASSWORD, "confirm": PASSWORD}) is None
    assert state.form_error == CLERK_HANDLES_ACCOUNTS and users(clerk_on) == []
    assert await call(state, "sign_in", {"email": "a@example.com", "password": PASSWORD}) is None
    assert state.form_error == CLERK_HANDLES_ACCOUNTS and not state.signed_in


async def test_signing_out_beside_clerk_ends_both_sessions(clerk_on: str) -> None:
    state = build_state(AuthState, path="/books")
    clerk = await state.get_state(ClerkAuthState)
    token = await sign_in_through(state, await call(clerk, "clerk_session", ada()))
    result = await call(state, "sign_out")
    script = script_of(result)
    # the page signs out of Clerk, then posts to the route that clears the cookie
    assert script.startswith("window.bookbugClerkSignOut(") and "/api/auth/sign-out" in script
    assert authenticate(token) is None and not state.signed_in


async def test_a_clerk_sign_in_returns_to_the_page_that_asked_for_it(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/login?next=%2Fcreate")
    result = await call(state, "clerk_session", ada())
    assert posted_form(result)[1]["next"] == "/create"
