"""The book workflows' meter: every paid call a step makes is held against the day's spending
caps before it goes, written to the ledger when its answer arrives (book, user, step), and
added to its book's cost. A call that would cross a cap pauses its book instead: the step is
deferred (not failed), the book says why, and it goes on when an operator raises the cap or
the day turns (the step looks again every RECHECK_SECONDS)."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlmodel import select

from bookbug import metrics
from bookbug.db import LedgerEntry, PriceEntry, session_scope
from bookbug.db import spending as days
from bookbug.engine import Defer, current_step
from bookbug.providers import prices
from bookbug.providers.spending import Spent
from bookbug.config import app_config
from bookbug.workflows import records

log = logging.getLogger("bookbug.spending")

RECHECK_SECONDS = 60.0  # a paused book looks again this often (an operator may have raised the cap)
PRICES_CACHE_SECONDS = 5.0
_prices: tuple[float, str, list[prices.Price]] | None = None


def price_list(db_url: str | None = None) -> list[prices.Price]:
    """The list prices, each replaced by the operators' own where they set one (read every few seconds)."""
    global _prices
    from bookbug.settings import get_settings

    url = db_url or get_settings().db_url
    now = time.monotonic()
    if _prices is not None and _prices[1] == url and now - _prices[0] < PRICES_CACHE_SECONDS:
        return _prices[2]
    with session_scope(url) as session:
        rows = session.exec(select(PriceEntry)).all()
    merged = {(p.provider, p.model): p for p in prices.LIST_PRICES}
    for r in rows:
        merged[(r.provider, r.model)] = prices.Price(r.provider, r.model, r.input, r.output, r.cache_read,
                                                     r.cache_write, r.image, r.second,
                                                     prices.date.fromisoformat(r.taken_on))
    found = list(merged.values())
    _prices = (now, url, found)
    return found


def forget_prices() -> None:
    global _prices
    _prices = None


def caps_for(user_id: str | None) -> list[days.Cap]:
    config = app_config.current()
    caps = [days.Cap(days.ALL, config.global_spend_per_day)]
    if user_id:
        caps.append(days.Cap(days.user_scope(user_id), config.user_spend_per_day))
    return caps


class BookMeter:
    """The meter of one step's provider (a step's calls come one after another)."""

    def __init__(self, book_id: str, user_id: str | None) -> None:
        self.book_id, self.user_id = book_id, user_id
        self.day = days.day_of()

    @property
    def scopes(self) -> list[str]:
        return [days.ALL] + ([days.user_scope(self.user_id)] if self.user_id else [])

    async def reserve(self, most: Spent) -> float:
        amount = prices.most(prices.pick(price_list(), most.provider, most.model), most.input_tokens,
                             most.output_tokens, most.images)
        self.day = days.day_of()
        crossed = await asyncio.to_thread(days.reserve, caps_for(self.user_id), amount, day=self.day)
        if crossed is not None:
            sentence = crossed.sentence(paused=True)
            log.warning("spending cap: book=%s scope=%s cap=%.2f: paused", self.book_id,
                        "all" if crossed.scope == days.ALL else "user", crossed.usd)
            await asyncio.to_thread(records.pause, self.book_id, sentence)
            raise Defer(min(RECHECK_SECONDS, days.seconds_to_next_day()), sentence)
        await asyncio.to_thread(records.resume, self.book_id)
        return amount

    async def spent(self, spent: Spent, reserved_usd: float) -> None:
        cost = prices.cost(prices.pick(price_list(), spent.provider, spent.model), spent)
        step = current_step()
        entry = LedgerEntry(provider=spent.provider, model=spent.model[:100], kind=spent.kind[:60],
                            book_id=self.book_id, user_id=self.user_id, input_tokens=spent.input_tokens,
                            output_tokens=spent.output_tokens, cache_read_tokens=spent.cache_read_tokens,
                            cache_write_tokens=spent.cache_write_tokens, images=spent.images,
                            seconds=spent.seconds, cost_usd=cost,
                            step=f"{step.run_id}/{step.key}"[:400] if step else None)
        await asyncio.to_thread(days.record, entry, self.scopes, reserved_usd, day=self.day)
        metrics.SPEND.labels(spent.provider).inc(max(0.0, cost))

    async def release(self, reserved_usd: float) -> None:
        await asyncio.to_thread(days.release, self.scopes, reserved_usd, day=self.day)
