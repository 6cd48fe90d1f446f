"""Concurrency per key across processes, throttling without dropping, shared rate limits."""

from __future__ import annotations

import time
import uuid

import redis.asyncio as aioredis

from bookbug.engine import Concurrency, RateLimit, Registry, Throttle, get_run, workflow
from tests.engine.conftest import fast_config, wait_for_run, with_tables
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop


async def test_concurrency_limit_holds_per_key_across_three_worker_processes(
    postgres_url, redis_url, make_engine, tmp_path
):
    db_url = with_tables(postgres_url)
    prefix = f"test:{uuid.uuid4().hex[:8]}"
    # A blocked run looks again every 0.2 s: enough churn to race, not enough to flood 2 cores.
    engine = make_engine(db_url, redis_url, process_flows, key_prefix=prefix, slot_poll=0.2, poll_delay=0.05)
    await engine.start()
    workers = [start_worker(engine.config, tmp_path / f"worker{i}.log") for i in range(3)]
    try:
        run_ids = []
        for i in range(10):
            data = {"key": "ab"[i % 2], "redis": redis_url, "prefix": prefix}
            run_ids += (await engine.send_event("crowded/start", data)).started
        runs = [await wait_for_run(db_url, run_id, timeout=60) for run_id in run_ids]
    finally:
        for worker in workers:
            stop(worker)
    assert all(run.status.value == "completed" for run in runs), [r.error for r in runs]
    client = aioredis.from_url(redis_url)
    try:
        for key in "ab":
            seen = [int(n) for n in await client.lrange(f"{prefix}:seen:{key}", 0, -1)]
            assert len(seen) == 5
            assert max(seen) == 2  # never more than 2 at once, and the limit was actually reached
        await client.delete(*[f"{prefix}:{kind}:{key}" for kind in ("seen", "active") for key in "ab"])
    finally:
        await client.aclose()


async def test_step_concurrency_limits_parallel_steps_within_a_run(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    active, peak = 0, 0

    async def page(n: int) -> int:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        import asyncio

        await asyncio.sleep(0.05)
        active -= 1
        return n

    @workflow("pages", trigger="pages/start", registry=registry)
    async def pages(ctx):
        limit = Concurrency(key="event.data.book_id", limit=2)
        done = await ctx.step.parallel("pages", {
            f"p{n}": (lambda n=n: ctx.step.run(f"page-{n}", page, n, concurrency=limit)) for n in range(6)
        })
        return list(done.values())

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("pages/start", {"book_id": "b1"})).started[0]
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert run.output == [0, 1, 2, 3, 4, 5]
    assert peak == 2


async def test_throttle_queues_excess_runs_and_later_starts_all_of_them_in_order(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    started: list[tuple[int, float]] = []

    @workflow("throttled", trigger="book/create.started", registry=registry,
              throttle=Throttle(key="event.data.user_id", limit=2, period="600ms"))
    async def throttled(ctx):
        started.append((ctx.event.data["n"], time.monotonic()))
        return ctx.event.data["n"]

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_ids = []
        sent = time.monotonic()
        for n in range(5):
            run_ids += (await engine.send_event("book/create.started", {"user_id": "u1", "n": n})).started
        other = (await engine.send_event("book/create.started", {"user_id": "u2", "n": 99})).started
        runs = [await wait_for_run(db_url, run_id, timeout=10) for run_id in run_ids + other]
    assert all(run.status.value == "completed" for run in runs)
    order = [n for n, _ in started]
    mine = sorted((t, n) for n, t in started if n != 99)
    # First come, first served, none dropped: each 600 ms window starts the next two in line.
    assert [{n for _, n in mine[i:i + 2]} for i in (0, 2, 4)] == [{0, 1}, {2, 3}, {4}]
    for i, (moment, _) in enumerate(mine):
        assert moment - sent >= (i // 2) * 0.6 - 0.01  # at most 2 starts per 600 ms window
    assert order.index(99) < order.index(2)  # another user's run is not held up behind them


async def test_throttle_key_missing_from_the_event_is_refused_before_anything_is_stored(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()

    @workflow("throttled", trigger="book/create.started", registry=registry,
              throttle=Throttle(key="event.data.user_id", limit=2, period="1m"))
    async def throttled(ctx):
        return None

    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        try:
            await engine.send_event("book/create.started", {"book_id": "b1"})
        except ValueError as exc:
            assert "user_id" in str(exc)
        else:
            raise AssertionError("an event without the throttle key was accepted")
    from bookbug.engine import list_runs

    assert list_runs(db_url) == []


async def test_rate_limited_calls_wait_for_a_shared_slot_instead_of_hitting_the_provider(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    calls: list[float] = []

    @workflow("illustrate", trigger="illustrate/start", registry=registry)
    async def illustrate(ctx):
        return await ctx.step.run("picture", lambda: calls.append(time.monotonic()), rate_limit="replicate")

    engine = make_engine(db_url, redis_url, registry,
                         rate_limits={"replicate": RateLimit("replicate", limit=2, period="500ms")})
    async with engine, engine.worker():
        run_ids = []
        sent = time.monotonic()
        for n in range(5):
            run_ids += (await engine.send_event("illustrate/start", {"n": n})).started
        for run_id in run_ids:
            await wait_for_run(db_url, run_id)
    assert all(get_run(db_url, r).status.value == "completed" for r in run_ids)
    calls.sort()
    assert len(calls) == 5
    for i, moment in enumerate(calls):
        assert moment - sent >= (i // 2) * 0.5 - 0.01  # 2 calls per 500 ms, across all runs


async def test_rate_limits_from_a_live_source_apply_without_a_restart(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    calls: list[float] = []
    limits = {"replicate": RateLimit("replicate", limit=100, period="1s")}

    @workflow("illustrate", trigger="illustrate/start", registry=registry)
    async def illustrate(ctx):
        return await ctx.step.run("picture", lambda: calls.append(time.monotonic()), rate_limit="replicate")

    engine = make_engine(db_url, redis_url, registry, rate_limits_source=lambda: limits)
    async with engine, engine.worker():
        limits["replicate"] = RateLimit("replicate", limit=1, period="500ms")  # an operator lowers it
        sent = time.monotonic()
        run_ids = []
        for n in range(3):
            run_ids += (await engine.send_event("illustrate/start", {"n": n})).started
        for run_id in run_ids:
            await wait_for_run(db_url, run_id)
    calls.sort()
    assert len(calls) == 3
    assert calls[2] - sent >= 2 * 0.5 - 0.01  # one call per 500 ms: the new limit held


def test_fast_config_gives_every_test_its_own_queue():
    assert fast_config("sqlite://").queue_name != fast_config("sqlite://").queue_name
