"""Deploys: a worker process told to stop (SIGTERM) takes no more work, lets its running step
finish and be checkpointed, hands the run straight back, and exits; another worker carries on.

The stale limit is set far beyond the tests' patience, so a run that continues at all was
handed back by the stopping worker, never found dead by the sweep.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from bookbug.engine import run_steps
from tests.engine.conftest import fast_config, wait_for_run, with_tables
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop
from tests.support.engine import step_log, until

NEVER_STALE = dict(stale_after=120.0, heartbeat_interval=0.5, sweep_interval=1.0, requeue_grace=120.0)


def _engine(make_engine, postgres_url: str, redis_url: str, grace: float):  # type: ignore[no-untyped-def]
    db_url = with_tables(postgres_url)
    config = fast_config(db_url, redis_url, shutdown_grace=grace, **NEVER_STALE)
    return db_url, make_engine(db_url, redis_url, process_flows, **{
        k: getattr(config, k) for k in ("queue_name", "key_prefix", "shutdown_grace", *NEVER_STALE)})


async def test_a_stopping_worker_finishes_its_running_step_and_another_worker_carries_on(
    postgres_url, redis_url, make_engine, tmp_path
):
    db_url, engine = _engine(make_engine, postgres_url, redis_url, grace=30.0)
    await engine.start()
    first = start_worker(engine.config, tmp_path / "worker1.log")
    second = None
    try:
        run_id = (await engine.send_event("long-step/start", {"folder": str(tmp_path), "seconds": 1.5})).started[0]
        await until(lambda: ["start", "slow"] in [e[:2] for e in step_log(tmp_path)], 30, "the slow step to start")
        second = start_worker(engine.config, tmp_path / "worker2.log")
        first.send_signal(signal.SIGTERM)  # a deploy: the step in flight may finish
        assert first.wait(timeout=60) == 0
        run = await wait_for_run(db_url, run_id, timeout=40)
    finally:
        stop(first)
        if second is not None:
            stop(second)

    assert run.status.value == "completed", run.error
    lines = step_log(tmp_path)
    by = {(kind, name): int(pid) for kind, name, _, pid in lines}
    assert [line[:2] for line in lines] == [["start", "slow"], ["end", "slow"], ["start", "after"]]
    assert by[("end", "slow")] == first.pid  # it finished where it began: not cut off, not run twice
    assert by[("start", "after")] == second.pid  # the next step ran on the other worker
    slow = next(s for s in run_steps(db_url, run_id) if s.step_id == "slow")
    assert slow.status.value == "completed" and slow.attempts == 1


async def test_a_step_longer_than_the_grace_is_cut_off_and_its_run_handed_back_at_once(
    postgres_url, redis_url, make_engine, tmp_path
):
    db_url, engine = _engine(make_engine, postgres_url, redis_url, grace=0.5)
    await engine.start()
    first = start_worker(engine.config, tmp_path / "worker1.log")
    second = None
    try:
        run_id = (await engine.send_event("crashy/start", {"folder": str(tmp_path)})).started[0]
        await until(lambda: ["start", "middle"] in [e[:2] for e in step_log(tmp_path)], 30, "the held step to start")
        second = start_worker(engine.config, tmp_path / "worker2.log")
        os.kill(first.pid, signal.SIGTERM)
        assert first.wait(timeout=60) == 0
        await until(lambda: [e[:2] for e in step_log(tmp_path)].count(["start", "middle"]) == 2, 40,
                     "the cut-off step to start again on the other worker")
        (Path(tmp_path) / "release").touch()
        run = await wait_for_run(db_url, run_id, timeout=40)
    finally:
        stop(first)
        if second is not None:
            stop(second)

    assert run.status.value == "completed", run.error
    starts = [(name, int(pid)) for kind, name, _, pid in step_log(tmp_path) if kind == "start"]
    assert starts == [("before", first.pid), ("middle", first.pid), ("middle", second.pid), ("after", second.pid)]
