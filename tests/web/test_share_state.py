"""The reader's share panel: the owner makes a link (shown once), sees it listed and revokes it;
nobody else can make or revoke links of the book."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlmodel import select

from bookbug.api.app import build_api
from bookbug.db import BookShare, session_scope
from bookbug.settings import get_settings
from bookbug.state.sharing import ShareState
from tests.support.api import finished_book
from tests.web.conftest import Viewer, build_state, call


async def public_get(path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_api()), base_url="http://bookbug.test") as http:
        return await http.get(path)


async def test_the_owner_makes_a_link_sees_it_listed_and_revokes_it(make_viewer: Callable[[str], Viewer]) -> None:
    owner = make_viewer("owner")
    book_id = finished_book(owner)  # type: ignore[arg-type]  # only its user_id is read
    state = build_state(ShareState, token=owner.token, path=f"/books/{book_id}")

    await call(state, "toggle_share")
    assert state.share_open and state.shares == []
    await call(state, "set_share_expiry", "7 days")
    await call(state, "make_link")

    base = get_settings().app_url.rstrip("/")
    assert state.new_link.startswith(f"{base}/shared/bbl_"), state.new_link
    assert len(state.shares) == 1 and state.shares[0].expires != "never"
    path = state.new_link[len(base):]
    assert (await public_get(path)).status_code == 200

    await call(state, "revoke_link", state.shares[0].id)
    assert state.shares == [] and state.new_link == "" and "revoked" in state.share_notice
    assert (await public_get(path)).status_code == 404


async def test_nobody_else_makes_or_revokes_links_of_the_book(make_viewer: Callable[[str], Viewer]) -> None:
    owner, stranger = make_viewer("owner"), make_viewer("stranger")
    book_id = finished_book(owner)  # type: ignore[arg-type]
    owners = build_state(ShareState, token=owner.token, path=f"/books/{book_id}")
    await call(owners, "toggle_share")
    await call(owners, "make_link")
    share_id = owners.shares[0].id

    theirs = build_state(ShareState, token=stranger.token, path=f"/books/{book_id}")
    await call(theirs, "toggle_share")
    assert theirs.shares == [] and "not found" in theirs.share_notice
    await call(theirs, "make_link")
    assert theirs.new_link == "" and "not found" in theirs.share_notice
    await call(theirs, "revoke_link", share_id)
    assert "not found" in theirs.share_notice

    signed_out = build_state(ShareState, token="", path=f"/books/{book_id}")
    await type(signed_out).make_link.fn(signed_out)  # type: ignore[attr-defined]
    with session_scope() as session:
        shares = session.exec(select(BookShare).where(BookShare.book_id == book_id)).all()
    assert [(s.id, s.revoked_at) for s in shares] == [(share_id, None)]
