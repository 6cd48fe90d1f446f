"""Fair turns at a rate limit: a key (user) with many requests waiting delays another key's
request by one call at most, across processes sharing Redis, in every arrival order."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbug.engine import RateLimit, Registry, workflow
from bookbug.engine.fairness import FairQueue, Waiter, fair_order
from bookbug.engine.limits import Limits
from tests.engine.conftest import wait_for_run

KEYS = "ABCD"
ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("arrive"), st.sampled_from(KEYS)),  # a request of that key joins and looks
    st.tuples(st.just("leave"), st.integers(0, 99)),  # a waiting request gives up (its step defers)
    st.tuples(st.just("tick"), st.randoms(use_true_random=False)),  # one call leaves the window; all look, in any order
), min_size=1, max_size=50)


@pytest.fixture(params=["fakeredis", "redis"])
def redis_clients(request: pytest.FixtureRequest) -> Callable[[], Any]:
    """Makes clients of one Redis server: each stands for another worker process."""
    if request.param == "fakeredis":
        import fakeredis

        server = fakeredis.FakeServer()
        return lambda: fakeredis.FakeAsyncRedis(server=server)
    import redis.asyncio as aioredis

    url = request.getfixturevalue("redis_url")
    return lambda: aioredis.from_url(url)


async def _replay(make_client: Callable[[], Any], actions: list[tuple[str, Any]], limit: int) -> None:
    prefix, key = f"fair-test:{uuid.uuid4().hex[:8]}", "service:images"
    processes = [FairQueue(make_client(), prefix, key) for _ in range(3)]
    waiting: list[tuple[str, str]] = []  # (waiter, fair key), in arrival order
    granted: list[str] = []  # fair keys, in grant order
    in_window = 0
    served_while_head: dict[str, dict[str, int]] = {}  # waiter -> other key -> grants while it led its key

    async def look(index: int, waiter: str, fair_key: str) -> None:
        nonlocal in_window
        queue = processes[index % len(processes)]
        # The period is long: calls leave the window only when the test says so ("tick").
        turn = await queue.look(waiter, fair_key, limit=limit, period=3600.0, pause=None, pace=None,
                                lease=60.0, pace_of=None)
        if not turn.granted:
            return
        waiting.remove((waiter, fair_key))
        granted.append(fair_key)
        in_window += 1
        assert in_window <= limit, "more calls in the window than the limit allows"
        served_while_head.pop(waiter, None)
        for other, other_key in _heads(waiting):
            if other_key != fair_key:
                counts = served_while_head.setdefault(other, {})
                counts[fair_key] = counts.get(fair_key, 0) + 1
                assert counts[fair_key] <= 1, (
                    f"key {fair_key} was served twice while {other_key}'s oldest request waited: {granted}")

    try:
        for n, (what, arg) in enumerate(actions):
            if what == "arrive":
                waiter = f"w{n}"
                waiting.append((waiter, arg))
                await look(n, waiter, arg)
            elif what == "leave" and waiting:
                waiter, fair_key = waiting.pop(arg % len(waiting))
                served_while_head.pop(waiter, None)
                await processes[0].leave(waiter)
            elif what == "tick":
                if in_window:
                    await processes[0].redis.zpopmin(processes[0].rate)
                    in_window -= 1
                lookers = list(waiting)
                arg.shuffle(lookers)
                for index, (waiter, fair_key) in enumerate(lookers):
                    if (waiter, fair_key) in waiting:
                        await look(index, waiter, fair_key)
            # Nothing idles while someone waits: a free call is always taken at the next look.
            assert not (waiting and in_window < limit and what == "tick"), "a free call was left unused"
        # A key's requests are served in the order they came.
        assert await processes[0].depth() == len(waiting)
    finally:
        for queue in processes:
            await queue.redis.aclose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS, limit=st.integers(1, 3))
def test_no_key_is_served_twice_while_another_keys_request_waits(redis_clients, actions, limit):
    asyncio.run(_replay(redis_clients, actions, limit))


def _heads(waiting: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The oldest waiting request of each key."""
    seen: dict[str, str] = {}
    for waiter, key in waiting:
        seen.setdefault(key, waiter)
    return [(waiter, key) for key, waiter in seen.items()]


def test_fair_order_takes_one_request_per_key_each_round_least_recently_served_key_first():
    waiters = [Waiter(f"a{i}", "A", float(i)) for i in range(4)] + [Waiter("b0", "B", 10.0), Waiter("c0", "C", 11.0)]
    order = [w.id for w in fair_order(waiters, {"A": 5, "B": 7})]
    # C was never served, A longer ago than B: C, A, B, then A's remaining requests in turn.
    assert order == ["c0", "a0", "b0", "a1", "a2", "a3"]


async def test_a_dead_waiter_at_the_head_holds_back_one_call_at_most(redis_clients):
    client = redis_clients()
    queue = FairQueue(client, f"fair-test:{uuid.uuid4().hex[:8]}", "service:images")

    async def look(waiter: str, key: str):  # type: ignore[no-untyped-def]
        return await queue.look(waiter, key, limit=2, period=3600, pause=None, pace=None, lease=60, pace_of=None)

    try:
        await client.zadd(queue.rate, {"one": 1e12, "two": 1e12})  # the window is full
        assert (await look("dead", "A")).position == 0  # it waits, then its worker dies
        assert (await look("alive", "B")).position == 1
        await client.zpopmin(queue.rate)  # one call free: it is the head's, though the head is silent
        assert not (await look("alive", "B")).granted
        await client.zpopmin(queue.rate)  # calls pile up behind the silent head: the next waiter goes
        assert (await look("alive", "B")).granted
    finally:
        await client.aclose()


