"""Retryable failures back off (honouring Retry-After) up to the attempt limit; fatal ones fail at once."""

from __future__ import annotations

import time

from bookbug.engine import Registry, run_steps, workflow
from bookbug.resilience import FatalError, RetryableError
from tests.engine.conftest import wait_for_run


async def test_429_with_retry_after_is_retried_no_sooner_than_asked_and_then_succeeds(backend, make_engine):
    db_url, redis_url = backend
    tries: list[float] = []
    registry = Registry()

    async def flaky() -> str:
        tries.append(time.monotonic())
        if len(tries) < 3:
            raise RetryableError("rate limited (429)", retry_after=0.4, service="replicate", status=429)
        return "picture"

    @workflow("retry", trigger="retry/start", registry=registry)
    async def retry(ctx):
        return await ctx.step.run("illustrate", flaky)

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("retry/start", {})).started[0]
        run = await wait_for_run(db_url, run_id)

    assert run.status.value == "completed", run.error
    assert run.output == "picture"
    assert len(tries) == 3
    gaps = [b - a for a, b in zip(tries, tries[1:])]
    assert all(gap >= 0.4 for gap in gaps), gaps  # retry_base is 0.01 s: only Retry-After explains this
    [step] = run_steps(db_url, run_id)
    assert (step.status.value, step.attempts, step.error) == ("completed", 3, None)


async def test_fatal_error_fails_the_run_after_one_attempt_with_its_message(embedded, make_engine):
    db_url, redis_url = embedded
    tries = 0
    registry = Registry()

    def bad_request() -> None:
        nonlocal tries
        tries += 1
        raise FatalError("The prompt was rejected as invalid: remove the brand names and try again.")

    @workflow("fatal", trigger="fatal/start", registry=registry)
    async def fatal(ctx):
        await ctx.step.run("write", bad_request)
        await ctx.step.run("never", lambda: None)

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("fatal/start", {})).started[0]
        run = await wait_for_run(db_url, run_id)

    assert run.status.value == "failed"
    assert tries == 1
    assert "remove the brand names" in run.error and "'write'" in run.error
    [step] = run_steps(db_url, run_id)
    assert (step.step_id, step.status.value, step.attempts) == ("write", "failed", 1)
    assert "remove the brand names" in step.error


async def test_retryable_error_fails_the_run_when_attempts_run_out(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()

    def always_busy() -> None:
        raise RetryableError("the service is overloaded (529)")

    @workflow("exhaust", trigger="exhaust/start", registry=registry)
    async def exhaust(ctx):
        await ctx.step.run("call", always_busy, attempts=3)

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("exhaust/start", {})).started[0]
        run = await wait_for_run(db_url, run_id)

    assert run.status.value == "failed"
    assert "after 3 attempts" in run.error and "overloaded" in run.error
    assert run_steps(db_url, run_id)[0].attempts == 3


async def test_a_replay_meeting_different_steps_fails_with_a_changed_workflow_error(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    version = {"n": 1}

    @workflow("changing", trigger="changing/start", registry=registry)
    async def changing(ctx):
        await ctx.step.run("first" if version["n"] == 1 else "renamed", lambda: 1)
        await ctx.step.wait_for_event("go", event="changing/go", timeout="10s")
        return "done"

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("changing/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
        version["n"] = 2  # a deploy changed the workflow while the run was suspended
        await engine.send_event("changing/go", {})
        run = await wait_for_run(db_url, run_id)

    assert run.status.value == "failed"
    assert "the workflow changed while this run was in flight" in run.error
    assert "'first'" in run.error and "'renamed'" in run.error


async def test_a_step_whose_worker_dies_on_every_attempt_fails_instead_of_looping(embedded, make_engine):
    from bookbug.db.session import session_scope, utcnow
    from bookbug.engine.tables import Step

    db_url, redis_url = embedded
    registry = Registry()

    @workflow("poison", trigger="poison/start", registry=registry)
    async def poison(ctx):
        await ctx.step.run("explode", lambda: "never reached", attempts=2)

    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        run_id = (await engine.send_event("poison/start", {})).started[0]
        # As the database looks after two workers died in the middle of the step:
        with session_scope(db_url) as session:
            session.add(Step(run_id=run_id, step_key="explode", status="running", attempts=2, started_at=utcnow()))
        async with engine.worker():
            run = await wait_for_run(db_url, run_id)
    assert run.status.value == "failed"
    assert "worker stopped in the middle of all 2 attempts" in run.error


async def test_reusing_an_event_id_for_another_event_name_is_refused(embedded, make_engine):
    import pytest

    db_url, redis_url = embedded
    engine = make_engine(db_url, redis_url, [])
    async with engine:
        await engine.send_event("a/happened", {}, id="key-1")
        with pytest.raises(ValueError, match="already used by a 'a/happened' event"):
            await engine.send_event("b/happened", {}, id="key-1")
