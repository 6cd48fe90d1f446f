"""The account page's "Your data": Download my data starts an export and follows it until the
zip can be downloaded; Delete my account wants the phrase typed, then signs the tab out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bookbug.db import Book, session_scope
from bookbug.services.accounts.users import get_user
from bookbug.state.account import AccountState
from tests.web.conftest import Viewer, authenticate, build_state, call, posted_form


async def test_download_my_data_starts_an_export_and_shows_it_ready(engine, make_viewer: Callable[[str], Viewer]) -> None:
    mia = make_viewer("mia")
    with session_scope() as session:
        session.add(Book(user_id=mia.user_id, title="Mia's Kite", status="draft"))
    state = build_state(AccountState, token=mia.token, path="/account")
    await call(state, "load_account")
    assert state.exports == []
    follow = await call(state, "start_export")
    assert state.exports and state.exports[0].status in ("preparing", "ready")
    assert follow in (AccountState.check_exports, None)
    for _ in range(200):
        await call(state, "load_account")
        if state.exports[0].status == "ready":
            break
        await asyncio.sleep(0.05)
    row = state.exports[0]
    assert row.status == "ready" and row.download_url == f"/api/account/exports/{row.id}/download" and row.size


async def test_deleting_needs_the_phrase_then_signs_the_tab_out(engine, make_viewer: Callable[[str], Viewer]) -> None:
    mia = make_viewer("mia")
    state = build_state(AccountState, token=mia.token, path="/account")
    await call(state, "load_account")
    assert await call(state, "delete_account", {"confirm": "yes please"}) is None
    assert "delete my account" in state.data_notice and authenticate(mia.token) is not None

    result = await call(state, "delete_account", {"confirm": "Delete my account"})
    assert posted_form(result) == ("/api/auth/sign-out", {"next": "/"})
    assert authenticate(mia.token) is None and not state.signed_in
    for _ in range(200):
        if get_user(mia.user_id) is None:
            break
        await asyncio.sleep(0.05)
    assert get_user(mia.user_id) is None