async def test_a_waiter_whose_lease_ran_out_is_dropped_from_the_queue(redis_clients):
    client = redis_clients()
    queue = FairQueue(client, f"fair-test:{uuid.uuid4().hex[:8]}", "service:images")
    try:
        await client.zadd(queue.rate, {"full": 1e12})
        await queue.look("dead", "A", limit=1, period=3600, pause=None, pace=None, lease=0.05, pace_of=None)
        await asyncio.sleep(0.1)  # its worker died: it never looks again
        turn = await queue.look("alive", "B", limit=1, period=3600, pause=None, pace=None, lease=60, pace_of=None)
        assert turn.position == 0
        assert await queue.depth() == 1
    finally:
        await client.aclose()


async def test_a_cancelled_wait_leaves_the_queue(embedded):
    import fakeredis

    limits = Limits(fakeredis.FakeAsyncRedis(), "fair-test")
    await limits.take("service:images", 1, 3600.0, fair_key="A")  # the only call in the hour
    waiting = asyncio.create_task(limits.take("service:images", 1, 3600.0, fair_key="B", max_wait=math.inf))
    while await limits.waiting("service:images") == 0:
        await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await limits.waiting("service:images") == 0


async def test_a_turn_beyond_the_longest_wait_is_refused_with_an_estimate_and_keeps_no_place(embedded):
    import fakeredis

    limits = Limits(fakeredis.FakeAsyncRedis(), "fair-test")
    for _ in range(2):
        assert (await limits.take("service:images", 2, 60.0, fair_key="A"))[0]
    granted, eta = await limits.take("service:images", 2, 60.0, fair_key="B", max_wait=5.0)
    assert not granted and 50 < eta <= 60
    assert await limits.waiting("service:images") == 0


async def test_one_users_run_is_not_kept_behind_another_users_many_runs(backend, make_engine):
    """Eight runs of one user wait for a rate-limited call; a run of another user sent while
    they wait is served within one call of its arrival, not after all eight (two workers)."""
    db_url, redis_url = backend
    registry = Registry()
    calls: list[str] = []

    @workflow("draw", trigger="draw/start", registry=registry, fair_key="event.data.user")
    async def draw(ctx):
        return await ctx.step.run("picture", lambda: calls.append(ctx.event.data["user"]), rate_limit="images")

    limits = {"images": RateLimit("images", limit=1, period="400ms")}
    first = make_engine(db_url, redis_url, registry, rate_limits=limits)
    second = make_engine(db_url, redis_url, registry, rate_limits=limits, queue_name=first.config.queue_name,
                         key_prefix=first.config.key_prefix)
    if not redis_url:  # embedded engines do not share an in-process Redis: one worker does
        second = first
    async with first, second, first.worker(), (second.worker() if second is not first else _nothing()):
        many = [r for n in range(8) for r in (await first.send_event("draw/start", {"user": "many", "n": n})).started]
        while len(calls) < 2:
            await asyncio.sleep(0.01)
        before = len(calls)
        one = (await first.send_event("draw/start", {"user": "one"})).started
        for run_id in many + one:
            await wait_for_run(db_url, run_id, timeout=60)
    assert sorted(calls) == ["many"] * 8 + ["one"]
    # One call of "many" may be granted while the run of "one" is starting, one more is its turn.
    assert calls.index("one") <= before + 2, calls


class _nothing:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


def test_an_event_without_the_fair_key_is_refused_before_anything_is_stored(embedded):
    registry = Registry()

    @workflow("draw", trigger="draw/start", registry=registry, fair_key="event.data.user")
    async def draw(ctx):
        return None

    from bookbug.engine import Engine, list_runs
    from tests.engine.conftest import fast_config

    db_url, _ = embedded

    async def send() -> None:
        async with Engine(fast_config(db_url), registry) as engine:
            await engine.send_event("draw/start", {"n": 1})

    with pytest.raises(ValueError, match="user"):
        asyncio.run(send())
    assert list_runs(db_url) == []


async def test_a_call_waiting_while_its_run_works_on_keeps_its_place_instead_of_leaving_the_queue(
    embedded, make_engine
):
    """Leaving the queue (deferring the step) frees a worker only when the run has nothing else
    to do; while a sibling branch works, the waiting call keeps its place and its turn."""
    db_url, redis_url = embedded
    registry = Registry()
    drawn: list[str] = []

    def work() -> str:
        import time

        time.sleep(1.5)
        return "worked"

    @workflow("both", trigger="both/start", registry=registry, fair_key="event.data.user")
    async def both(ctx):
        def draw(name: str):  # type: ignore[no-untyped-def]
            return ctx.step.run("draw", lambda: drawn.append(name), rate_limit="images")

        return await ctx.step.parallel("p", {"work": lambda: ctx.step.run("work", work),
                                             "a": lambda: draw("a"), "b": lambda: draw("b")})

    # The second call's turn is 0.2 s away: longer than a call may wait before leaving (0.05 s),
    # within the patience of a run that works on (6 such waits).
    engine = make_engine(db_url, redis_url, registry, max_inline_rate_wait=0.05,
                         rate_limits={"images": RateLimit("images", limit=1, period="200ms")})
    async with engine, engine.worker():
        run_id = (await engine.send_event("both/start", {"user": "u"})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=30)
    assert run.status.value == "completed", run.error
    assert sorted(drawn) == ["a", "b"]
    assert run.attempts == 1  # one execution: nothing was sent away to come back later
