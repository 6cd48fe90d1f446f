"""A worker process's /metrics and /healthz: what an operator and an orchestrator can see."""

from __future__ import annotations

import signal

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bookbug.engine import RateLimit, Registry, check_worker, workflow
from tests.app_server import free_port
from tests.engine.conftest import fast_config, wait_for_run, with_tables
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop
from tests.support.engine import step_log, until


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def _get(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(url)


async def test_a_worker_serves_its_metrics_and_health_and_says_when_it_is_stopping(
    postgres_url, redis_url, make_engine, tmp_path
):
    db_url = with_tables(postgres_url)
    port = free_port()
    config = fast_config(db_url, redis_url, http_port=port, shutdown_grace=30.0)
    engine = make_engine(db_url, redis_url, process_flows, queue_name=config.queue_name,
                         key_prefix=config.key_prefix)
    await engine.start()
    worker = start_worker(config, tmp_path / "worker.log")
    try:
        await until(lambda: check_worker(port) == 0, 30, "the worker's health check to pass")
        first = (await engine.send_event("long-step/start", {"folder": str(tmp_path), "seconds": 0})).started[0]
        await wait_for_run(db_url, first)
        seen = samples((await _get(f"http://127.0.0.1:{port}/metrics")).text)
        assert seen[("bookbug_engine_runs", (("status", "completed"),))] == 1
        assert seen[("bookbug_engine_step_seconds_count", (("step", "slow"), ("workflow", "long-step")))] == 1
        assert seen[("bookbug_engine_runs_ended_total", (("status", "completed"), ("workflow", "long-step")))] == 1
        assert seen[("bookbug_engine_queue_jobs", (("state", "waiting"),))] == 0

        await engine.send_event("long-step/start", {"folder": str(tmp_path), "seconds": 3})
        await until(lambda: [e[:2] for e in step_log(tmp_path)].count(["start", "slow"]) == 2, 30, "the slow step")
        worker.send_signal(signal.SIGTERM)
        await until(lambda: check_worker(port) == 1, 10, "the health check to say it is stopping")
        answer = await _get(f"http://127.0.0.1:{port}/healthz")
        assert answer.status_code == 503 and answer.json() == {"status": "stopping"}
        assert worker.wait(timeout=60) == 0
    finally:
        stop(worker)
    assert check_worker(port) == 1  # gone


async def test_metrics_count_retries_and_failures_by_service_and_kind_and_calls_waiting_by_service(
    embedded, make_engine
):
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

    from bookbug.engine import EngineCollector
    from bookbug.resilience import RetryableError

    db_url, redis_url = embedded
    registry = Registry()

    def refuse() -> None:
        raise RetryableError("too many", 0.01, service="images", status=429, kind="rate_limited")

    @workflow("refused", trigger="refused/start", registry=registry)
    async def refused(ctx):
        return await ctx.step.run("picture", refuse, attempts=2)

    engine = make_engine(db_url, redis_url, registry, rate_limits={"images": RateLimit("images", 10, "1s")})
    before = samples(generate_latest(REGISTRY).decode())
    async with engine, engine.worker():
        run_id = (await engine.send_event("refused/start", {})).started[0]
        await wait_for_run(db_url, run_id)
        own = CollectorRegistry()  # this engine's gauges; the process's counters are in REGISTRY
        collector = EngineCollector(engine)
        own.register(collector)
        try:
            after = samples(generate_latest(REGISTRY).decode() + generate_latest(own).decode())
        finally:
            collector.close()

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("bookbug_engine_step_retries_total", service="images", kind="rate_limited") == 1
    assert grew("bookbug_engine_step_failures_total", service="images", kind="rate_limited") == 1
    assert grew("bookbug_engine_service_pauses_total", service="images") == 1
    assert after[("bookbug_engine_rate_waiting", (("service", "images"),))] == 0
    assert after[("bookbug_engine_runs", (("status", "failed"),))] == 1


async def test_queue_depth_counts_jobs_waiting_for_a_worker_apart_from_those_running_and_those_due_later(
    embedded, make_engine
):
    from prometheus_client import CollectorRegistry, generate_latest

    from bookbug.engine import EngineCollector

    db_url, redis_url = embedded
    engine = make_engine(db_url, redis_url, Registry())
    async with engine:  # no worker: nothing takes the jobs
        for n in range(3):
            await engine.enqueue_run(f"run-{n}", 1)
        await engine.enqueue_run("run-later", 1, delay=600)
        await engine.redis.set(f"arq:in-progress:{engine.job_id('run-0', 1)}", b"1")  # a worker took this one
        registry = CollectorRegistry()
        collector = EngineCollector(engine)
        registry.register(collector)
        try:
            seen = samples(generate_latest(registry).decode())
        finally:
            collector.close()
    assert seen[("bookbug_engine_queue_jobs", (("state", "waiting"),))] == 2
    assert seen[("bookbug_engine_queue_jobs", (("state", "running"),))] == 1
    assert seen[("bookbug_engine_queue_jobs", (("state", "later"),))] == 1
