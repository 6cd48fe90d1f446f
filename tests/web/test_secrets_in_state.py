"""No session token, sign-in ticket or API token ever sits in a tab's state: not in what is
synced to the browser, and not in what the state manager stores (Redis in production keeps
every state of the tree pickled, backend-only fields and the socket's headers included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bookbug.state.account import AccountState
from bookbug.state.auth import AuthState
from tests.web.conftest import PASSWORD, Viewer, build_state, call, posted_form, script_of, sign_in_through


def stored_tree(tab: Any) -> bytes:
    """What the state manager would store for this tab: every state of its tree, serialized."""
    root = tab
    while root.parent_state is not None:
        root = root.parent_state
    blobs, pending = [], [root]
    while pending:
        state = pending.pop()
        blobs.append(state._serialize())
        pending.extend(state.substates.values())
    return b"".join(blobs)


async def test_no_secret_reaches_the_synced_state_or_the_state_manager(make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    tab = build_state(AuthState, path="/login")
    handover = await call(tab, "sign_in", {"email": viewer.email, "password": PASSWORD})
    ticket = posted_form(handover)[1]["ticket"]
    token = await sign_in_through(tab, handover)  # the tab's socket now carries the new cookie
    account = await tab.get_state(AccountState)
    await call(account, "load_account")
    shown = script_of(await call(account, "create_token", {"name": "laptop"}))
    api_token = shown.split('"bb_', 1)[1].split('"', 1)[0]

    stored = stored_tree(tab)
    synced = repr(tab.parent_state.dict())
    for secret in (token, ticket, "bb_" + api_token, viewer.token):
        assert secret.encode() not in stored and secret not in synced
    assert account.signed_in and account.tokens  # the tab did all that, signed in
