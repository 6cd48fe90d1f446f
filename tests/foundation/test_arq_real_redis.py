"""arq 0.28 runs on redis-py 7 against a real Redis: enqueue, results, Retry with defer, abort.

arq is installed without its stale `redis<6` pin (see requirements-arq.txt); this test is what
keeps that choice honest.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import JobStatus
from arq.worker import Retry, Worker

attempt_times: list[float] = []


async def add(ctx, a: int, b: int) -> int:
    return a + b


async def flaky(ctx) -> str:
    attempt_times.append(time.monotonic())
    if ctx["job_try"] < 2:
        raise Retry(defer=0.3)
    return f"ok on try {ctx['job_try']}"


async def slow(ctx) -> None:
    await asyncio.sleep(30)


@pytest.fixture
async def pool(redis_url: str):
    settings = RedisSettings.from_dsn(redis_url)
    redis = await create_pool(settings)
    yield redis, settings
    await redis.aclose()


def make_worker(settings: RedisSettings, queue: str, **kwargs) -> Worker:
    return Worker(functions=[add, flaky, slow], redis_settings=settings, queue_name=queue,
                  burst=True, poll_delay=0.05, handle_signals=False, **kwargs)


async def test_a_job_enqueued_on_real_redis_runs_and_returns_its_result(pool) -> None:
    redis, settings = pool
    queue = f"arq-test-{uuid.uuid4().hex}"
    job = await redis.enqueue_job("add", 2, 3, _queue_name=queue, _job_id=f"add-{queue}")
    duplicate = await redis.enqueue_job("add", 2, 3, _queue_name=queue, _job_id=f"add-{queue}")
    assert duplicate is None  # the same job id is never queued twice
    worker = make_worker(settings, queue)
    await worker.main()
    await worker.close()
    assert await job.result(timeout=5) == 5


async def test_retry_with_defer_runs_again_no_sooner_than_the_defer(pool) -> None:
    redis, settings = pool
    attempt_times.clear()
    queue = f"arq-test-{uuid.uuid4().hex}"
    job = await redis.enqueue_job("flaky", _queue_name=queue)
    worker = make_worker(settings, queue)
    await worker.main()
    await worker.close()
    assert await job.result(timeout=5) == "ok on try 2"
    assert attempt_times[1] - attempt_times[0] >= 0.3


async def test_a_queued_job_can_be_aborted(pool) -> None:
    redis, settings = pool
    queue = f"arq-test-{uuid.uuid4().hex}"
    job = await redis.enqueue_job("slow", _queue_name=queue, _defer_by=0.5)
    worker = make_worker(settings, queue, allow_abort_jobs=True)
    run = asyncio.create_task(worker.main())
    assert await job.abort(timeout=5)
    await asyncio.wait_for(run, 10)
    await worker.close()
    assert await job.status() in (JobStatus.complete, JobStatus.not_found)
