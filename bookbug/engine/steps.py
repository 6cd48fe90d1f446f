"""What a workflow calls: `ctx.step.run / wait_for_event / sleep / parallel / send_event`, `ctx.progress`.

Every call gets a step key: its id, a counter suffix when the id repeats (":1", ":2", as in
Inngest), and, inside `parallel`, its branch's key ("parcels[item-3]/pack"). Branches are
named by the workflow, never by their position, so a deploy that adds or removes a branch
leaves every other branch with its own checkpoints. Keys are checked against what the run
recorded (their order within a scope, what they called, the branches a parallel had): a
replay that meets a different workflow fails with WorkflowChanged instead of mixing results.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

from sqlalchemy import Connection

from bookbug.engine import checkpoints, metrics, waits
from bookbug.engine.checkpoints import StepRecord
from bookbug.engine.codec import NotStorable, decode, encode
from bookbug.engine.durations import Duration, seconds
from bookbug.engine.errors import Cancelled, Defer, StepFailed, Superseded, Suspend, WorkflowChanged
from bookbug.engine.flow import Flow
from bookbug.engine.results import as_declared
from bookbug.engine.tables import StepStatus
from bookbug.engine.workflow import Concurrency, resolve_key
from bookbug.resilience import backoff_delay, classify

if TYPE_CHECKING:
    from bookbug.engine.execution import Execution

log = logging.getLogger("bookbug.engine")

_scope: ContextVar[str] = ContextVar("bookbug_engine_step_scope", default="")
_current: ContextVar[StepInfo | None] = ContextVar("bookbug_engine_current_step", default=None)
_running: ContextVar[_Running | None] = ContextVar("bookbug_engine_running_step", default=None)
_FORBIDDEN_IN_KEYS = ("/", "[", "]")
T = TypeVar("T")


@dataclass(frozen=True)
class EventInfo:
    id: str | None
    name: str
    data: dict[str, Any]


@dataclass(frozen=True)
class StepInfo:
    """The step being executed, for code inside it: see `step_fence`."""

    run_id: str
    generation: int
    key: str
    attempt: int


@dataclass
class _Running:
    execution: Execution
    spent: bool = False  # a call of this attempt went out already


class _Deferred(BaseException):
    """A service's limit said "not yet" before the step's first call: come back later."""

    def __init__(self, service: str, delay: float) -> None:
        super().__init__(service, delay)
        self.service, self.delay = service, delay


async def spend(service: str | None, *, fair_key: str | None = None) -> None:
    """Call inside a step just before each request to `service` (None: a local provider, nothing
    to wait for). Waits for the service's shared rate limit, its pause (after a 429 with
    Retry-After, for every step, run and worker) and its pace (slowed after overloads). When
    calls are short, waiting requests take turns by their fair key (by default the one the
    workflow declares, such as its user), so nobody's many runs crowd out another's one.
    If the wait is long and no request of this attempt has gone out yet, the step is deferred
    without spending an attempt; once one has, it waits in place rather than pay for that one again."""
    running = _running.get()
    if running is None:
        raise RuntimeError("spend() is for code running inside a workflow step")
    if service is None:
        return
    x = running.execution
    rules = x.config.rate_limits_source() if x.config.rate_limits_source else x.config.rate_limits
    rule = rules.get(service)
    max_wait = float("inf") if running.spent else x.config.max_inline_rate_wait
    if x.engine.draining and not running.spent:
        raise _Deferred(service, 0.0)  # this worker is shutting down: the call goes out from another
    stop = None if running.spent else x.engine.stopping
    x.waiting_turns += 1
    try:
        reserved, delay = await x.limits.take(
            f"service:{service}", rule.limit if rule else None, rule.period_seconds if rule else 60.0,
            service=service, fair_key=x.fair_key if fair_key is None else fair_key, max_wait=max_wait, stop=stop,
            who=f"{x.run_id}/{step.key}" if (step := _current.get()) else "", patient=x.others_working)
    finally:
        x.waiting_turns -= 1
    if not reserved:
        raise _Deferred(service, delay)
    running.spent = True


async def pause_service(service: str, seconds: float) -> None:
    """Call inside a step the moment `service` answers 429 with Retry-After `seconds`: every
    step, run and worker holds its requests to that service until then. (The engine also does
    this when the step fails; calling it from the HTTP layer saves the time in between.)"""
    running = _running.get()
    if running is None:
        raise RuntimeError("pause_service() is for code running inside a workflow step")
    await running.execution.limits.pause(service, seconds)


async def forget_subject(subject: str) -> None:
    """Call inside a step (of a workflow that deletes people's data): cancel the subject's
    unfinished runs and delete every row and kept progress the engine holds about it."""
    running = _running.get()
    if running is None:
        raise RuntimeError("forget_subject() is for code running inside a workflow step")
    await running.execution.engine.forget_subject(subject)


def current_step() -> StepInfo | None:
    """The step the calling code runs in (threads started by the step included), or None."""
    return _current.get()


@contextmanager
def step_fence(conn: Connection) -> Iterator[StepInfo]:
    """Make a write of the running step's own, in `conn`'s transaction, conditional on its
    execution still owning the run: if it was taken over (presumed dead while it was only
    slow), Superseded is raised and the transaction must roll back. On PostgreSQL the check
    also locks the run row until the transaction ends, so no new execution starts between the
    check and the commit. With an idempotent write (look for the effect's unique key first),
    this makes an effect happen once however executions race."""
    info = _current.get()
    if info is None:
        raise RuntimeError("step_fence() is for code running inside a workflow step")
    checkpoints.fence_write(conn, info.run_id, info.generation, f"effect of step {info.key!r}")
    yield info


def _callable_name(fn: Any) -> str:
    return str(getattr(fn, "__name__", None) or type(fn).__name__)[:200]


def _check_key(what: str, key: Any) -> str:
    if not isinstance(key, str) or not key or any(c in key for c in _FORBIDDEN_IN_KEYS):
        raise ValueError(f"a {what} must be non-empty text without '/', '[' or ']', got {key!r}")
    return key


class Steps:
    def __init__(self, execution: Execution) -> None:
        self._x = execution
        self._recorded: dict[str, StepRecord] = execution.recorded
        # where each completed step sat: a replay that would reuse a result at another place, or
        # put another step where a result sits, meets a different workflow (a step that only
        # started or failed holds no result, and data-dependent loops may skip past it)
        self._at: dict[tuple[str, int], str] = {(s.scope, s.position): key for key, s in self._recorded.items()
                                                if s.status == StepStatus.completed.value}
        self._counters: defaultdict[tuple[str, str], int] = defaultdict(int)
        self._positions: defaultdict[str, int] = defaultdict(int)
        self._replay_left = sum(1 for s in self._recorded.values() if s.status == StepStatus.completed.value)

    @property
    def replaying(self) -> bool:
        """True while the execution is still walking through steps that already completed."""
        return self._replay_left > 0

    def _key(self, step_id: str) -> tuple[str, str]:
        _check_key("step id", step_id)
        scope = _scope.get()
        n = self._counters[(scope, step_id)]
        self._counters[(scope, step_id)] += 1
        return f"{scope}{step_id}" + (f":{n}" if n else ""), scope

    def _next(self, step_id: str, kind: str, fn: str | None) -> tuple[str, str, int, StepRecord | None]:
        key, scope = self._key(step_id)
        position = self._positions[scope]
        self._positions[scope] += 1
        record = self._recorded.get(key)
        changed = "the workflow changed while this run was in flight"
        completed = record is not None and record.status == StepStatus.completed.value
        if completed and record is not None and (record.scope, record.position) != (scope, position):
            raise WorkflowChanged(f"{changed}: step {key!r} ran as step {record.position + 1} of its scope "
                                  f"before and is now step {position + 1}; start a new run")
        if not completed and (scope, position) in self._at and self._at[(scope, position)] != key:
            raise WorkflowChanged(f"{changed}: step {position + 1} of its scope was "
                                  f"{self._at[(scope, position)]!r} and is now {key!r}; start a new run")
        if record is not None and (record.kind != kind or (record.fn is not None and fn is not None
                                                           and record.fn != fn)):
            before = f"{record.kind} {record.fn}" if record.fn else record.kind
            raise WorkflowChanged(f"{changed}: step {key!r} was a {before} step and is now a "
                                  f"{kind} {fn or ''} step; start a new run".replace("  ", " "))
        if record is not None and record.status == StepStatus.completed.value:
            self._replay_left -= 1
        return key, scope, position, record

    # -- step.run ---------------------------------------------------------------------------

    @overload
    async def run(
        self, step_id: str, fn: Callable[..., Awaitable[T]], *args: Any, attempts: int | None = None,
        concurrency: Concurrency | None = None, rate_limit: str | None = None, **kwargs: Any,
    ) -> T: ...

    @overload
    async def run(
        self, step_id: str, fn: Callable[..., T], *args: Any, attempts: int | None = None,
        concurrency: Concurrency | None = None, rate_limit: str | None = None, **kwargs: Any,
    ) -> T: ...

    async def run(
        self, step_id: str, fn: Callable[..., Any], *args: Any, attempts: int | None = None,
        concurrency: Concurrency | None = None, rate_limit: str | None = None, **kwargs: Any,
    ) -> Any:
        """Run `fn(*args, **kwargs)` once for this run; replays return its stored result, as the
        type `fn` declares it returns (see results.py: a result stored before it was a model)."""
        key, scope, position, record = self._next(step_id, "run", _callable_name(fn))
        if record is not None and record.status == StepStatus.completed.value:
            return as_declared(fn, decode(record.output), key)
        x = self._x
        limit = attempts or x.config.default_attempts
        if record is not None and record.status == StepStatus.running.value and record.attempts >= limit:
            # Every attempt so far was cut off by its worker dying (a step that crashes the
            # process, say by running out of memory): stop instead of killing workers forever.
            message = (f"step {key!r} failed: its worker stopped in the middle of all {record.attempts} "
                       "attempts (killed, or out of memory?)")
            failure = {"kind": "internal", "service": None, "status": None, "detail": message, "retryable": False,
                       "attempts": record.attempts, "step": key}
            with x.db() as conn:
                checkpoints.fail_step(conn, x.run_id, x.generation, record, StepStatus.failed, message, failure)
            raise StepFailed(key, message, failure)
        if record is not None and record.due_at is not None and record.due_at > time.monotonic():
            raise Suspend(due=record.due_at)  # its back-off (or Retry-After) has not passed: never early
        if x.engine.draining:
            raise Suspend(due=time.monotonic())  # this worker is shutting down: the step starts on another
        lease = await self._take_slot(key, concurrency)
        x.active += 1
        try:
            if rate_limit is not None:
                await self._spend_rate(rate_limit, key)
            with x.db() as conn:
                checkpoints.relaxed_commit(conn)
                step = checkpoints.start_step(conn, x.run_id, x.generation, record, key=key, scope=scope,
                                              position=position, kind="run", fn=_callable_name(fn))
            self._recorded[key] = step
            if step.status == StepStatus.completed.value:  # another execution finished it while we waited
                return as_declared(fn, decode(step.output), key)
            token = _current.set(StepInfo(x.run_id, x.generation, key, step.attempts))
            running = _running.set(_Running(x))
            try:
                value = await _call(fn, args, kwargs)
                stored = encode(value, where=f"the result of step {key!r}")
            except (asyncio.CancelledError, Suspend, Cancelled, Superseded):
                raise
            except _Deferred as deferred:
                with x.db() as conn:
                    checkpoints.defer_step(conn, x.run_id, x.generation, step,
                                           f"waiting {deferred.delay:.1f} s for {deferred.service}'s limit",
                                           deferred.delay)
                raise Suspend(due=time.monotonic() + deferred.delay) from None
            except Defer as deferred:
                with x.db() as conn:
                    checkpoints.defer_step(conn, x.run_id, x.generation, step, deferred.reason[:500],
                                           deferred.seconds)
                raise Suspend(due=time.monotonic() + deferred.seconds) from None
            except Exception as exc:  # every failure is classified: retry later or fail the run
                await self._fail(key, step, attempts, exc)
            finally:
                _running.reset(running)
                _current.reset(token)

            def complete(conn: Connection) -> None:
                if not x.config.durable_completions:
                    checkpoints.relaxed_commit(conn)
                checkpoints.complete_step(conn, x.run_id, x.generation, step, stored)

            await x.commit(complete)
            if step.started_at is not None:
                metrics.STEP_SECONDS.labels(x.workflow.name, step.fn or "").observe(time.monotonic() - step.started_at)
            return as_declared(fn, decode(stored), key)
        finally:
            x.active -= 1
            if lease is not None:
                await x.release(lease)

    async def _fail(self, key: str, step: StepRecord, attempts: int | None, exc: Exception) -> None:
        """Classify the failure once, here, and keep its structure on the step: retry it later
        (a 429 also pauses its service for everyone, an overload slows its pace) or fail."""
        x = self._x
        if isinstance(exc, NotStorable):
            failure: dict[str, Any] = {"kind": "internal", "service": None, "status": None, "detail": str(exc),
                                       "retryable": False, "retry_after": None}
        else:
            failure = classify(exc).as_failure()
        service, kind, retry_after = failure["service"], failure["kind"], failure["retry_after"]
        policy = x.config.policy_for(service)
        limit = attempts or policy.attempts
        attempt = step.attempts
        detail = str(failure["detail"])
        if failure["retryable"] and attempt < limit:
            delay = backoff_delay(attempt, base=policy.base, cap=policy.cap, retry_after=retry_after)
            metrics.STEP_RETRIES.labels(metrics.label(service), metrics.label(kind)).inc()
            if kind == "rate_limited" and service:
                metrics.SERVICE_PAUSES.labels(service).inc()
                await x.limits.pause(service, delay)
                log.warning("pause: service=%s for=%.1fs (429) run=%s step=%s", service, delay, x.run_id, key)
            elif kind == "overloaded" and service:
                metrics.SERVICE_SLOWDOWNS.labels(service).inc()
                pace = await x.limits.slow_down(service)
                log.warning("slow down: service=%s pace=%.0f%% (overloaded) run=%s step=%s", service, pace * 100,
                            x.run_id, key)
            log.warning("retry: run=%s step=%s service=%s kind=%s attempt=%d/%d wait=%.1fs detail=%s",
                        x.run_id, key, service, kind, attempt, limit, delay, detail)
            await x.commit(lambda conn: checkpoints.fail_step(
                conn, x.run_id, x.generation, step, StepStatus.retrying, f"attempt {attempt} of {limit} failed: {detail}",
                failure, retry_in=delay))
            raise Suspend(due=time.monotonic() + delay) from exc
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        message = f"step {key!r} failed{tries}: {detail}"
        failure = {**failure, "attempts": attempt, "step": key}
        metrics.STEP_FAILURES.labels(metrics.label(service), metrics.label(kind)).inc()
        log.warning("step failed: run=%s step=%s service=%s kind=%s attempts=%d detail=%s",
                    x.run_id, key, service, kind, attempt, detail)
        await x.commit(lambda conn: checkpoints.fail_step(conn, x.run_id, x.generation, step, StepStatus.failed,
                                                          message, failure))
        raise StepFailed(key, message, failure) from exc

    @asynccontextmanager
    async def hold(self, name: str, concurrency: Concurrency) -> AsyncIterator[None]:
        """Hold one of `concurrency`'s slots across several steps (the steps of one picture, say),
        so the limit counts what is in flight between them too. Waits in place a while for a
        free slot, then suspends the branch; released on leaving, suspending or failing."""
        key, _ = self._key(name)
        lease = await self._take_slot(key, concurrency)
        try:
            yield
        finally:
            if lease is not None:
                await self._x.release(lease)

    async def _take_slot(self, key: str, concurrency: Concurrency | None) -> tuple[str, str] | None:
        if concurrency is None:
            return None
        x = self._x
        slot = f"{x.workflow.name}:step:{resolve_key(concurrency.key, x.event.name, x.event.data)}"
        holder = f"{x.run_id}:{x.generation}:{key}"  # a stale execution's hold is never mistaken for ours
        # Wait in place a while: the slot is often held by a sibling branch of this same run,
        # which frees it soon; suspending would stall every branch until the run is replayed.
        deadline = time.monotonic() + x.config.max_inline_slot_wait
        while not await x.limits.acquire_slot(slot, concurrency.limit, holder, lease=x.config.stale_after):
            if time.monotonic() >= deadline or x.engine.draining:
                raise Suspend(due=time.monotonic() + x.config.slot_poll)
            await asyncio.sleep(x.config.slot_poll)
        x.leases.add((slot, holder))
        return slot, holder

    async def _spend_rate(self, service: str, key: str) -> None:
        x = self._x
        rules = x.config.rate_limits_source() if x.config.rate_limits_source else x.config.rate_limits
        rule = rules.get(service)
        if rule is None:
            return  # no limit configured for this service: nothing to wait for
        x.waiting_turns += 1
        try:
            reserved, delay = await x.limits.take(f"service:{service}", rule.limit, rule.period_seconds,
                                                  service=service, fair_key=x.fair_key,
                                                  max_wait=x.config.max_inline_rate_wait, stop=x.engine.stopping,
                                                  who=f"{x.run_id}/{key}", patient=x.others_working)
        finally:
            x.waiting_turns -= 1
        if not reserved:
            raise Suspend(due=time.monotonic() + delay)

    # -- waits ------------------------------------------------------------------------------

    async def wait_for_event(
        self, step_id: str, *, event: str, match: str | Mapping[str, Any] | None = None,
        timeout: Duration | None = None,
    ) -> dict[str, Any] | None:
        """Suspend until `event` arrives with matching data (returns that data) or `timeout` passes (None).

        `match="order_id"` means: the event's data.order_id equals this run's triggering
        data.order_id; a mapping gives the exact values. Events received since the run began
        count, even if they arrived before this wait was reached.
        """
        data: dict[str, Any] | None = await self._wait(step_id, event_name=event, match=self._match(match), timeout=timeout)
        return data

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
        key, scope, position, record = self._next(step_id, "wait" if event_name else "sleep", None)
        if record is not None and record.status == StepStatus.completed.value:
            return record.output
        x = self._x
        # Commit the wait first, then look for its event in a new transaction: see waits.py.
        with x.db() as conn:
            if record is None:
                record = checkpoints.start_step(conn, x.run_id, x.generation, None, key=key, scope=scope,
                                                position=position, kind="wait" if event_name else "sleep",
                                                fn=None, status=StepStatus.waiting)
            else:
                checkpoints.fence_start(conn, x.run_id, x.generation)
            wait = waits.register(conn, run_id=x.run_id, step_key=key, since_seq=x.since_seq,
                                  event_name=event_name, match=match,
                                  timeout=None if timeout is None else seconds(timeout))
        self._recorded[key] = record
        with x.db() as conn:
            if waits.try_resolve(conn, wait):
                settled = checkpoints.load_step(conn, record.id)
                if settled is not None and settled.status == StepStatus.completed.value:
                    record.status, record.output = settled.status, settled.output
                    return settled.output
        timers = [] if wait.timeout_in is None else [(wait.id, time.monotonic() + max(0.0, wait.timeout_in))]
        raise Suspend(waits=[key], timers=timers)

    # -- parallel ---------------------------------------------------------------------------

    def flow(self, step_id: str) -> Flow:
        """Branches that give each other values (flow.py): `parallel`, with its dataflow said once."""
        return Flow(self, step_id)

    async def parallel(self, step_id: str,
                       branches: Mapping[str, Awaitable[Any] | Callable[[], Awaitable[Any]]]) -> dict[str, Any]:
        """Run named branches concurrently within this run; each step inside is memoized on its own.

        `branches` maps a key the workflow chooses (a page number, say) to a branch; steps in a
        branch are recorded under that key, so adding or removing branches in a later deploy
        never hands one branch another's results. Returns the results by key once all finished.
        If some branch must wait (an event, a retry), the others still run as far as they can,
        then the run suspends.
        """
        if not isinstance(branches, Mapping):
            raise TypeError("parallel() takes a mapping of branch keys to branches, so each branch keeps "
                            "its identity when others are added or removed")
        for name in branches:
            _check_key("branch key", name)
        base, _ = self._key(step_id)
        self._check_branches(base, set(branches))

        async def branch(name: str, item: Awaitable[Any] | Callable[[], Awaitable[Any]]) -> Any:
            _scope.set(f"{base}[{name}]/")  # this task's own copy of the context
            awaitable = item() if callable(item) else item
            self._x.live_branches += 1
            try:
                return await awaitable
            finally:
                self._x.live_branches -= 1

        names = list(branches)
        results = await asyncio.gather(*(branch(n, branches[n]) for n in names), return_exceptions=True)
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
        return dict(zip(names, results))

    def _check_branches(self, base: str, current: set[str]) -> None:
        prefix = f"{base}["
        recorded = {s.scope[len(prefix):].split("]/", 1)[0] for s in self._recorded.values()
                    if s.scope.startswith(prefix)}
        gone = recorded - current
        if gone:
            raise WorkflowChanged(
                f"the workflow changed while this run was in flight: {base!r} no longer has the branch"
                f"{'es' if len(gone) > 1 else ''} {', '.join(sorted(gone))} that it ran before; start a new run")

    # -- events -----------------------------------------------------------------------------

    async def send_event(self, step_id: str, name: str, data: Mapping[str, Any] | None = None) -> str:
        """Send an event exactly once for this run (a replay does not send it again)."""
        x = self._x

        async def send_event() -> str:
            step = _current.get()
            receipt = await x.engine.send_event(name, dict(data or {}), id=f"{x.run_id}:{step.key if step else ''}")
            return receipt.event_id

        result: str = await self.run(step_id, send_event)
        return result


class Context:
    """Handed to every workflow function: the triggering event, steps, and progress."""

    def __init__(self, execution: Execution) -> None:
        self._x = execution
        self.run_id = execution.run_id
        self.event: EventInfo = execution.event
        # how many times this failed run was run again: a workflow may allow more tries each time
        self.reruns: int = execution.reruns
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
    # Plain functions run on a thread so the event loop stays free for the other branches.
    value = await asyncio.to_thread(fn, *args, **kwargs)
    if inspect.isawaitable(value):
        value = await value
    return value
