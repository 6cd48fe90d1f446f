"""The gallery (newest first, paginated, empty state) and the account page (tokens, sessions)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bookbug.db import Book, session_scope
from bookbug.db.session import utcnow
from bookbug.providers.auth.api_tokens import user_for_api_token
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.services.accounts.errors import TokenNotFound
from bookbug.services.accounts.sign_in import sign_in
from bookbug.state import gallery
from bookbug.state.account import AccountState
from bookbug.state.gallery import GalleryState
from tests.web.conftest import Viewer, authenticate, build_state, call, posted_form, redirect_target, script_of


def add_books(user_id: str, titles: list[str], status: str = "complete") -> None:
    """Rows only: the gallery reads what is stored, whatever made it."""
    from datetime import timedelta

    now = utcnow()
    with session_scope() as session:
        for age, title in enumerate(reversed(titles)):
            session.add(Book(user_id=user_id, title=title, status=status, created_at=now - timedelta(minutes=age)))


async def test_the_gallery_shows_only_my_books_newest_first_a_page_at_a_time(
        web_db: str, make_viewer: Callable[[str], Viewer], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gallery, "PER_PAGE", 2)
    mia, leo = make_viewer("mia"), make_viewer("leo")
    add_books(mia.user_id, ["First", "Second", "Third"])
    add_books(leo.user_id, ["Leo's book"])
    state = build_state(GalleryState, token=mia.token, path="/books")
    assert await call(state, "load_gallery") is None  # nothing in flight: nothing to watch
    assert [c.title for c in state.cards] == ["Third", "Second"]
    assert state.page_caption == "Page 1 of 2" and state.has_next and not state.has_previous
    await call(state, "next_page")
    assert [c.title for c in state.cards] == ["First"] and not state.has_next
    assert state.cards[0].href == f"/books/{state.cards[0].id}"


async def test_an_empty_gallery_says_so(web_db: str, make_viewer: Callable[[str], Viewer]) -> None:
    state = build_state(GalleryState, token=make_viewer("mia").token, path="/books")
    await call(state, "load_gallery")
    assert state.empty and state.cards == []


async def test_books_in_flight_start_one_live_watcher(web_db: str, make_viewer: Callable[[str], Viewer]) -> None:
    mia = make_viewer("mia")
    add_books(mia.user_id, ["Being made"], status="generating")
    state = build_state(GalleryState, token=mia.token, path="/books")
    assert await call(state, "load_gallery") == GalleryState.watch_gallery
    assert state.cards[0].status == "generating"
    state._apply_event(state.cards[0].id, {"percent": 42.4, "stage": "pages"})
    assert state.cards[0].percent == 42 and state.cards[0].stage == "pages"


async def test_a_book_still_in_conversation_links_to_its_chat(web_db: str, make_viewer: Callable[[str], Viewer]) -> None:
    mia = make_viewer("mia")
    add_books(mia.user_id, ["Talking"], status="intake")
    state = build_state(GalleryState, token=mia.token, path="/books")
    await call(state, "load_gallery")
    assert state.cards[0].href == f"/create/{state.cards[0].id}"


async def test_the_gallery_needs_a_signed_in_viewer(web_db: str) -> None:
    state = build_state(GalleryState, path="/books")
    assert redirect_target(await call(state, "load_gallery")) == "/login?next=%2Fbooks"


async def test_a_new_api_token_is_shown_once_and_can_be_revoked(
        web_db: str, make_viewer: Callable[[str], Viewer]) -> None:
    mia = make_viewer("mia")
    state = build_state(AccountState, token=mia.token, path="/account")
    await call(state, "load_account")
    assert await call(state, "create_token", {"name": "  "}) is None
    assert state.notice == "Give the token a name so you can recognise it later." and state.new_token_name == ""
    shown = script_of(await call(state, "create_token", {"name": "laptop"}))
    plaintext = re.search(r'"(bb_[^"]+)"', shown).group(1)  # written into the page, once
    assert 'getElementById("new-token")' in shown
    assert user_for_api_token(plaintext).id == mia.user_id
    assert state.new_token_name == "laptop" and [t.name for t in state.tokens] == ["laptop"]
    assert plaintext not in repr(state.dict())  # never in state: it is synced and stored
    await call(state, "load_account")  # coming back: the notice is gone for good
    assert state.new_token_name == ""
    await call(state, "revoke_token", state.tokens[0].id)
    assert state.tokens == [] and user_for_api_token(plaintext) is None


async def test_someone_elses_token_cannot_be_revoked(web_db: str, make_viewer: Callable[[str], Viewer]) -> None:
    mia, leo = make_viewer("mia"), make_viewer("leo")
    theirs = create_api_token(leo.user_id, "leo's")
    state = build_state(AccountState, token=mia.token, path="/account")
    await call(state, "revoke_token", theirs.id)
    assert state.notice == TokenNotFound.message
    assert user_for_api_token(theirs.token) is not None


async def test_signing_out_everywhere_ends_every_session(web_db: str, make_viewer: Callable[[str], Viewer]) -> None:
    mia = make_viewer("mia")
    other_device = sign_in(mia.email, "correct horse battery").token
    state = build_state(AccountState, token=mia.token, path="/account")
    await call(state, "load_account")
    assert len(state.sessions) == 2
    result = await call(state, "sign_out_everywhere")
    assert posted_form(result) == ("/api/auth/sign-out", {"next": "/login"})  # clears this browser's cookie
    assert authenticate(mia.token) is None and authenticate(other_device) is None
    assert not state.signed_in and state.sessions == []
