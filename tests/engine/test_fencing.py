"""Fencing: every write an execution makes is conditional on its generation.

An execution presumed dead while it was only slow (its run handed to a newer generation) may
still be running. Whatever it tries to write afterwards (a step's start, result or failure,
progress, the run's end or suspension) is refused, and a completed step is never reset or
overwritten, in any order of events.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bookbug.db.session import get_engine
from bookbug.engine import Registry, workflow
from bookbug.engine import checkpoints
from bookbug.engine.errors import Cancelled, Superseded
from bookbug.engine.tables import Run, RunStatus, Step, StepStatus
from tests.engine.conftest import wait_for_run

RUNS, STEPS = Run.__table__, Step.__table__  # type: ignore[attr-defined]

# One step, several executions of one run racing over it. An operation is (who, what): `who`
# names an execution by the order it was handed the run (0 is the first); the sweep's
# hand-over makes a new one.
OPERATIONS = st.lists(st.one_of(
    st.just(("sweep", "hand-over")),
    st.tuples(st.integers(0, 3), st.sampled_from(["start", "complete", "fail", "retry", "end", "suspend"])),
), min_size=1, max_size=30)


def _fresh_run(db_url: str) -> str:
    run_id = checkpoints.new_id()
    with get_engine(db_url).begin() as conn:
        conn.execute(RUNS.insert().values(id=run_id, workflow="w", status=RunStatus.running.value, generation=1,
                                          attempts=1, cancel_requested=False))
    return run_id


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_no_interleaving_lets_a_stale_execution_write_or_a_completed_step_change(embedded, operations):
    db_url, _ = embedded
    run_id = _fresh_run(db_url)
    engine = get_engine(db_url)
    generations = [1]  # the generation each execution was handed, in order
    records: dict[int, checkpoints.StepRecord | None] = {}
    completed: tuple[int, object] | None = None  # (by generation, output) once the step completed
    for who, what in operations:
        with engine.begin() as conn:
            current = conn.execute(select(RUNS.c.generation, RUNS.c.status).where(RUNS.c.id == run_id)).one()
        if (who, what) == ("sweep", "hand-over"):
            with engine.begin() as conn:
                handed = checkpoints.hand_back(conn, run_id, from_status=current.status, generation=current.generation)
                if handed is not None:  # the new execution claims it at once
                    conn.execute(RUNS.update().where(RUNS.c.id == run_id).values(status=RunStatus.running.value))
                    generations.append(handed.generation)
            continue
        if who >= len(generations):
            continue
        generation = generations[who]
        stale = generation != current.generation or current.status != RunStatus.running.value
        output = f"by generation {generation}, op {len(records)}"
        try:
            with engine.begin() as conn:
                if what == "start":
                    with engine.begin() as read:
                        existing = checkpoints.load_steps(read, run_id).get("charge")
                    records[who] = checkpoints.start_step(conn, run_id, generation, existing, key="charge", scope="",
                                                          position=0, kind="run", fn="charge")
                elif what in ("complete", "fail", "retry") and records.get(who) is not None:
                    record = records[who]
                    assert record is not None
                    if what == "complete":
                        checkpoints.complete_step(conn, run_id, generation, record, output)
                    else:
                        status = StepStatus.failed if what == "fail" else StepStatus.retrying
                        checkpoints.fail_step(conn, run_id, generation, record, status, "no", retry_in=1.0)
                elif what == "end":
                    ended = checkpoints.finish(conn, run_id, generation, RunStatus.completed)
                    assert not (ended and stale), "a stale execution ended the run"
                elif what == "suspend":
                    suspended = checkpoints.suspend_waiting(conn, run_id, generation, [])
                    assert not (suspended and stale), "a stale execution suspended the run"
                else:
                    continue
        except (Superseded, Cancelled):
            assert stale, f"generation {generation} owns the run and was refused"
            continue
        assert not stale or what in ("end", "suspend") or records.get(who) is None, \
            f"a stale execution (generation {generation}) was allowed to {what}"
        with engine.begin() as conn:
            row = conn.execute(select(STEPS.c.status, STEPS.c.output).where(STEPS.c.run_id == run_id)).first()
        if completed is not None:
            assert row is not None and (row.status, row.output) == ("completed", completed[1]), \
                "a completed step changed"
        elif row is not None and row.status == "completed":
            completed = (generation, row.output)


async def test_a_late_execution_cannot_overwrite_what_its_successor_already_used(embedded, make_engine):
    """The review's case: the sweep takes a slow execution for dead; its successor runs the step
    and goes on with the result; then the slow one finishes. Its result is dropped."""
    db_url, redis_url = embedded
    registry = Registry()
    release = {1: asyncio.Event(), 2: asyncio.Event()}
    calls: list[int] = []

    @workflow("charge", trigger="charge/start", registry=registry)
    async def charge(ctx):
        async def pay() -> str:
            generation = len(calls) + 1
            calls.append(generation)
            await release[generation].wait()
            return f"paid by execution {generation}"

        receipt = await ctx.step.run("charge", pay)
        used = await ctx.step.run("use", lambda: receipt)
        return used

    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        run_id = (await engine.send_event("charge/start", {})).started[0]
        first = asyncio.create_task(engine.execute(run_id, 1))
        while not calls:
            await asyncio.sleep(0.01)
        # The sweep's verdict on a run whose heartbeat stopped: hand it to a new execution.
        assert await engine.requeue(run_id, RunStatus.running, 1, delay=0)
        second = asyncio.create_task(engine.execute(run_id, 2))
        release[2].set()
        await second
        run = await wait_for_run(db_url, run_id)
        assert (run.status.value, run.output) == ("completed", "paid by execution 2")
        release[1].set()  # the slow one finishes last
        await first
    with get_engine(db_url).begin() as conn:
        stored = dict(conn.execute(select(STEPS.c.step_key, STEPS.c.output).where(STEPS.c.run_id == run_id)).all())
    assert stored == {"charge": "paid by execution 2", "use": "paid by execution 2"}
