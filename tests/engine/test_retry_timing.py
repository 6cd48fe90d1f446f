"""A retry never comes early: a step's back-off (or the Retry-After a provider gave) is stored
with the step and honoured by every replay, inside `parallel` too, where sibling branches make
the run resume sooner than that step is due."""

from __future__ import annotations

import asyncio
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbug.engine import Registry, workflow
from bookbug.engine.durations import seconds
from bookbug.resilience import RetryableError
from tests.engine.conftest import wait_for_run


def _flaky_workflow(registry: Registry, retry_after: float, calls: list[float], nap: str) -> None:
    """Branch "told" is told to wait `retry_after`; its siblings make the run resume sooner: one
    sleeps `nap`, one is told to come back after `nap` (three times)."""
    sibling_calls: list[float] = []
    @workflow("storm", trigger="storm/start", registry=registry)
    async def storm(ctx):
        def told_to_wait() -> str:
            calls.append(time.monotonic())
            if len(calls) == 1:
                raise RetryableError("429 Too Many Requests", retry_after=retry_after)
            return "drawn"

        async def told() -> str:
            return await ctx.step.run("picture", told_to_wait)

        async def napper() -> str:
            await ctx.step.sleep("nap", nap)  # this branch makes the run resume early
            await ctx.step.run("after-nap", lambda: "rested")
            return "rested"

        def briefly_busy() -> str:
            sibling_calls.append(time.monotonic())
            if len(sibling_calls) <= 3:
                raise RetryableError("503 busy", retry_after=seconds(nap))
            return "done"

        async def busy() -> str:
            return await ctx.step.run("busy", briefly_busy)

        return await ctx.step.parallel("pages", {"told": told, "napper": napper, "busy": busy})


async def test_a_retry_after_inside_parallel_is_honoured_though_a_sibling_resumes_the_run_sooner(
        embedded, make_engine):
    db_url, redis_url = embedded
    registry, calls = Registry(), []
    _flaky_workflow(registry, retry_after=1.5, calls=calls, nap="50ms")
    engine = make_engine(db_url, redis_url, registry, retry_cap=5.0)
    async with engine, engine.worker():
        run_id = (await engine.send_event("storm/start", {})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=15)
    assert run.status.value == "completed", run.error
    assert run.output == {"told": "drawn", "napper": "rested", "busy": "done"}
    assert len(calls) == 2
    assert calls[1] - calls[0] >= 1.5 - 0.05, f"retried {calls[1] - calls[0]:.2f} s after being told 1.5 s"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(retry_after=st.floats(0.2, 1.0), nap_ms=st.integers(1, 400))
async def test_no_schedule_of_sibling_wake_ups_makes_a_retry_early(backend, make_engine, retry_after, nap_ms):
    db_url, redis_url = backend
    registry, calls = Registry(), []
    _flaky_workflow(registry, retry_after=retry_after, calls=calls, nap=f"{nap_ms}ms")
    engine = make_engine(db_url, redis_url, registry, retry_cap=5.0)
    async with engine, engine.worker():
        run_id = (await engine.send_event("storm/start", {})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=15)
        await asyncio.sleep(0)
    assert run.status.value == "completed", run.error
    assert calls[1] - calls[0] >= retry_after - 0.05
