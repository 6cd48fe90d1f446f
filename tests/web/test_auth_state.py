"""Registration, sign-in and sign-out through the pages' state: clear messages, a real session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from reflex.istate.data import RouterData

from bookbug.services import accounts, sign_in_limits
from bookbug.state.auth import AuthState
from bookbug.state.session import authenticate
from tests.web.conftest import PASSWORD, Viewer, build_state, call, redirect_target, visit


async def test_registering_signs_in_and_stores_the_session_in_the_cookie(web_db: str) -> None:
    state = build_state(AuthState, path="/register")
    result = await call(state, "register", {"email": "Mia.Parent@Example.com", "password": PASSWORD,
                                            "confirm": PASSWORD})
    assert redirect_target(result) == "/books"
    assert state.form_error == ""
    assert state.viewer_email == "mia.parent@example.com"
    user = authenticate(state.session_token)
    assert user is not None and user.email == "mia.parent@example.com"


async def test_a_taken_email_is_named_as_the_problem(make_viewer: Callable[[str], Viewer]) -> None:
    taken = make_viewer("taken")
    state = build_state(AuthState, path="/register")
    result = await call(state, "register", {"email": taken.email, "password": PASSWORD, "confirm": PASSWORD})
    assert result is None
    assert state.form_error == accounts.EmailTaken.message
    assert state.error_field == "email"
    assert state.session_token == ""


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
    assert redirect_target(result) == "/books"  # the e-mail was not taken by the refused attempt


async def test_a_wrong_password_gets_one_message_and_no_session(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login")
    assert await call(state, "sign_in", {"email": viewer.email, "password": "not the password"}) is None
    assert state.form_error == accounts.WrongCredentials.message
    assert state.session_token == "" and not state.signed_in


async def test_too_many_wrong_passwords_show_when_to_try_again(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login")
    for _ in range(sign_in_limits.PER_EMAIL.attempts):
        await call(state, "sign_in", {"email": viewer.email, "password": "not the password"})
    assert await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD}) is None
    assert state.form_error == "Too many sign-in attempts for this e-mail address. Please try again in 15 minutes."
    assert state.session_token == "" and not state.signed_in


async def test_signing_out_revokes_the_session(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, token=viewer.token, path="/books")
    await call(state, "load_viewer")
    assert state.signed_in and state.viewer_email == viewer.email
    assert redirect_target(await call(state, "sign_out")) == "/"
    assert state.session_token == "" and not state.signed_in
    assert authenticate(viewer.token) is None  # the old cookie no longer works anywhere


async def test_a_changed_cookie_is_resolved_again_not_trusted(make_viewer: Callable[[str], Viewer]) -> None:
    mia, leo = make_viewer("mia"), make_viewer("leo")
    state = build_state(AuthState, token=mia.token)
    assert await state._current_user_id() == mia.user_id
    state.session_token = leo.token
    assert await state._current_user_id() == leo.user_id
    state.session_token = "bbs_forged"
    assert await state._current_user_id() == "" and not state.signed_in


async def test_the_first_user_is_an_operator_and_later_ones_are_not(web_db: str) -> None:
    first, second = build_state(AuthState), build_state(AuthState)
    await call(first, "register", {"email": "first@example.com", "password": PASSWORD, "confirm": PASSWORD})
    await call(second, "register", {"email": "second@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert first.viewer_is_operator and not second.viewer_is_operator


async def test_guesses_from_one_address_are_limited_across_e_mails(web_db: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from bookbug.services import sign_in_limits

    monkeypatch.setattr(sign_in_limits, "PER_CLIENT", sign_in_limits.Limit(3, timedelta(minutes=15)))
    state = build_state(AuthState, path="/login")
    state.router = RouterData.from_router_data({"pathname": "/login", "asPath": "/login", "ip": "203.0.113.9"})
    for n in range(3):
        await call(state, "sign_in", {"email": f"guess{n}@example.com", "password": "wrong password"})
        assert state.form_error == accounts.WrongCredentials.message
    await call(state, "sign_in", {"email": "another@example.com", "password": "wrong password"})
    assert "from your network" in state.form_error and not state.signed_in


async def test_signing_in_returns_to_the_page_that_asked_for_it(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login?next=%2Fbooks%2Fabc%3Fpage%3D3")
    result = await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD})
    assert redirect_target(result) == "/books/abc?page=3"


@pytest.mark.parametrize("wanted", ["https://evil.example/", "//evil.example/books", "/\\evil.example",
                                    "/login", "/register?next=/books", "books", "/books\r\nSet-Cookie: x"])
async def test_a_return_address_off_this_site_or_back_to_sign_in_is_ignored(
        make_viewer: Callable[[str], Viewer], wanted: str) -> None:
    viewer = make_viewer("mia")
    state = build_state(AuthState, path="/login?" + urlencode({"next": wanted}))
    result = await call(state, "sign_in", {"email": viewer.email, "password": PASSWORD})
    assert redirect_target(result) == "/books"


async def test_the_return_address_is_carried_between_sign_in_and_registration(web_db: str) -> None:
    state = build_state(AuthState, path="/login?next=%2Fbooks%2Fabc")
    assert state.next_query == "?next=%2Fbooks%2Fabc"
    visit(state, "/register?next=%2F%2Fevil.example")
    assert state.next_query == ""
    visit(state, "/register?next=%2Fcreate")
    result = await call(state, "register", {"email": "new@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert redirect_target(result) == "/create"
