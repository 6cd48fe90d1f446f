"""Flow control shared by every worker: concurrency slots, rate-limit reservations, and the
pause and pace of each outside service, in Redis.

All use optimistic WATCH/MULTI transactions rather than Lua, so the in-process Redis stand-in
of embedded mode (fakeredis, which has no Lua) runs exactly the same code as production.
Slots are leases: a worker that dies stops refreshing its lease and the slot frees itself.
Every moment is Redis's own clock (TIME), never a worker's: a worker whose clock runs a
minute ahead would otherwise see every lease as expired and every reservation as old.

A service's pause (a 429 with Retry-After) holds every reservation for that service, on every
worker, until it passes. Its pace (after overload: 529, 503) scales the allowed rate down by
half at each overload and lets it grow back by a steady amount per second (additive increase,
multiplicative decrease), so a struggling provider is given room and then used fully again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import WatchError

from bookbug.engine.fairness import note_grant, LEASE_GRACE, FairQueue

log = logging.getLogger("bookbug.engine.fairness")  # DEBUG: every turn granted, with its wait


def _seconds(reply: Any) -> float:
    seconds, micros = reply
    return int(seconds) + int(micros) / 1_000_000


FAIR_LOOK_EVERY = 0.25  # a waiter not yet at the head looks again this often (the head: when its call is free)
MIN_PACE = 1 / 16  # an overloaded service is never slowed below this share of its rate
PACE_RECOVERY = 0.02  # share of the full rate regained per second without overload (50 s to full)


class Limits:
    def __init__(self, redis: Redis, prefix: str, sync_client: Callable[[], SyncRedis] | None = None) -> None:
        self.redis = redis
        self.prefix = prefix
        self._sync_factory = sync_client
        self._sync: SyncRedis | None = None

    # -- a service's pause and pace ---------------------------------------------------------

    async def pause(self, service: str, seconds: float) -> float:
        """Hold `service` for `seconds` from now (a pause only ever grows); returns its end."""
        name = self._key("pause", service)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(name)
                    now = _seconds(await pipe.time())
                    current = float(await pipe.get(name) or 0)
                    until = max(current, now + seconds)
                    pipe.multi()
                    pipe.set(name, repr(until), px=max(1, int((until - now) * 1000)) + 1000)
                    # when each pause became known, for operators (and the storm benchmark)
                    pipe.lpush(self._key("pauses", service), f"{now!r} {until!r}")
                    pipe.ltrim(self._key("pauses", service), 0, 999)
                    pipe.expire(self._key("pauses", service), 86400)
                    await pipe.execute()
                    return until
                except WatchError:
                    continue

    async def grants(self, service: str) -> list[float]:
        """When the latest calls to `service` were granted (up to 5,000), Redis's clock."""
        return [float(at) for at in await self.redis.lrange(self._key("granted", service), 0, -1)]  # type: ignore[misc]  # redis-py types the reply as sync-or-async

    async def pauses(self, service: str) -> list[tuple[float, float]]:
        """The latest pauses of `service` (up to 1,000): when each became known, and its end."""
        rows = await self.redis.lrange(self._key("pauses", service), 0, -1)  # type: ignore[misc]  # redis-py types the reply as sync-or-async
        return [(float(since), float(until)) for since, until in (row.decode().split() for row in rows)]

    async def paused_for(self, service: str) -> float:
        """Seconds until `service` may be called again (0 when it is not paused)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.time()
            pipe.get(self._key("pause", service))
            now, until = await pipe.execute()
        return max(0.0, float(until or 0) - _seconds(now))

    async def slow_down(self, service: str) -> float:
        """An overload: halve `service`'s pace (as it stands now); returns the new pace."""
        name = self._key("pace", service)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(name)
                    now = _seconds(await pipe.time())
                    pace = max(MIN_PACE, _pace(await pipe.hgetall(name), now) / 2)  # type: ignore[misc]  # redis-py types the reply as sync-or-async
                    pipe.multi()
                    pipe.hset(name, mapping={"pace": repr(pace), "at": repr(now)})
                    pipe.expire(name, int((1 - pace) / PACE_RECOVERY) + 60)
                    await pipe.execute()
                    return pace
                except WatchError:
                    continue

    async def pace(self, service: str) -> float:
        """The share (0-1] of its configured rate `service` may use now."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.time()
            pipe.hgetall(self._key("pace", service))
            now, stored = await pipe.execute()
        return _pace(stored, _seconds(now))

    async def now(self) -> float:
        return _seconds(await self.redis.time())

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}:{kind}:{key}"

    async def acquire_slot(self, key: str, limit: int, holder: str, lease: float) -> bool:
        """Take one of `limit` slots for `key` (or renew `holder`'s); False when all are taken."""
        name = self._key("slots", key)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(name)
                    now = _seconds(await pipe.time())
                    live = {m.decode() for m in await pipe.zrangebyscore(name, now, math.inf)}
                    if holder not in live and len(live) >= limit:
                        await pipe.reset()
                        return False
                    pipe.multi()
                    pipe.zremrangebyscore(name, -math.inf, now)  # leases of dead workers
                    pipe.zadd(name, {holder: now + lease})
                    pipe.expire(name, int(lease) + 60)
                    await pipe.execute()
                    return True
                except WatchError:
                    continue

    async def refresh_slot(self, key: str, holder: str, lease: float) -> None:
        await self.redis.zadd(self._key("slots", key), {holder: await self.now() + lease}, xx=True)

    def refresh_slot_now(self, key: str, holder: str, lease: float) -> None:
        """The same from a thread without an event loop (the heartbeat's), on a client of its own."""
        if self._sync_factory is None:
            return
        if self._sync is None:
            self._sync = self._sync_factory()
        self._sync.zadd(self._key("slots", key), {holder: _seconds(self._sync.time()) + lease}, xx=True)

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    async def release_slot(self, key: str, holder: str) -> None:
        await self.redis.zrem(self._key("slots", key), holder)

    async def holders(self, key: str) -> int:
        return int(await self.redis.zcount(self._key("slots", key), await self.now(), math.inf))

    async def take(self, key: str, limit: int | None, period: float, *, service: str | None = None,
                   fair_key: str = "", max_wait: float = math.inf,
                   stop: asyncio.Event | None = None, who: str = "",
                   patient: Callable[[float], bool] | None = None) -> tuple[bool, float]:
        """Wait for a call within `limit` per `period` (and, for a `service`, after its pause and
        within its pace), taking turns fairly with every other `fair_key` (see fairness.py).

        Returns (True, seconds waited) once the call is granted: make it now. When, at a look,
        the turn is further away than `max_wait`, the request leaves the queue and (False,
        estimate) says how long to stay away; its key keeps its place in the rotation meanwhile. When `stop`
        is set (the process is shutting down) the request leaves at once with (False, 0).
        `who` names the caller in the DEBUG trace of turns (asked, deferred, granted). While
        `patient(eta)` says so (its run has other work going on, so leaving frees nothing), the
        request keeps its place for a turn further off: one that left would lose it.
        """
        if limit is None:  # nothing to share: only a pause to wait out
            waited = 0.0
            while True:
                reserved, delay = await self.reserve(key, None, period, max_wait, service=service)
                if not reserved or delay <= 0:
                    return reserved, waited if reserved else delay
                await asyncio.sleep(delay)  # then look again: another pause may have begun meanwhile
                waited += delay
        queue = FairQueue(self.redis, self.prefix, key)
        waiter = queue.new_waiter()
        started = time.monotonic()
        pause, pace = (self._key("pause", service), self._key("pace", service)) if service else (None, None)
        log.debug("turn asked: key=%s fair_key=%s who=%s at=%.3f", key, fair_key, who, time.time())
        try:
            while True:
                turn = await queue.look(waiter, fair_key, limit=limit, period=period, pause=pause, pace=pace,
                                        lease=FAIR_LOOK_EVERY + LEASE_GRACE, pace_of=_pace,
                                        grants=self._key("granted", service) if service else None)
                waited = time.monotonic() - started
                if turn.granted:
                    log.debug("turn granted: key=%s fair_key=%s who=%s waited=%.3fs at=%.3f", key, fair_key, who,
                              waited, time.time())
                    return True, waited
                stopping = stop is not None and stop.is_set()
                # Measured from now: a request that already waited is not sent away for that (it
                # would lose its place); one whose turn is further off than `max_wait` is.
                if stopping or (turn.eta > max_wait and not (patient is not None and patient(turn.eta))):
                    log.debug("turn deferred: key=%s fair_key=%s who=%s eta=%.3fs at=%.3f", key, fair_key, who,
                              turn.eta, time.time())
                    await queue.leave(waiter)
                    return False, 0.0 if stopping else turn.eta
                if stop is None:
                    await asyncio.sleep(min(turn.eta, FAIR_LOOK_EVERY))
                else:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(stop.wait(), min(turn.eta, FAIR_LOOK_EVERY))
        except BaseException:
            # Cancelled or failed while waiting: step out of the queue (if Redis allows; else
            # the lease runs out) so nobody waits behind a request that is gone.
            try:
                await asyncio.shield(queue.leave(waiter))
            except BaseException:  # noqa: BLE001 - the original error matters, not this one
                pass
            raise

    async def waiting(self, key: str) -> int:
        """Requests waiting in the fair queue of `key` now (for the queue-depth metric)."""
        return await FairQueue(self.redis, self.prefix, key).depth()

    async def reserve(self, key: str, limit: int | None, period: float, max_wait: float = math.inf, *,
                      service: str | None = None) -> tuple[bool, float]:
        """Reserve the earliest moment at which one more call stays within `limit` per `period`
        (None: no limit), and, for a `service`, after its pause and within its pace.

        Returns (reserved, delay): wait `delay` seconds, then go. When the delay would exceed
        `max_wait`, nothing is reserved and `delay` says how long to stay away. Reservations
        are handed out in request order, so throttled work starts first-come, first-served.
        """
        name = self._key("rate", key)
        pause, pace = (self._key("pause", service), self._key("pace", service)) if service else (None, None)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(*[k for k in (name, pause, pace) if k])
                    now = _seconds(await pipe.time())
                    times = [score for _, score in await pipe.zrangebyscore(name, now - period, math.inf, withscores=True)]
                    resume = float(await pipe.get(pause) or 0) if pause else 0.0
                    if limit is None:  # only the pause to wait for
                        delay = max(now, resume) - now
                        if delay > 0 or not service:
                            await pipe.reset()
                            return delay <= max_wait, delay
                        pipe.multi()  # granted now, against the pause as read (it is watched)
                        note_grant(pipe, self._key("granted", service), now)
                        await pipe.execute()
                        return True, 0.0
                    else:
                        allowed = max(1, math.floor(limit * (_pace(await pipe.hgetall(pace), now) if pace else 1.0)))  # type: ignore[misc]  # redis-py types the reply as sync-or-async
                        at = max(now, resume, times[-allowed] + period if len(times) >= allowed else now)
                    delay = at - now
                    if delay > max_wait:
                        await pipe.reset()
                        return False, delay
                    pipe.multi()
                    pipe.zremrangebyscore(name, -math.inf, now - period)
                    pipe.zadd(name, {uuid.uuid4().hex: at})
                    pipe.expire(name, int(period + delay) + 60)
                    await pipe.execute()
                    return True, delay
                except WatchError:
                    continue


def _pace(stored: dict[Any, Any], now: float) -> float:
    if not stored:
        return 1.0
    values = {(k.decode() if isinstance(k, bytes) else k): float(v) for k, v in stored.items()}
    return min(1.0, values.get("pace", 1.0) + PACE_RECOVERY * max(0.0, now - values.get("at", now)))
