"""What the engine shows an operator, in Prometheus terms.

Counted where it happens, in the process it happens in (a worker's own /metrics): steps
finished and how long they took, retries and failures by service and kind of failure, the
pauses a 429 caused, runs that ended. Read when scraped, the same from any process
(`EngineCollector`): runs by status, jobs in the queue, calls waiting at each rate limit,
and each service's pause and pace.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

log = logging.getLogger("bookbug.engine")

STEP_SECONDS = Histogram(
    "bookbug_engine_step_seconds", "Seconds a step took, by workflow and step function (its kind of work)",
    ["workflow", "step"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128))
STEP_RETRIES = Counter("bookbug_engine_step_retries_total", "Step attempts that failed and will be tried again",
                       ["service", "kind"])
STEP_FAILURES = Counter("bookbug_engine_step_failures_total", "Steps that failed for good", ["service", "kind"])
SERVICE_PAUSES = Counter("bookbug_engine_service_pauses_total",
                         "Pauses of a service for every worker after a 429 with Retry-After", ["service"])
SERVICE_SLOWDOWNS = Counter("bookbug_engine_service_slowdowns_total",
                            "Times a service's pace was halved after an overload", ["service"])
RUNS_ENDED = Counter("bookbug_engine_runs_ended_total", "Runs that ended here, by workflow and status",
                     ["workflow", "status"])
EXECUTIONS = Gauge("bookbug_engine_executions_in_flight", "Runs executing in this process now")
HANDED_BACK = Counter("bookbug_engine_handed_back_total",
                      "Runs this process handed back to the queue while shutting down")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def label(value: Any) -> str:
    return "none" if value is None else str(value)


class EngineCollector(Collector):
    """Gauges read from the database and Redis when scraped (synchronously: scrape it off the
    event loop, as the servers here do)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._redis: Any = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from bookbug.engine.queries import count_runs_by_status
        from bookbug.engine.tables import RunStatus

        config = self.engine.config
        runs = GaugeMetricFamily("bookbug_engine_runs", "Runs by status", labels=["status"])
        try:
            counts = count_runs_by_status(config.db_url)
            for status in RunStatus:
                runs.add_metric([status.value], counts.get(status, 0))
        except Exception:  # a scrape must answer even when the database does not
            log.warning("metrics: could not count runs", exc_info=True)
        yield runs
        queue = GaugeMetricFamily("bookbug_engine_queue_jobs",
                                  "Jobs in the queue: due and waiting for a worker, running, or due later",
                                  labels=["state"])
        waiting = GaugeMetricFamily("bookbug_engine_rate_waiting",
                                    "Calls waiting for their turn at a service's rate limit", labels=["service"])
        paused = GaugeMetricFamily("bookbug_engine_service_paused_seconds",
                                   "Seconds until a paused service may be called again", labels=["service"])
        pace = GaugeMetricFamily("bookbug_engine_service_pace",
                                 "Share of its rate limit a service may use now (1 unless overloaded)",
                                 labels=["service"])
        try:
            redis = self._client()
            from arq.constants import in_progress_key_prefix

            # ARQ keeps a job in its queue while it runs (an in-progress key marks it taken).
            due = redis.zrangebyscore(config.queue_name, "-inf", int(time.time() * 1000))
            running = int(redis.exists(*[in_progress_key_prefix + _text(job) for job in due])) if due else 0
            queue.add_metric(["waiting"], len(due) - running)
            queue.add_metric(["running"], running)
            queue.add_metric(["later"], int(redis.zcard(config.queue_name)) - len(due))
            for service in self._services():
                waiting.add_metric([service], self._waiting(redis, f"service:{service}"))
                until = float(redis.get(f"{config.key_prefix}:pause:{service}") or 0)
                paused.add_metric([service], max(0.0, until - self._redis_now(redis)))
                pace.add_metric([service], self._pace(redis, service))
        except Exception:
            log.warning("metrics: could not read the queue and limits from Redis", exc_info=True)
        yield from (queue, waiting, paused, pace)

    def _client(self) -> Any:
        if self._redis is None:
            self._redis = self.engine._sync_redis()
        return self._redis

    def _services(self) -> list[str]:
        config = self.engine.config
        rules = config.rate_limits_source() if config.rate_limits_source else config.rate_limits
        return sorted(rules)

    def _waiting(self, redis: Any, key: str) -> int:
        prefix = self.engine.config.key_prefix
        now = self._redis_now(redis)
        alive = {w for w, _ in redis.zrangebyscore(f"{prefix}:fairl:{key}", now, "+inf", withscores=True)}
        return sum(1 for w in redis.hkeys(f"{prefix}:fairq:{key}") if w in alive)

    def _pace(self, redis: Any, service: str) -> float:
        from bookbug.engine.limits import _pace

        return _pace(redis.hgetall(f"{self.engine.config.key_prefix}:pace:{service}"), self._redis_now(redis))

    @staticmethod
    def _redis_now(redis: Any) -> float:
        seconds, micros = redis.time()
        return int(seconds) + int(micros) / 1_000_000

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()
            self._redis = None
