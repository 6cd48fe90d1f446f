"""A service's pause (after a 429 with Retry-After) and pace (after overloads) are shared by
every worker through Redis, and every reservation for that service honours both."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from bookbug.engine.limits import MIN_PACE, Limits

PREFIX = "pace-test"


@pytest.fixture
async def two_workers(backend) -> tuple[Limits, Limits]:  # noqa: ANN001
    """Two workers' views of the same Redis (the in-process stand-in, then a real Redis)."""
    import uuid

    import fakeredis

    _, redis_url = backend
    prefix = f"{PREFIX}:{uuid.uuid4().hex[:8]}"
    if redis_url:
        first, second = aioredis.from_url(redis_url), aioredis.from_url(redis_url)
    else:
        server = fakeredis.FakeServer()
        first, second = fakeredis.FakeAsyncRedis(server=server), fakeredis.FakeAsyncRedis(server=server)
    yield Limits(first, prefix), Limits(second, prefix)
    await first.aclose()
    await second.aclose()


async def test_a_pause_set_by_one_worker_holds_every_reservation_of_another(two_workers) -> None:
    told, other = two_workers
    await told.pause("anthropic", 1.5)
    reserved, delay = await other.reserve("service:anthropic", 100, 60.0, service="anthropic")
    assert reserved and 1.4 < delay <= 1.5
    reserved, delay = await other.reserve("service:anthropic", None, 60.0, max_wait=0.5, service="anthropic")
    assert not reserved and delay > 1.0  # too long to wait in place: come back later
    assert (await other.reserve("service:replicate", 100, 60.0, service="replicate"))[1] == 0  # others go on


async def test_a_pause_only_ever_grows(two_workers) -> None:
    told, other = two_workers
    long_end = await told.pause("replicate", 5.0)
    assert await other.pause("replicate", 1.0) == long_end
    assert 4.5 < await told.paused_for("replicate") <= 5.0


async def test_an_overload_halves_the_pace_for_everyone_and_it_grows_back(two_workers) -> None:
    told, other = two_workers
    assert await other.pace("anthropic") == 1.0
    assert await told.slow_down("anthropic") == pytest.approx(0.5, abs=0.01)
    assert await told.slow_down("anthropic") == pytest.approx(0.25, abs=0.01)
    before = await other.pace("anthropic")
    await asyncio.sleep(0.5)
    assert await other.pace("anthropic") > before  # additive increase while nothing overloads
    for _ in range(10):
        await told.slow_down("anthropic")
    assert await other.pace("anthropic") >= MIN_PACE  # never stopped altogether


async def test_the_pace_scales_how_many_calls_a_period_allows(two_workers) -> None:
    told, other = two_workers
    await told.slow_down("replicate")  # half of 10 a minute: 5 go now, the 6th waits
    delays = [(await other.reserve("service:replicate", 10, 60.0, service="replicate"))[1] for _ in range(6)]
    assert delays[:5] == [0.0] * 5 and delays[5] > 50
