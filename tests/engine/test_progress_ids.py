"""Progress ids rise for the whole life of a channel: Redis flushed, the process restarted in
embedded mode (a new in-process Redis), an idle channel's keys expired. A client resuming with
its last id never misses a newer event."""

from __future__ import annotations

import redis.asyncio as aioredis

from tests.engine.conftest import fast_config


async def _publish(engine, channel: str, n: int) -> list[int]:
    return [(await engine.hub.publish(channel, {"type": "progress", "n": i}))["id"] for i in range(n)]


async def test_ids_keep_rising_after_redis_forgets_everything(backend, make_engine):
    db_url, redis_url = backend
    engine = make_engine(db_url, redis_url, [])
    async with engine:
        first = await _publish(engine, "order:o1", 3)
        if redis_url:
            client = aioredis.from_url(redis_url)
            await client.flushdb()
            await client.aclose()
        else:
            await engine.redis.flushall()
        second = await _publish(engine, "order:o1", 2)
        resumed = await engine.hub.missed("order:o1", after=first[-1])
    assert first == [1, 2, 3] and second == [4, 5]
    assert [m["id"] for m in resumed] == [4, 5]  # a client resuming after 3 sees what came since
    assert await engine.hub.last_id("order:o1") == 5


async def test_ids_keep_rising_across_a_restart_in_embedded_mode(embedded, make_engine):
    db_url, _ = embedded
    config = fast_config(db_url)
    for expected in ([1, 2], [3, 4]):  # two lives of the app, each with a fresh in-process Redis
        engine = make_engine(db_url, "", [], queue_name=config.queue_name, key_prefix=config.key_prefix)
        async with engine:
            assert await _publish(engine, "order:o2", 2) == expected
