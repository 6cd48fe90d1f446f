"""Whether a viewer's tab is still connected, so its background task can end soon after it closes.

Reflex 0.10.1 cancels, on disconnect, only the chain of the tab's last page load (so a task
started by a page's on_load already dies with its tab); a task started by a click (sending a
message, "Older" in the gallery, retrying a book) lives on. Reflex does keep, per app worker,
the client tokens that have a live socket (the event namespace's token manager: a dict in
memory, backed by Redis when several workers share state), and Reflex's own shared-state code
asks it `is_token_connected` before updating a tab. Asking it costs a dict lookup while the tab
is connected, and at most one Redis read a check after it left: no database is touched.

A reload drops the socket for a moment and reconnects with the same token, so a tab counts as
gone only after it has been missing for `GRACE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

CHECK_SECONDS = 1.0  # how often a task looks
GRACE_SECONDS = 3.0  # missing this long (not a reload): the tab is gone


def _event_namespace() -> Any | None:
    """The running app's socket namespace; None for states built outside a served app (tests)."""
    try:
        from reflex_base.registry import RegistrationContext

        return RegistrationContext.get().app.event_namespace
    except Exception:  # no context or no app registered in it: nobody to ask
        return None


async def connected(tab: str) -> bool | None:
    """Whether the tab with client token `tab` has a socket; None when this cannot be told."""
    namespace = _event_namespace() if tab else None
    if namespace is None:
        return None
    try:
        manager = getattr(namespace, "_token_manager", None)
        if manager is not None:
            return bool(await manager.is_token_connected(tab))
        return tab in namespace.token_to_sid  # the public, slower view of the same map
    except Exception:  # a failed look is not a closed tab
        log.warning("could not tell whether tab %s is connected", tab, exc_info=True)
        return None


async def gone(tab: str) -> None:
    """Return once the tab has had no socket for GRACE_SECONDS; never, when that cannot be told
    (no client token, or no socket server in this process): the task's other ends still apply."""
    if not tab or _event_namespace() is None:
        await asyncio.Event().wait()
    loop = asyncio.get_running_loop()
    missing_since: float | None = None
    while True:
        await asyncio.sleep(CHECK_SECONDS)
        if await connected(tab) is not False:
            missing_since = None
            continue
        missing_since = loop.time() if missing_since is None else missing_since
        if loop.time() - missing_since >= GRACE_SECONDS:
            return
