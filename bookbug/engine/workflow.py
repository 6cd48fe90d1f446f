"""Declaring workflows: the `@workflow` decorator, its registry, and flow-control declarations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bookbug.engine.durations import Duration, seconds

if TYPE_CHECKING:
    from bookbug.engine.steps import Context

WorkflowFn = Callable[["Context"], Awaitable[Any]]


def resolve_key(expression: str, event_name: str, event_data: Mapping[str, Any]) -> str:
    """A flow-control key: "event.data.user_id" reads the triggering event; other text is literal."""
    if not expression.startswith("event."):
        return expression
    value: Any = {"name": event_name, "data": dict(event_data)}
    for part in expression.split(".")[1:]:
        if not isinstance(value, Mapping) or part not in value:
            raise ValueError(f"the key {expression!r} names a field the event {event_name!r} does not have")
        value = value[part]
    if value is None or isinstance(value, (dict, list)):
        raise ValueError(f"the key {expression!r} must be text or a number in event {event_name!r}, got {value!r}")
    return str(value)


@dataclass(frozen=True)
class Concurrency:
    """At most `limit` executions at once per key, across every worker process."""

    key: str
    limit: int

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError(f"a concurrency limit must be at least 1, got {self.limit}")


@dataclass(frozen=True)
class Throttle:
    """At most `limit` runs start per `period` per key; the rest start later, in order, none dropped."""

    key: str
    limit: int
    period: Duration

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError(f"a throttle limit must be at least 1, got {self.limit}")
        seconds(self.period)

    @property
    def period_seconds(self) -> float:
        return seconds(self.period)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` calls per `period` to an outside service, shared by all workers."""

    service: str
    limit: int
    period: Duration

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError(f"a rate limit must allow at least 1 call, got {self.limit}")
        seconds(self.period)

    @property
    def period_seconds(self) -> float:
        return seconds(self.period)


@dataclass(frozen=True)
class CancelOn:
    """Cancel a run when `event` arrives whose data[match] equals the run's triggering data[match]."""

    event: str
    match: str


@dataclass(frozen=True)
class Workflow:
    name: str
    fn: WorkflowFn
    trigger: str | None = None
    subject: str | None = None  # triggering event field stored on the run and used as its channel
    concurrency: Concurrency | None = None
    throttle: Throttle | None = None
    cancel_on: tuple[CancelOn, ...] = ()
    # Whose turn a rate-limited call is, when calls are short ("event.data.user_id"): waiting
    # calls take turns by this key (see fairness.py). None: the run shares one turn with all such runs.
    fair_key: str | None = None

    def fair_key_of(self, event_name: str, data: Mapping[str, Any]) -> str:
        """The run's fair key ("" for none); a run started before the workflow declared one has
        no such field in its event and takes the shared turn."""
        if self.fair_key is None:
            return ""
        try:
            return resolve_key(self.fair_key, event_name, data)
        except ValueError:
            return ""

    def subject_of(self, data: Mapping[str, Any]) -> str | None:
        if self.subject is None:
            return None
        value = data.get(self.subject)
        return None if value is None else str(value)

    def subject_channel(self, subject: str | None) -> str | None:
        """"order:{id}" for subject field "order_id": the channel every run about that subject shares."""
        if subject is None or self.subject is None:
            return None
        prefix = self.subject.removesuffix("_id")
        return f"{prefix}:{subject}"


@dataclass
class Registry:
    """Workflows by name and by trigger. Workflow modules register into `default_registry`."""

    workflows: dict[str, Workflow] = field(default_factory=dict)

    def add(self, wf: Workflow) -> Workflow:
        existing = self.workflows.get(wf.name)
        if existing is not None and existing.fn is not wf.fn:
            raise ValueError(f"two workflows are named {wf.name!r}: names must be unique")
        self.workflows[wf.name] = wf
        return wf

    def get(self, name: str) -> Workflow | None:
        return self.workflows.get(name)

    def triggered_by(self, event_name: str) -> list[Workflow]:
        return [wf for wf in self.workflows.values() if wf.trigger == event_name]

    def subject_of(self, data: Mapping[str, Any]) -> str | None:
        """An event's subject: the first field that a registered workflow names as its subject."""
        for name in sorted({wf.subject for wf in self.workflows.values() if wf.subject}):
            value = data.get(name)
            if value is not None and not isinstance(value, (dict, list)):
                return str(value)
        return None

    def cancelled_by(self, event_name: str) -> list[tuple[Workflow, CancelOn]]:
        return [(wf, c) for wf in self.workflows.values() for c in wf.cancel_on if c.event == event_name]

    @classmethod
    def of(cls, workflows: Iterable[Workflow]) -> Registry:
        registry = cls()
        for wf in workflows:
            registry.add(wf)
        return registry


default_registry = Registry()


def workflow(
    name: str,
    *,
    trigger: str | None = None,
    subject: str | None = None,
    concurrency: Concurrency | None = None,
    throttle: Throttle | None = None,
    cancel_on: Iterable[CancelOn] = (),
    fair_key: str | None = None,
    registry: Registry | None = None,
) -> Callable[[WorkflowFn], Workflow]:
    """Mark an async function `fn(ctx)` as a durable workflow started by `trigger` events."""

    def decorate(fn: WorkflowFn) -> Workflow:
        wf = Workflow(
            name=name, fn=fn, trigger=trigger, subject=subject, concurrency=concurrency,
            throttle=throttle, cancel_on=tuple(cancel_on), fair_key=fair_key,
        )
        return (registry or default_registry).add(wf)

    return decorate
