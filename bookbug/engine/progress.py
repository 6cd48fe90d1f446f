"""Progress events: published per channel with a rising sequence number, kept briefly for resumes.

A channel is "run:{run_id}" or the run's subject, e.g. "book:{book_id}". Each event is a JSON
dict whose "id" increases per channel, so a subscriber that reconnects (an SSE client sending
Last-Event-ID) passes `after=` and first receives what it missed from the backlog, then live
events. Redis pub/sub carries live events; a sorted set per channel holds the backlog. In
embedded mode the same code runs on the in-process Redis stand-in.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis

from bookbug.db.session import utcnow


class ProgressHub:
    def __init__(self, redis: Redis, prefix: str, backlog: int = 500, ttl: int = 86400) -> None:
        self.redis = redis
        self.prefix = prefix
        self.backlog = backlog
        self.ttl = ttl

    def _names(self, channel: str) -> tuple[str, str, str]:
        base = f"{self.prefix}:progress:{channel}"
        return base, f"{base}:seq", f"{base}:backlog"

    async def publish(self, channel: str, event: dict[str, Any]) -> dict[str, Any]:
        live, seq_key, backlog = self._names(channel)
        seq = int(await self.redis.incr(seq_key))
        message = {**event, "id": seq, "channel": channel, "at": event.get("at") or utcnow().isoformat()}
        text = json.dumps(message)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(backlog, {text: seq})
            pipe.zremrangebyrank(backlog, 0, -(self.backlog + 1))
            pipe.expire(backlog, self.ttl)
            pipe.expire(seq_key, self.ttl)
            pipe.publish(live, text)
            await pipe.execute()
        return message

    async def last_id(self, channel: str) -> int:
        """The id of the channel's latest event (0 before any): subscribe `after` it to miss nothing."""
        _, seq_key, _ = self._names(channel)
        return int(await self.redis.get(seq_key) or 0)

    async def missed(self, channel: str, after: int = 0) -> list[dict[str, Any]]:
        """Kept events with an id above `after`, oldest first."""
        _, _, backlog = self._names(channel)
        rows = await self.redis.zrangebyscore(backlog, f"({after}", "+inf")
        return [json.loads(row) for row in rows]

    async def subscribe(self, channel: str, after: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """Events on `channel` as they are published; with `after`, first the kept ones after it."""
        live, _, _ = self._names(channel)
        pubsub = self.redis.pubsub()
        # Subscribe before reading the backlog so nothing published in between is lost;
        # ids already yielded are skipped when they arrive again live.
        seen: set[int] = set()
        try:
            await pubsub.subscribe(live)
            # SUBSCRIBE takes effect when Redis confirms it, not when the command is sent: read
            # the backlog only after the confirmation, or an event published in between is lost.
            async for raw in pubsub.listen():
                if raw.get("type") == "subscribe":
                    break
            if after is not None:
                for message in await self.missed(channel, after):
                    seen.add(message["id"])
                    yield message
            # listen() reads without a timeout: redis-py can drop a message whose read a
            # get_message(timeout=...) cut short.
            async for raw in pubsub.listen():
                if raw.get("type") != "message":
                    continue
                message = json.loads(raw["data"])
                if message["id"] in seen or (after is not None and message["id"] <= after):
                    continue
                seen.add(message["id"])
                if len(seen) > 4 * self.backlog:
                    seen = {i for i in seen if i > message["id"] - self.backlog}
                yield message
        finally:
            await pubsub.unsubscribe(live)
            await pubsub.aclose()
