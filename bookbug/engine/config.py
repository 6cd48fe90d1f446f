"""How one engine is wired: which database, which Redis (none: embedded), which queue, how patient."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bookbug.engine.workflow import RateLimit


@dataclass(frozen=True)
class RetryPolicy:
    """How hard a step is tried when a call to one service fails: attempts in all, and the
    full-jitter back-off between `base` and `cap` seconds (a Retry-After overrides it)."""

    attempts: int
    base: float
    cap: float

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base <= 0 or self.cap < self.base:
            raise ValueError(f"a retry policy needs attempts >= 1 and 0 < base <= cap, got {self}")


@dataclass(frozen=True)
class EngineConfig:
    db_url: str
    redis_url: str = ""  # empty: embedded mode, an in-process Redis stand-in (fakeredis)
    queue_name: str = "bookbug:engine"
    key_prefix: str = "bookbug"  # every Redis key and channel the engine owns starts with this

    # durability: a running execution writes a heartbeat every `heartbeat_interval` (from a
    # thread, so a busy event loop cannot starve it); the sweep (every `sweep_interval`) hands
    # runs whose heartbeat is older than `stale_after` to a new execution, and re-sends work
    # that Redis should hold but has not started `requeue_grace` after it was due. Fencing makes
    # an early takeover of a run that was only slow safe, so the limit can be short.
    heartbeat_interval: float = 2.0
    stale_after: float = 6.0
    sweep_interval: float = 2.0
    requeue_grace: float = 10.0
    # An event loop silent this long is stuck, not busy: its runs get no more heartbeats.
    loop_stall_limit: float = 600.0

    # retention: finished runs and old events are deleted this long after they ended (seconds);
    # `retention_source`, when set, is asked instead (an operator's setting, changed at run time)
    retention: float = 30 * 86400.0
    retention_source: Callable[[], float] | None = None
    prune_interval: float = 60.0

    # PostgreSQL: wait for the WAL flush when a step completes (the checkpoint survives even
    # a database-server crash). False trades that for speed (~3 ms less per step here): after a
    # server crash, steps completed in its last moments would run again.
    durable_completions: bool = True

    # retries: full-jitter exponential backoff between `retry_base` and `retry_cap` seconds, for
    # `default_attempts` in all; `retry_policies`, when set, is asked at each failure for the
    # policy of the service that failed (an operator's settings, changed at run time)
    retry_base: float = 1.0
    retry_cap: float = 60.0
    default_attempts: int = 5
    retry_policies: Callable[[], Mapping[str, RetryPolicy]] | None = None

    # flow control: how soon a run (or step) that found no free concurrency slot looks again,
    # and how far off (estimated) a step's turn at a rate limit may be for it to wait in place
    # rather than suspend; while other steps of its run work, it waits in place anyway
    slot_poll: float = 0.5
    max_inline_rate_wait: float = 5.0
    max_inline_slot_wait: float = 30.0  # a step waits this long in place for a concurrency slot
    max_early_wait: float = 10.0  # a job taken this much before its run is due waits; longer, it goes back
    rate_limits: dict[str, RateLimit] = field(default_factory=dict)
    # When set, asked at every rate-limited step instead of `rate_limits`, so limits an
    # operator changes at run time apply without restarting the workers.
    rate_limits_source: Callable[[], dict[str, RateLimit]] | None = None

    # worker
    # On SIGTERM a worker takes no more work and starts no more steps; steps in flight get this
    # long to finish (and be checkpointed), then the rest are cut off. Either way each run is
    # handed straight back to the queue for another worker, without waiting to look dead.
    shutdown_grace: float = 30.0
    # A worker process serves /metrics (Prometheus) and /healthz on this port; 0: not at all.
    http_port: int = 0
    poll_delay: float = 0.1  # ARQ queue polling; a resumed run starts within about this long
    max_jobs: int = 10
    job_timeout: float = 3600.0  # an execution may run many steps; a stuck one is cut off here
    progress_backlog: int = 500  # progress events kept per channel for subscribers that reconnect

    def __post_init__(self) -> None:
        if not self.db_url:
            raise ValueError("EngineConfig needs a database URL (db_url)")
        if self.stale_after <= self.heartbeat_interval:
            raise ValueError(
                f"stale_after ({self.stale_after}s) must be longer than heartbeat_interval "
                f"({self.heartbeat_interval}s), or live runs would look dead"
            )
        if self.default_attempts < 1:
            raise ValueError("default_attempts must be at least 1")
        if self.retention <= 0:
            raise ValueError("retention must be a positive number of seconds")

    @property
    def embedded(self) -> bool:
        return not self.redis_url

    def policy_for(self, service: str | None) -> RetryPolicy:
        policies = self.retry_policies() if self.retry_policies else {}
        found = policies.get(service) if service else None
        return found or RetryPolicy(self.default_attempts, self.retry_base, max(self.retry_base, self.retry_cap))
