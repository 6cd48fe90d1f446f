"""Signing in with Clerk through the pages' state: Clerk's token verified, a Bookbug session opened."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlmodel import select

from bookbug.db.accounts import User, UserSession
from bookbug.db.session import session_scope
from bookbug.settings import reset_settings
from bookbug.state.auth import CLERK_HANDLES_ACCOUNTS, AuthState
from bookbug.state.clerk_auth import NOT_VERIFIED, ClerkAuthState
from bookbug.state.session import authenticate
from tests.standins.clerk import SECRET_KEY, ClerkApiStandIn, ClerkKeys
from tests.web.conftest import PASSWORD, Viewer, build_state, call, redirect_target

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


async def test_a_verified_clerk_token_opens_a_bookbug_session_and_leaves_the_sign_in_page(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/login")
    result = await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com"))
    assert redirect_target(result) == "/books"
    assert state.session_token.startswith("bbs_") and state.viewer_email == "ada@example.com"
    user = authenticate(state.session_token)
    assert user is not None and user.clerk_id == "user_ada"  # Clerk's user mapped to ours, cookie works


async def test_the_same_clerk_user_reported_again_keeps_the_session_it_has(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    assert await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com")) is None
    first = state.session_token
    # every page load re-presents a fresh token
    assert await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com")) is None
    assert state.session_token == first
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
    assert state.session_token == "" and not state.signed_in
    assert users(clerk_on) == [] and open_sessions(clerk_on) == []


async def test_clerk_reporting_no_session_ends_the_bookbug_one(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com"))
    token = state.session_token
    assert redirect_target(await call(state, "clerk_session", "")) == "/"
    assert state.session_token == "" and not state.signed_in
    assert authenticate(token) is None  # revoked, not just forgotten by this tab


async def test_no_session_on_either_side_changes_nothing(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/")
    assert await call(state, "clerk_session", "") is None
    assert await call(state, "clerk_session", None) is None  # a malformed report is "no session"
    assert open_sessions(clerk_on) == []


async def test_another_clerk_user_in_the_same_browser_replaces_the_session(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/books")
    await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com"))
    ada_token = state.session_token
    await call(state, "clerk_session", KEYS.mint("user_leo", azp=APP, email="leo@example.com"))
    assert state.viewer_email == "leo@example.com"
    assert authenticate(ada_token) is None
    assert [s.user_id for s in open_sessions(clerk_on)] == [authenticate(state.session_token).id]


async def test_a_token_without_an_email_claim_takes_it_from_clerks_api(clerk_on: str,
                                                                       clerk_api: ClerkApiStandIn) -> None:
    clerk_api.add_user("user_mia", email="mia@example.com", first_name="Mia")
    state = build_state(ClerkAuthState, path="/books")
    await call(state, "clerk_session", KEYS.mint("user_mia", azp=APP))
    assert state.viewer_email == "mia@example.com" and clerk_api.requests == ["user_mia"]


async def test_with_local_accounts_clerk_reports_are_ignored(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(ClerkAuthState, token=viewer.token, path="/books")
    assert await call(state, "clerk_session", "") is None
    assert await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com")) is None
    assert state.session_token == viewer.token and authenticate(viewer.token) is not None


async def test_password_forms_are_refused_beside_clerk(clerk_on: str) -> None:
    state = build_state(AuthState, path="/register")
    assert await call(state, "register", {"email": "a@example.com", "password": PASSWORD, "confirm": PASSWORD}) is None
    assert state.form_error == CLERK_HANDLES_ACCOUNTS and users(clerk_on) == []
    assert await call(state, "sign_in", {"email": "a@example.com", "password": PASSWORD}) is None
    assert state.form_error == CLERK_HANDLES_ACCOUNTS and not state.signed_in


async def test_signing_out_beside_clerk_ends_both_sessions(clerk_on: str) -> None:
    state = build_state(AuthState, path="/books")
    clerk = await state.get_state(ClerkAuthState)
    await call(clerk, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com"))
    token = state.session_token
    result = await call(state, "sign_out")
    assert "bookbugClerkSignOut" in str(result)  # the page then signs out of Clerk and goes home
    assert authenticate(token) is None and state.session_token == ""


async def test_a_clerk_sign_in_returns_to_the_page_that_asked_for_it(clerk_on: str) -> None:
    state = build_state(ClerkAuthState, path="/login?next=%2Fcreate")
    result = await call(state, "clerk_session", KEYS.mint("user_ada", azp=APP, email="ada@example.com"))
    assert redirect_target(result) == "/create"
