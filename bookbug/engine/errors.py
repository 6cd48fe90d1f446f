"""What a workflow may see go wrong, and the engine's private control-flow signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class EngineError(Exception):
    """Base for the engine's own errors."""


class StepFailed(EngineError):
    """A step failed for good (fatal error, or out of attempts); the run fails with this message."""

    def __init__(self, step_id: str, message: str, failure: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.step_id = step_id
        self.message = message
        self.failure = failure  # the classified cause, as stored on the step and the run


class WorkflowChanged(EngineError):
    """Replay met a different sequence of steps than the run recorded."""


class UnknownRun(EngineError):
    pass


# The signals below end an execution early. They derive from BaseException so that a
# workflow's own `except Exception:` cannot swallow them (asyncio.CancelledError does the same).


@dataclass
class Suspend(BaseException):
    """The run cannot go further now: it waits on `waits` (step keys) and/or resumes at `due`.

    Moments here are this process's monotonic clock: only durations ever leave the process
    (the database turns them into moments on its own clock).
    """

    waits: list[str] = field(default_factory=list)
    timers: list[tuple[str, float]] = field(default_factory=list)  # (wait row id, monotonic timeout)
    due: float | None = None  # monotonic moment to resume at; None: only when a wait settles

    def merge(self, other: Suspend) -> Suspend:
        due = [t for t in (self.due, other.due) if t is not None]
        return Suspend(self.waits + other.waits, self.timers + other.timers, min(due) if due else None)


class Defer(BaseException):
    """Raised inside a step by code that cannot go on now for a reason of its own (a budget spent
    for the day, say): the attempt does not count, and the step runs again in `seconds`."""

    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__(seconds, reason)
        self.seconds, self.reason = max(0.0, seconds), reason


class Cancelled(BaseException):
    """A cancellation was requested; no further step may start."""


class Superseded(BaseException):
    """Another execution of this run took over (this one was presumed dead); stop quietly."""
