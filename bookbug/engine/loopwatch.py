"""Notices when this process stood still: its event loop held by a long garbage collection, a
starved CPU, a paused or suspended machine.

A sweep that judges liveness right after such a stop would take the process's own work for
dead (its jobs and heartbeats stood still with it) and hand it to a new execution, behind work
that came later. The sweep asks `stood_still` just before it judges, so a stop that happened
during its own database calls counts too, not only one that fell in its sleep.
"""

from __future__ import annotations

import asyncio
import time


def _clock() -> float:
    # CLOCK_BOOTTIME keeps counting while the machine is suspended, and a resumed VM's pause
    # shows on it; the monotonic clock skips both. Linux only, hence the fallback.
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boottime) if boottime is not None else time.monotonic()


class LoopWatch:
    def __init__(self, limit: float) -> None:
        self.limit = limit  # a loop silent longer than this stood still
        self._tick = _clock()
        self._stopped_at = -float("inf")  # when the last stop ended

    def tick(self) -> None:
        now = _clock()
        if now - self._tick > self.limit:
            self._stopped_at = now
        self._tick = now

    async def keep_watch(self) -> None:
        while True:
            self.tick()
            await asyncio.sleep(self.limit / 2)

    def stood_still(self, within: float) -> bool:
        """Whether the loop is standing still now (it has not ticked for longer than the
        limit) or stood still during the last `within` seconds."""
        now = _clock()
        return now - self._tick > self.limit or now - self._stopped_at < within
