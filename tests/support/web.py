"""Page-state helpers that several web test modules share."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bookbug.state.chat import ChatState
from tests.web.conftest import Viewer, build_state, call, redirect_target, visit


async def open_chat(viewer: Viewer) -> ChatState:
    """Start a book from /create, follow the redirect, and wait for Bookbug's first question."""
    state = build_state(ChatState, token=viewer.token, path="/create")
    target = redirect_target(await call(state, "start_book"))
    assert target.startswith("/create/")
    visit(state, target)
    await call(state, "load_conversation")
    await refresh_until(state, lambda: state.last_is_assistant, "the first question")
    return state


async def refresh_until(state: ChatState, check: Callable[[], bool], what: str) -> None:
    """Reload from the database (what the live task does on each chat event) until `check`."""
    async def settled() -> bool:
        await state._reload(state._viewer_id, state.chat_book_id)
        return check()

    deadline = time.monotonic() + 30
    while not await settled():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
