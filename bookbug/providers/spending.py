"""What one paid call spent, and the seam through which a provider reports it.

A provider that pays for calls (Claude, Replicate) takes an optional `Meter`. Right before each
paid request it asks the meter to `reserve` the most that request could cost (a meter with a
budget may refuse by raising); right after the provider answers it reports what was `spent`
(tokens, images, seconds), or, when nothing came back, `release`s the reservation. The meter
is written by whoever knows what the call is for (a book, a user, a workflow step); providers
know only the call. Reporting happens where the reply arrives, before it is parsed, so a call
whose reply is later refused or fails validation is on the record all the same.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Spent:
    """One paid call: who was paid, for what, and how much of it."""

    provider: str  # "anthropic", "replicate"
    model: str
    kind: str  # what the call was for: an agent's name, "score_illustration", "page", "character_sheet"
    input_tokens: int = 0  # uncached input tokens
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    images: int = 0
    seconds: float = 0.0  # how long the call took


class Meter(Protocol):
    async def reserve(self, most: Spent) -> float:
        """Before a paid request: hold the most it can cost (`most`: every input token it could
        be charged for, every output token it allows) against any budget; returns the USD held.
        Raise to refuse the call."""
        ...

    async def spent(self, spent: Spent, reserved_usd: float) -> None:
        """The request was answered and paid for: record it, and settle its reservation."""
        ...

    async def release(self, reserved_usd: float) -> None:
        """The request got no answer (nothing was paid): give back its reservation."""
        ...


@asynccontextmanager
async def metered(meter: Meter | None, most: Spent) -> AsyncIterator[Callable[..., Spent]]:
    """Wrap one paid request: reserve `most` before it, then report what was spent (call the
    yielded function with the token and image counts once the answer is in hand) or release."""
    reserved = await meter.reserve(most) if meter is not None else 0.0
    started = time.monotonic()
    billed: list[Spent] = []

    def bill(**amounts: int) -> Spent:
        spent = Spent(provider=most.provider, model=most.model, kind=most.kind,
                      seconds=round(time.monotonic() - started, 3), **amounts)
        billed.append(spent)
        return spent

    try:
        yield bill
    finally:
        if meter is not None:
            if billed:
                await meter.spent(billed[-1], reserved)
            else:
                await meter.release(reserved)


def tokens_at_most(*parts: object) -> int:
    """A generous bound on the tokens of a request's text: Claude's tokens average about four
    characters of English; three keeps the reservation on the safe side."""
    return sum(len(json.dumps(part, ensure_ascii=False, default=str)) for part in parts) // 3 + 16
