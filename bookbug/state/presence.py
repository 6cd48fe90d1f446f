"""Whether a viewer's tab is still there, so a page's background task ends soon after it closes.

Reflex 0.10.1 cancels, on disconnect, only the chain of the tab's last page load; a task started
by a click (sending a message, "Older" in the gallery, retrying a book) lives on, and Reflex has
no public "this tab closed" signal: a background task's `async with self` works the same for a
closed tab, whose updates simply go nowhere. So the task asks the tab itself. Every
CHECK_SECONDS it sends the tab a one-line script (`ask`: rx.call_script with a callback, public
Reflex); the tab's answer comes back as `PresenceState.answer`, which renews the tab's lease.
A tab that has not answered for LEASE_SECONDS is gone. The server asks (no timer in the page),
so a hidden tab, whose timers the browser slows down, still answers at once.

A reload drops the socket for a moment and comes back with the same client token, well inside
the lease. Leases live in this process: a tab's events (its answers too) reach the app worker
that holds its socket, which is where the events that started its tasks were handled.
"""

from __future__ import annotations

import time
from typing import Any

import reflex as rx
from reflex.event import EventSpec

CHECK_SECONDS = 2.0  # how often a task asks its tab
LEASE_SECONDS = 8.0  # no answer this long (a reload answers sooner): the tab is gone
_FORGET_SECONDS = 600.0  # leases nobody renewed for this long are dropped

_answered: dict[str, float] = {}  # client token -> when it last answered (or its task began)


def _now() -> float:
    return time.monotonic()


def hold(tab: str) -> None:
    """Begin the tab's lease as its task starts (a tab that never answers is gone after the lease)."""
    if not tab:
        return
    now = _now()
    for other, seen in list(_answered.items()):  # the leases of tabs long gone
        if now - seen > _FORGET_SECONDS:
            _answered.pop(other, None)
    _answered[tab] = now


def renew(tab: str) -> None:
    if tab:
        _answered[tab] = _now()


def expired(tab: str) -> bool:
    """Whether the tab has not answered for LEASE_SECONDS; never for "" (no tab: nobody to ask)."""
    seen = _answered.get(tab) if tab else None
    return seen is not None and _now() - seen > LEASE_SECONDS


class PresenceState(rx.State):
    """The tab's answers: any state of the tab's tree can ask, the answer lands here."""

    @rx.event
    def answer(self, _reply: Any = None) -> None:
        renew(self.router.session.client_token)


def ask() -> EventSpec:
    """What a task yields to ask its tab whether it is still there."""
    return rx.call_script("1", callback=PresenceState.answer)
