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
the lease. Answers are kept in Redis on Redis's clock (services/tab_answers.py), so a task on one
app process sees the answers another process handled after the tab reconnected there. A task
judges a question, not a clock: it ends only when a question it asked has gone unanswered for
LEASE_SECONDS, so a task that was itself held up (a slow query, a busy lock) is not taken for a
closed tab.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from bookbug.services import tab_answers

CHECK_SECONDS = 2.0  # how often a task asks its tab
# a question unanswered this long: the tab is gone (a reload answers sooner; a phone that
# switched apps for a moment, sooner than this too)
LEASE_SECONDS = 20.0


class Watch:
    """One task's questions to its tab: gone once a question has waited LEASE_SECONDS unanswered."""

    def __init__(self, tab: str) -> None:
        self.tab = tab
        self._asked: int | None = None  # when the oldest unanswered question went out (Redis ms)

    async def gone(self) -> bool:
        """Never for "" (no tab: nobody to ask)."""
        if not self.tab or self._asked is None:
            return False
        last = await tab_answers.last_answer(self.tab)
        if last is not None and last >= self._asked:
            self._asked = None  # answered since it was asked
            return False
        return await tab_answers.now_ms() - self._asked > LEASE_SECONDS * 1000

    async def asking(self) -> None:
        """A question goes out now (the oldest unanswered one is the one that counts)."""
        if self.tab and self._asked is None:
            self._asked = await tab_answers.now_ms()


class PresenceState(rx.State):
    """The tab's answers: any state of the tab's tree can ask, the answer lands here."""

    @rx.event
    async def answer(self, _reply: Any = None) -> None:
        tab = self.router.session.client_token
        if tab:
            await tab_answers.answered(tab)


def ask() -> EventSpec:
    """What a task yields to ask its tab whether it is still there."""
    return rx.call_script("1", callback=PresenceState.answer)
