"""What a workflow calls: `ctx.step.run / wait_for_event / sleep / parallel / send_event`, `ctx.progress`.

Every call gets a step key: its id, a counter suffix when the id repeats (":1", ":2", as in
Inngest), and, inside `parallel`, its branch ("pages[2]/page-3"). Keys are checked against the
recorded (scope, position) of the previous executions: a replay that meets a different
sequence of steps fails with WorkflowChanged instead of mixing results.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bookbug.db.runs import JobStep, StepStatus
from bookbug.db.session import session_scope, utcnow
from bookbug.engine import checkpoints, waits
from bookbug.engine.checkpoints import StepRecord
from bookbug.engine.codec import NotStorable, decode, encode
from bookbug.engine.durations import Duration, seconds
from bookbug.engine.errors import Cancelled, StepFailed, Superseded, Suspend, WorkflowChanged
from bookbug.engine.workflow import Concurrency, resolve_key
from bookbug.resilience import backoff_delay, classify

if TYPE_CHECKING:
    from bookbug.engine.execution import Execution

_scope: ContextVar[str] = ContextVar("bookbug_engine_step_scope", default="")
_current_step: ContextVar[str] = ContextVar("bookbug_engine_current_step", default="")


@dataclass(frozen=True)
class EventInfo:
    id: str | None
    name: str
    data: dict[str, Any]
    received_at: datetime | None


class Steps:
    def __init__(self, execution: Execution) -> None:
        self._x = execution
        self._recorded: dict[str, StepRecord] = execution.recorded
        self._at: dict[tuple[str, int], str] = {(s.scope, s.position): key for key, s in self._recorded.items()}
        self._counters: defaultdict[tuple[str, str], int] = defaultdict(int)
        self._positions: defaultdict[str, int] = defaultdict(int)
        self._replay_left = sum(1 for s in self._recorded.values() if s.status == StepStatus.completed.value)

    @property
    def replaying(self) -> bool:
        """True while the execution is still walking through steps that already completed."""
        return self._replay_left > 0

    def _key(self, step_id: str) -> tuple[str, str]:
        if not isinstance(step_id, str) or not step_id or "/" in step_id:
            raise ValueError(f"a step id must be non-empty text without '/', got {step_id!r}")
        scope = _scope.get()
        n = self._counters[(scope, step_id)]
        self._counters[(scope, step_id)] += 1
        return f"{scope}{step_id}" + (f":{n}" if n else ""), scope

    def _next(self, step_id: str) -> tuple[str, str, int, StepRecord | None]:
        key, scope = self._key(step_id)
        position = self._positions[scope]
        self._positions[scope] += 1
        record = self._recorded.get(key)
        if record is not None and (record.scope, record.position) != (scope, position):
            raise WorkflowChanged(
                f"the workflow changed while this run was in flight: step {key!r} ran as step "
                f"{record.position + 1} before and is now step {position + 1}; start a new run"
            )
        if record is None and (scope, position) in self._at:
            raise WorkflowChanged(
                f"the workflow changed while this run was in flight: step {position + 1} was "
                f"{self._at[(scope, position)]!r} and is now {key!r}; start a new run"
            )
        if record is not None and record.status == StepStatus.completed.value:
            self._replay_left -= 1
        return key, scope, position, record

    # -- step.run ---------------------------------------------------------------------------

    async def run(
        self, step_id: str, fn: Callable[..., Any], *args: Any, attempts: int | None = None,
        concurrency: Concurrency | None = None, rate_limit: str | None = None, **kwargs: Any,
    ) -> Any:
        """Run `fn(*args, **kwargs)` once for this run; replays return its stored result."""
        key, scope, position, record = self._next(step_id)
        if record is not None and record.status == StepStatus.completed.value:
            return decode(record.output)
        x = self._x
        limit = attempts or x.config.default_attempts
        if record is not None and record.status == StepStatus.running.value and record.attempts >= limit:
            # Every attempt so far was cut off by its worker dying (a step that crashes the
            # process, say by running out of memory): stop instead of killing workers forever.
            message = (f"step {key!r} failed: its worker stopped in the middle of all {record.attempts} "
                       "attempts (killed, or out of memory?)")
            with x.db() as conn:
                checkpoints.fail_step(conn, record, StepStatus.failed, message)
            raise StepFailed(key, message)
        lease = await self._take_slot(key, concurrency)
        try:
            if rate_limit is not None:
                await self._spend_rate(rate_limit)
            with x.db() as conn:
                checkpoints.relaxed_commit(conn)
                checkpoints.fence(conn, x.run_id, x.generation)
                step = checkpoints.start_step(conn, x.run_id, record, step_id=key, scope=scope,
                                              position=position, kind="run")
            self._recorded[key] = step
            token = _current_step.set(key)
            try:
                value = await _call(fn, args, kwargs)
                stored = encode(value, where=f"the result of step {key!r}")
            except (asyncio.CancelledError, Suspend, Cancelled, Superseded):
                raise
            except Exception as exc:  # every failure is classified: retry later or fail the run
                self._fail(key, step, limit, exc)
            finally:
                _current_step.reset(token)
            with x.db() as conn:
                if not x.config.durable_completions:
                    checkpoints.relaxed_commit(conn)
                checkpoints.complete_step(conn, step, stored)
            return decode(stored)
        finally:
            if lease is not None:
                await x.release(lease)

    def _fail(self, key: str, step: StepRecord, limit: int, exc: Exception) -> None:
        x = self._x
        if isinstance(exc, NotStorable):
            retryable, retry_after, reason = False, None, str(exc)
        else:
            verdict = classify(exc)
            retryable, retry_after, reason = verdict.retryable, verdict.retry_after, verdict.reason
        attempt = step.attempts
        if retryable and attempt < limit:
            delay = backoff_delay(attempt, base=x.config.retry_base, cap=x.config.retry_cap, retry_after=retry_after)
            with x.db() as conn:
                checkpoints.fail_step(conn, step, StepStatus.retrying, f"attempt {attempt} of {limit} failed: {reason}")
            raise Suspend(resume_at=utcnow() + timedelta(seconds=delay)) from exc
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        message = f"step {key!r} failed{tries}: {reason}"
        with x.db() as conn:
            checkpoints.fail_step(conn, step, StepStatus.failed, message)
        raise StepFailed(key, message) from exc

    async def _take_slot(self, key: str, concurrency: Concurrency | None) -> tuple[str, str] | None:
        if concurrency is None:
            return None
        x = self._x
        slot = f"{x.workflow.name}:step:{resolve_key(concurrency.key, x.event.name, x.event.data)}"
        holder = f"{x.run_id}:{key}"
        # Wait in place a while: the slot is often held by a sibling branch of this same run,
        # which frees it soon; suspending would stall every branch until the run is replayed.
        deadline = time.monotonic() + x.config.max_inline_slot_wait
        while not await x.limits.acquire_slot(slot, concurrency.limit, holder, lease=x.config.stale_after):
            if time.monotonic() >= deadline:
                raise Suspend(resume_at=utcnow() + timedelta(seconds=x.config.slot_poll))
            await asyncio.sleep(x.config.slot_poll)
        x.leases.add((slot, holder))
        return slot, holder

    async def _spend_rate(self, service: str) -> None:
        x = self._x
        rules = x.config.rate_limits_source() if x.config.rate_limits_source else x.config.rate_limits
        rule = rules.get(service)
        if rule is None:
            return  # no limit configured for this service: nothing to wait for
        reserved, delay = await x.limits.reserve(f"service:{service}", rule.limit, rule.period_seconds,
                                                 max_wait=x.config.max_inline_rate_wait)
        if not reserved:
            raise Suspend(resume_at=utcnow() + timedelta(seconds=delay))
        if delay > 0:
            await asyncio.sleep(delay)

    # -- waits ------------------------------------------------------------------------------

    async def wait_for_event(
        self, step_id: str, *, event: str, match: str | Mapping[str, Any] | None = None,
        timeout: Duration | None = None,
    ) -> dict[str, Any] | None:
        """Suspend until `event` arrives with matching data (returns that data) or `timeout` passes (None).

        `match="book_id"` means: the event's data.book_id equals this run's triggering data.book_id;
        a mapping gives the exact values. Events received since the run began count, even if
        they arrived before this wait was reached.
        """
        return await self._wait(step_id, event_name=event, match=self._match(match), timeout=timeout)

    async def sleep(self, step_id: str, duration: Duration) -> None:
        """A durable sleep: the run suspends and resumes after `duration`, even across restarts."""
        await self._wait(step_id, event_name=None, match=None, timeout=duration)

    def _match(self, match: str | Mapping[str, Any] | None) -> dict[str, Any] | None:
        if match is None:
            return None
        if isinstance(match, str):
            data = self._x.event.data
            if match not in data:
                raise ValueError(f"cannot match on {match!r}: the run's triggering event has no such field")
            return {match: data[match]}
        return dict(match)

    async def _wait(self, step_id: str, *, event_name: str | None, match: dict[str, Any] | None,
                    timeout: Duration | None) -> Any:
        key, scope, position, record = self._next(step_id)
        if record is not None and record.status == StepStatus.completed.value:
            return record.output
        x = self._x
        timeout_at = None if timeout is None else utcnow() + timedelta(seconds=seconds(timeout))
        # Commit the wait first, then look for its event in a new transaction: see waits.py.
        with session_scope(x.db_url) as session:
            checkpoints.fence(session.connection(), x.run_id, x.generation)
            if record is None:
                record = checkpoints.start_step(session.connection(), x.run_id, None, step_id=key, scope=scope,
                                                position=position, kind="wait" if event_name else "sleep",
                                                status=StepStatus.waiting)
            wait = waits.register(session, run_id=x.run_id, step_id=key, since=x.lookback,
                                  event_name=event_name, match=match, timeout_at=timeout_at)
        self._recorded[key] = record
        with session_scope(x.db_url) as session:
            waits.try_resolve(session, wait)
            settled = session.get(JobStep, record.id)
            if settled is not None and settled.status == StepStatus.completed.value:
                record.status, record.output = settled.status, settled.output
                return settled.output
        timers = [(wait.id, checkpoints.aware(wait.timeout_at))] if wait.timeout_at is not None else []
        raise Suspend(waits=[key], timers=timers)  # type: ignore[arg-type]

    # -- parallel ---------------------------------------------------------------------------

    async def parallel(self, step_id: str, *branches: Awaitable[Any] | Callable[[], Awaitable[Any]]) -> list[Any]:
        """Run branches concurrently within this run; each step inside is memoized on its own.

        Returns the branches' results in order once all finished. If some branch must wait
        (an event, a retry), the others still run as far as they can, then the run suspends.
        """
        base, _ = self._key(step_id)

        async def branch(index: int, item: Awaitable[Any] | Callable[[], Awaitable[Any]]) -> Any:
            _scope.set(f"{base}[{index}]/")  # this task's own copy of the context
            awaitable = item() if callable(item) else item
            return await awaitable

        results = await asyncio.gather(*(branch(i, b) for i, b in enumerate(branches)), return_exceptions=True)
        suspend: Suspend | None = None
        failure: BaseException | None = None
        for result in results:
            if isinstance(result, (Superseded, Cancelled, asyncio.CancelledError)):
                raise result
            if isinstance(result, Suspend):
                suspend = result if suspend is None else suspend.merge(result)
            elif isinstance(result, BaseException) and failure is None:
                failure = result
        if failure is not None:
            raise failure
        if suspend is not None:
            raise suspend
        return list(results)

    # -- events -----------------------------------------------------------------------------

    async def send_event(self, step_id: str, name: str, data: Mapping[str, Any] | None = None) -> str:
        """Send an event exactly once for this run (a replay does not send it again)."""
        x = self._x

        async def send() -> str:
            receipt = await x.engine.send_event(name, dict(data or {}), id=f"{x.run_id}:{_current_step.get()}")
            return receipt.event_id

        result: str = await self.run(step_id, send)
        return result


class Context:
    """Handed to every workflow function: the triggering event, steps, and progress."""

    def __init__(self, execution: Execution) -> None:
        self._x = execution
        self.run_id = execution.run_id
        self.event: EventInfo = execution.event
        self.step = Steps(execution)

    async def progress(self, *, stage: str | None = None, page: int | None = None,
                       percent: float | None = None, payload: Mapping[str, Any] | None = None) -> None:
        """Record progress on the run and publish it to the run's (and its subject's) subscribers.

        Skipped while replaying completed steps, so subscribers never see old progress twice.
        """
        if self.step.replaying:
            return
        if percent is not None and not 0 <= percent <= 100:
            raise ValueError(f"percent must be between 0 and 100, got {percent}")
        await self._x.publish_progress(stage=stage, page=page, percent=percent,
                                       payload=encode(dict(payload or {}), where="the progress payload"))


async def _call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if inspect.iscoroutinefunction(fn):
        return await fn(*args, **kwargs)
    # Plain functions run on a thread so the event loop keeps heartbeats going meanwhile.
    value = await asyncio.to_thread(fn, *args, **kwargs)
    if inspect.isawaitable(value):
        value = await value
    return value
