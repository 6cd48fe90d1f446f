"""Fair turns at a rate limit: when calls to a service are short, every fair key (a user, say)
gets its turn in rotation, however many requests another key has waiting.

Requests wait in a queue kept in Redis, shared by every worker process. The next free call
goes to the waiting key served least recently (first come among keys never served), and
within a key to its oldest request. So while one key's request waits, any other key is
served at most once: ten runs of one customer delay another customer's run by one call, not ten.
A request is granted only when a call is free now (or the calls free now outnumber the
requests ahead of it), never a future slot, so nobody reserves the window ahead of others.

State, under the limit's key:
  fairq:{key}  hash   waiter -> [fair key, arrival]        (changes on join, leave, grant)
  fairl:{key}  zset   waiter -> lease end                   (refreshed at every look, unwatched)
  fairs:{key}  hash   fair key -> grant number of its last grant; "~n" -> grants so far
A waiter whose lease ends (its worker died) is dropped at the next join or grant; a dead
waiter at the head holds back one call at most, since later ones go when calls pile up.
Like limits.py this uses WATCH/MULTI, no Lua, so the in-process Redis stand-in runs it too.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import WatchError

LEASE_GRACE = 2.0  # a waiter that has not looked again this long after it said it would is gone
_TOTAL = "~n"


@dataclass(frozen=True)
class Waiter:
    id: str
    key: str
    arrived: float


@dataclass(frozen=True)
class Turn:
    granted: bool
    position: int  # requests ahead of this one in the fair order
    eta: float  # seconds until its turn, as things stand (0 when granted)


def fair_order(waiters: list[Waiter], served: Mapping[str, int]) -> list[Waiter]:
    """Waiters in the order they will be served: rounds, each holding the oldest remaining
    request of every waiting key, keys ordered by when they were last served (never first)."""
    by_key: dict[str, list[Waiter]] = {}
    for waiter in sorted(waiters, key=lambda w: (w.arrived, w.id)):
        by_key.setdefault(waiter.key, []).append(waiter)
    ranked = sorted(by_key, key=lambda k: (served.get(k, 0), by_key[k][0].arrived, k))
    rank = {k: i for i, k in enumerate(ranked)}
    return sorted(waiters, key=lambda w: (by_key[w.key].index(w), rank[w.key]))


def slot_eta(position: int, times: list[float], allowed: int, period: float, now: float, resume: float) -> float:
    """Seconds until a call is free for the request at `position`, given the calls in the window
    (`times`, ascending), `allowed` per `period`, and a pause until `resume`."""
    expiries_needed = position + len(times) - allowed  # calls that must leave the window first
    if expiries_needed < 0:
        at = now
    elif expiries_needed < len(times):
        at = times[expiries_needed] + period
    else:  # beyond this window: a rough guess, looked at again before then
        at = (times[-1] if times else now) + period * (1 + (expiries_needed - len(times)) / allowed)
    return max(at, resume, now) - now


def note_grant(pipe: Any, grants: str, now: float) -> None:
    pipe.lpush(grants, repr(now))
    pipe.ltrim(grants, 0, 4999)
    pipe.expire(grants, 86400)


def _decode(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class FairQueue:
    """The queue in front of one rate limit (`rate` is its call log, as in limits.py)."""

    def __init__(self, redis: Redis, prefix: str, key: str) -> None:
        self.redis = redis
        self.rate = f"{prefix}:rate:{key}"
        self.queue = f"{prefix}:fairq:{key}"
        self.leases = f"{prefix}:fairl:{key}"
        self.served = f"{prefix}:fairs:{key}"

    @staticmethod
    def new_waiter() -> str:
        return uuid.uuid4().hex

    async def look(self, waiter: str, fair_key: str, *, limit: int, period: float, pace: str | None,
                   pause: str | None, lease: float, pace_of: Any, grants: str | None = None) -> Turn:
        """Join (or stay in) the queue and take a call if it is this waiter's turn."""
        watched = [k for k in (self.rate, self.queue, self.served, pause, pace) if k]
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(*watched)
                    now = _seconds(await pipe.time())
                    times = sorted(score for _, score in await pipe.zrangebyscore(
                        self.rate, now - period, math.inf, withscores=True))
                    resume = float(await pipe.get(pause) or 0) if pause else 0.0
                    allowed = max(1, math.floor(limit * (pace_of(await pipe.hgetall(pace), now) if pace else 1.0)))  # type: ignore[misc]  # redis-py types the reply as sync-or-async
                    queued = await pipe.hgetall(self.queue)  # type: ignore[misc]  # redis-py types the reply as sync-or-async
                    live = {_decode(w) for w, _ in await pipe.zrangebyscore(self.leases, now, math.inf,
                                                                           withscores=True)}
                    served = {_decode(k): int(float(v)) for k, v in (await pipe.hgetall(self.served)).items()}  # type: ignore[misc]  # redis-py types the reply as sync-or-async
                    waiters, gone, joined = [], [], True
                    for raw_id, raw in queued.items():
                        waiter_id = _decode(raw_id)
                        if waiter_id == waiter:
                            joined = False
                        elif waiter_id not in live:
                            gone.append(waiter_id)
                            continue
                        key, arrived = json.loads(raw)
                        waiters.append(Waiter(waiter_id, key, float(arrived)))
                    me = next((w for w in waiters if w.id == waiter), None)
                    if me is None:
                        me = Waiter(waiter, fair_key, now)
                        waiters.append(me)
                    order = fair_order(waiters, served)
                    position = order.index(me)
                    eta = slot_eta(position, times, allowed, period, now, resume)
                    if eta > 0:
                        if joined or gone:
                            pipe.multi()
                            pipe.hset(self.queue, waiter, json.dumps([me.key, me.arrived]))
                            if gone:
                                pipe.hdel(self.queue, *gone)
                                pipe.zrem(self.leases, *gone)
                            pipe.zadd(self.leases, {waiter: now + lease})
                            self._expire(pipe, period)
                            await pipe.execute()
                        else:
                            await pipe.reset()
                            await self.redis.zadd(self.leases, {waiter: now + lease})
                        return Turn(False, position, eta)
                    total = served.get(_TOTAL, 0) + 1
                    waiting_keys = {w.key for w in waiters if w.id != waiter}
                    floor = min((served.get(k, 0) for k in waiting_keys), default=math.inf)
                    # Keys no longer waiting that were served before every waiting key would
                    # come first anyway when they return: forget them, so the hash stays small.
                    forgotten = [k for k, n in served.items()
                                 if k != _TOTAL and k not in waiting_keys and k != me.key and n < floor]
                    pipe.multi()
                    pipe.hdel(self.queue, waiter, *gone)
                    pipe.zrem(self.leases, waiter, *gone)
                    pipe.zremrangebyscore(self.rate, -math.inf, now - period)
                    pipe.zadd(self.rate, {uuid.uuid4().hex: now})
                    pipe.expire(self.rate, int(period) + 60)
                    pipe.hset(self.served, mapping={me.key: total, _TOTAL: total})
                    if forgotten:
                        pipe.hdel(self.served, *forgotten)
                    self._expire(pipe, period)
                    if grants:  # when each call was granted (Redis's clock), for operators and audits
                        note_grant(pipe, grants, now)
                    await pipe.execute()
                    return Turn(True, position, 0.0)
                except WatchError:
                    continue

    def _expire(self, pipe: Any, period: float) -> None:
        idle = int(period) + 600  # a queue nobody looked at for this long is forgotten
        for name in (self.queue, self.leases, self.served):
            pipe.expire(name, idle)

    async def leave(self, waiter: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self.queue, waiter)
            pipe.zrem(self.leases, waiter)
            await pipe.execute()

    async def depth(self) -> int:
        """Live requests waiting (a dead worker's are not counted)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.time()
            pipe.hkeys(self.queue)
            pipe.zrangebyscore(self.leases, "-inf", "+inf", withscores=True)
            now, queued, leases = await pipe.execute()
        alive = {_decode(w) for w, end in leases if end >= _seconds(now)}
        return sum(1 for w in queued if _decode(w) in alive)


def _seconds(reply: Any) -> float:
    seconds, micros = reply
    return int(seconds) + int(micros) / 1_000_000
