"""Flow control shared by every worker: concurrency slots and rate-limit reservations in Redis.

Both use optimistic WATCH/MULTI transactions rather than Lua, so the in-process Redis stand-in
of embedded mode (fakeredis, which has no Lua) runs exactly the same code as production.
Slots are leases: a worker that dies stops refreshing its lease and the slot frees itself.
"""

from __future__ import annotations

import math
import time
import uuid

from redis.asyncio import Redis
from redis.exceptions import WatchError


class Limits:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}:{kind}:{key}"

    async def acquire_slot(self, key: str, limit: int, holder: str, lease: float) -> bool:
        """Take one of `limit` slots for `key` (or renew `holder`'s); False when all are taken."""
        name = self._key("slots", key)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(name)
                    now = time.time()
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
        await self.redis.zadd(self._key("slots", key), {holder: time.time() + lease}, xx=True)

    async def release_slot(self, key: str, holder: str) -> None:
        await self.redis.zrem(self._key("slots", key), holder)

    async def holders(self, key: str) -> int:
        return int(await self.redis.zcount(self._key("slots", key), time.time(), math.inf))

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
                    now = time.time()
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
