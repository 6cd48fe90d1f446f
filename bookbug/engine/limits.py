"""Flow control shared by every worker: concurrency slots and rate-limit reservations in Redis.

Both use optimistic WATCH/MULTI transactions rather than Lua, so the in-process Redis stand-in
of embedded mode (fakeredis, which has no Lua) runs exactly the same code as production.
Slots are leases: a worker that dies stops refreshing its lease and the slot frees itself.
Every moment is Redis's own clock (TIME), never a worker's: a worker whose clock runs a
minute ahead would otherwise see every lease as expired and every reservation as old.
"""

from __future__ import annotations

import math
import uuid

from collections.abc import Callable
from typing import Any

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import WatchError


def _seconds(reply: Any) -> float:
    seconds, micros = reply
    return int(seconds) + int(micros) / 1_000_000


class Limits:
    def __init__(self, redis: Redis, prefix: str, sync_client: Callable[[], SyncRedis] | None = None) -> None:
        self.redis = redis
        self.prefix = prefix
        self._sync_factory = sync_client
        self._sync: SyncRedis | None = None

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

    async def reserve(self, key: str, limit: int, period: float, max_wait: float = math.inf) -> tuple[bool, float]:
        """Reserve the earliest moment at which one more call stays within `limit` per `period`.

        Returns (reserved, delay): wait `delay` seconds, then go. When the delay would exceed
        `max_wait`, nothing is reserved and `delay` says how long to stay away. Reservations
        are handed out in request order, so throttled work starts first-come, first-served.
        """
        name = self._key("rate", key)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(name)
                    now = _seconds(await pipe.time())
                    times = [score for _, score in await pipe.zrangebyscore(name, now - period, math.inf, withscores=True)]
                    at = now if len(times) < limit else max(now, times[-limit] + period)
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
