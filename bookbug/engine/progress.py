"""Progress events: published per channel with a rising sequence number, kept briefly for resumes.

A channel is "run:{run_id}" or the run's subject, e.g. "order:{order_id}". Each event is a JSON
dict whose "id" increases per channel for the channel's whole life, so a subscriber that
reconnects (an SSE client sending Last-Event-ID) passes `after=` and first receives what it
missed from the backlog, then live events. The ids come from a counter row in the database
(engine_channels): Redis may be flushed, restarted or expire an idle channel, and a client's
old id must still be older than every new event. Redis pub/sub carries live events; a
sorted set per channel holds the backlog. In embedded mode the same code runs on the
in-process Redis stand-in.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bookbug.db.session import get_engine, utcnow
from bookbug.engine.tables import Channel

CHANNELS = Channel.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it


class ProgressHub:
    def __init__(self, redis: Redis, prefix: str, db_url: str, backlog: int = 500, ttl: int = 86400) -> None:
        self.redis = redis
        self.prefix = prefix
        self.db_url = db_url
        self.backlog = backlog
        self.ttl = ttl

    def next_id(self, channel: str, subject: str | None = None) -> int:
        """The channel's next event id, counted in the database (one statement, no races)."""
        with get_engine(self.db_url).begin() as conn:
            builder = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            statement = builder(CHANNELS).values(name=channel, seq=1, subject=subject)
            statement = statement.on_conflict_do_update(index_elements=[CHANNELS.c.name],
                                                        set_={"seq": CHANNELS.c.seq + 1})
            return int(conn.execute(statement.returning(CHANNELS.c.seq)).scalar_one())

    def _names(self, channel: str) -> tuple[str, str, str]:
        base = f"{self.prefix}:progress:{channel}"
        return base, f"{base}:seq", f"{base}:backlog"

    async def publish(self, channel: str, event: dict[str, Any], subject: str | None = None) -> dict[str, Any]:
        live, _, backlog = self._names(channel)
        seq = self.next_id(channel, subject)
        message = {**event, "id": seq, "channel": channel, "at": event.get("at") or utcnow().isoformat()}
        text = json.dumps(message)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(backlog, {text: seq})
            pipe.zremrangebyrank(backlog, 0, -(self.backlog + 1))
            pipe.expire(backlog, self.ttl)
            pipe.publish(live, text)
            await pipe.execute()
        return message

    async def forget(self, channels: list[str]) -> None:
        """Drop what is kept of `channels` (their backlogs), as when their subject is deleted."""
        if channels:
            await self.redis.delete(*[self._names(channel)[2] for channel in channels])

    async def last_id(self, channel: str) -> int:
        """The id of the channel's latest event (0 before any): subscribe `after` it to miss nothing."""
        with get_engine(self.db_url).begin() as conn:
            return int(conn.execute(select(CHANNELS.c.seq).where(CHANNELS.c.name == channel)).scalar() or 0)

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
