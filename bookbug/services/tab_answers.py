"""When each browser tab last answered its live tasks' "still there?", on Redis's clock.

Kept in the engine's Redis (an in-process stand-in on the embedded defaults), so every app
process sees every answer: after a reconnect a tab's answers may be handled by another process
than the one running its task. Both moments come from Redis's clock, so processes whose clocks
disagree still agree on which came first.
"""

from __future__ import annotations

from bookbug.services.runtime import get_engine

KEEP_MS = 600_000  # an answer is remembered this long: far longer than any task waits for one


def _key(tab: str) -> str:
    return f"{get_engine().config.key_prefix}:tab-answered:{tab}"


async def now_ms() -> int:
    seconds, micros = await get_engine().redis.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def answered(tab: str) -> None:
    """The tab answered now."""
    await get_engine().redis.set(_key(tab), await now_ms(), px=KEEP_MS)


async def last_answer(tab: str) -> int | None:
    """When the tab last answered (Redis milliseconds), or None if not lately."""
    value = await get_engine().redis.get(_key(tab))
    return int(value) if value is not None else None
