"""Registration, sign-in and sign-out through the pages' state: clear messages, a real session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from reflex.istate.data import RouterData

from bookbug.services import sign_in_limits
from bookbug.providers.auth.roles import OPERATOR, USER
from bookbug.services.accounts.errors import WrongCredentials
from bookbug.services.accounts.sign_in import authenticate_password
from bookbug.services.web_session import safe_next
from bookbug.settings import reset_settings
from bookbug.state.auth import REGISTERED, AuthState
from tests.web.conftest import (PASSWORD, Viewer, authenticate, build_state, call, connect, cookie_set_by,
                                posted_form, redirect_target, submit, visit)


async def test_registering_sends_the_visitor_to_sign_in_without_a_session(web_db: str) -> None:
    state = build_state(AuthState, path="/register")
    result = await call(state, "register", {"email": "Mia.Parent@Example.com", "password": PASSWORD,
                                            "confirm": PASSWORD})
    assert redirect_target(result) == "/login?registered=1"
    assert state.form_error == "" and not state.signed_in
    assert authenticate_password("mia.parent@example.com", PASSWORD).email == "mia.parent@example.com"
    visit(state, redirect_target(result))
    assert state.registered_notice == REGISTERED


async def test_registering_a_taken_email_answers_exactly_like_a_new_one(make_viewer: Callable[[str], Viewer]) -> None:
    taken = make_viewer("taken")
    answers = []
    for email in (taken.email, "brand-new@example.com"):
        state = build_state(AuthState, path="/register")
        result = await call(state, "register", {"email": email, "password": "another long passphrase",
                                                "confirm": "another long passphrase"})
        answers.append((redirect_target(result), state.form_error, state.error_field, state.signed_in))
    assert answers[0] == answers[1] == ("/login?registered=1", "", "", False)
    # the existing account was not touched: its own password still signs in, the other does not
    assert authenticate_password(taken.email, PASSWORD).id == taken.user_id
    with pytest.raises(WrongCredentials):
        authenticate_password(taken.email, "another long passphrase")


async def test_one_address_can_register_only_so_many_accounts_an_hour(web_db: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRATIONS_PER_ADDRESS", "2")
    reset_settings()
    state = build_state(AuthState, path="/register")
    state.router = RouterData.from_router_data({"pathname": "/register", "asPath": "/register", "ip": "203.0.113.9"})
    for n in range(2):
        result = await call(state, "register", {"email": f"new{n}@example.com", "password": PASSWORD,
                                                "confirm": PASSWORD})
        assert redirect_target(result) == "/login?registered=1"
    assert await call(state, "register", {"email": "new2@example.com", "password": PASSWORD,
                                          "confirm": PASSWORD}) is None
    assert state.form_error.startswith("Too many accounts were created from your network in the last hour.")
    with pytest.raises(WrongCredentials):
        authenticate_password("new2@example.com", PASSWORD)  # nothing was made, nothing hashed


async def test_a_weak_password_is_refused_with_the_rule_it_broke(web_db: str) -> None:
    state = build_state(AuthState, path="/register")
    await call(state, "register", {"email": "a@example.com", "password": "short", "confirm": "short"})
    assert "at least" in state.form_error and state.error_field == "password"
    assert not state.signed_in


async def test_mismatched_passwords_are_caught_before_anything_is_stored(web_db: str) -> None:
    state = build_state(AuthState, path="/register")
    await call(state, "register", {"email": "b@example.com", "password": PASSWORD, "confirm": PASSWORD + "x"})
    assert state.form_error == "The two passwords do not match."
    result = await call(state, "register", {"email": "b@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert redirect_target(result) == "/login?registered=1"
    assert authenticate_password("b@example.com", PASSWORD)  # the refused attempt stored nothing


async def test_signing_in_hands_the_browser_a_ticket_for_an_http_only_cookie(
        make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login")
    result = await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD})
    action, fields = posted_form(result)
    assert action == "/api/auth/session" and fields["next"] == "/books" and fields["ticket"].startswith("bbt_")
    answer = await submit(result)
    assert answer.status_code == 303 and answer.headers["location"] == "/books"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("bookbug_session="))
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
    token = cookie_set_by(answer)
    assert authenticate(token).id == viewer.user_id
    # nothing secret stays behind in the tab's state (synced to the page, kept by the state manager)
    assert token not in repr(state.dict()) and fields["ticket"] not in repr(state.dict())
    # the ticket is spent: posting it again opens nothing
    again = await submit(result)
    assert again.headers["location"].startswith("/login") and cookie_set_by(again) == ""


async def test_the_cookie_is_secure_when_the_app_is_served_over_https(
        make_viewer: Callable[[str], Viewer], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_URL", "https://bookbug.example")
    reset_settings()
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login")
    answer = await submit(await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD}))
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("bookbug_session="))
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()


async def test_a_wrong_password_gets_one_message_and_no_session(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login")
    assert await call(state, "sign_in", {"email": viewer.email, "password": "not the password"}) is None
    assert state.form_error == WrongCredentials.message
    assert not state.signed_in


async def test_too_many_wrong_passwords_show_when_to_try_again(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login")
    for _ in range(sign_in_limits.PER_PAIR.free):
        await call(state, "sign_in", {"email": viewer.email, "password": "not the password"})
    assert await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD}) is None
    assert state.form_error == "Too many sign-in attempts for this e-mail address. Please try again in 5 seconds."
    assert not state.signed_in


async def test_signing_out_revokes_the_session_and_clears_the_cookie(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, token=viewer.token, path="/books")
    await call(state, "load_viewer")
    assert state.signed_in and state.viewer_email == viewer.email
    result = await call(state, "sign_out")
    assert posted_form(result) == ("/api/auth/sign-out", {"next": "/"})
    assert not state.signed_in
    assert authenticate(viewer.token) is None  # the old cookie no longer works anywhere
    answer = await submit(result, cookie=viewer.token)
    cleared = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("bookbug_session="))
    assert answer.headers["location"] == "/" and ("max-age=0" in cleared.lower() or "expires=" in cleared.lower())


async def test_a_changed_cookie_is_resolved_again_not_trusted(make_viewer: Callable[[str], Viewer]) -> None:
    mia, leo = make_viewer("mia"), make_viewer("leo")
    state = build_state(AuthState, token=mia.token)
    assert await state._current_user_id() == mia.user_id
    connect(state, leo.token)
    assert await state._current_user_id() == leo.user_id
    connect(state, "bbs_forged")
    assert await state._current_user_id() == "" and not state.signed_in


async def test_the_first_user_is_an_operator_and_later_ones_are_not(web_db: str) -> None:
    first, second = build_state(AuthState), build_state(AuthState)
    await call(first, "register", {"email": "first@example.com", "password": PASSWORD, "confirm": PASSWORD})
    await call(second, "register", {"email": "second@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert authenticate_password("first@example.com", PASSWORD).role == OPERATOR
    assert authenticate_password("second@example.com", PASSWORD).role == USER


async def test_guesses_from_one_address_are_limited_across_e_mails(web_db: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from bookbug.services import sign_in_limits

    monkeypatch.setattr(sign_in_limits, "PER_CLIENT", sign_in_limits.Limit(3, timedelta(minutes=15)))
    state = build_state(AuthState, path="/login")
    state.router = RouterData.from_router_data({"pathname": "/login", "asPath": "/login", "ip": "203.0.113.9"})
    for n in range(3):
        await call(state, "sign_in", {"email": f"guess{n}@example.com", "password": "wrong password"})
        assert state.form_error == WrongCredentials.message
    await call(state, "sign_in", {"email": "another@example.com", "password": "wrong password"})
    assert "from your network" in state.form_error and not state.signed_in


async def test_signing_in_returns_to_the_page_that_asked_for_it(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login?next=%2Fbooks%2Fabc%3Fpage%3D3")
    result = await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD})
    assert posted_form(result)[1]["next"] == "/books/abc?page=3"
    assert (await submit(result)).headers["location"] == "/books/abc?page=3"


@pytest.mark.parametrize("wanted", ["https://evil.example/", "//evil.example/books", "/\\evil.example",
                                    "/login", "/register?next=/books", "books", "/books\r\nSet-Cookie: x"])
async def test_a_return_address_off_this_site_or_back_to_sign_in_is_ignored(
        make_viewer: Callable[[str], Viewer], wanted: str) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login?" + urlencode({"next": wanted}))
    result = await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD})
    assert posted_form(result)[1]["next"] == "/books"
    tampered = posted_form(result)[1] | {"next": wanted}  # the route checks it again, whatever is posted
    assert safe_next(tampered["next"], "/books") == "/books"


async def test_the_return_address_is_carried_between_sign_in_and_registration(web_db: str) -> None:
    state = build_state(AuthState, path="/login?next=%2Fbooks%2Fabc")
    assert state.next_query == "?next=%2Fbooks%2Fabc"
    visit(state, "/register?next=%2F%2Fevil.example")
    assert state.next_query == ""
    visit(state, "/register?next=%2Fcreate")
    result = await call(state, "register", {"email": "new@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert redirect_target(result) == "/login?registered=1&next=%2Fcreate"
