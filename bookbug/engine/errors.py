"""What a workflow may see go wrong, and the engine's private control-flow signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class EngineError(Exception):
    """Base for the engine's own errors."""


class StepFailed(EngineError):
    """A step failed for good (fatal error, or out of attempts); the run fails with this message."""

    def __init__(self, step_id: str, message: str) -> None:
        super().__init__(message)
        self.step_id = step_id
        self.message = message


class WorkflowChanged(EngineError):
    """Replay met a different sequence of steps than the run recorded."""


class UnknownRun(EngineError):
    pass


# The signals below end an execution early. They derive from BaseException so that a
# workflow's own `except Exception:` cannot swallow them (asyncio.CancelledError does the same).


@dataclass
class Suspend(BaseException):
    """The run cannot go further now: it waits on `waits` (step ids) and/or resumes at `resume_at`."""

    waits: list[str] = field(default_factory=list)
    timers: list[tuple[str, datetime]] = field(default_factory=list)  # (wait row id, timeout)
    resume_at: datetime | None = None

    def merge(self, other: Suspend) -> Suspend:
        resume = [t for t in (self.resume_at, other.resume_at) if t is not None]
        return Suspend(self.waits + other.waits, self.timers + other.timers, min(resume) if resume else None)


class Cancelled(BaseException):
    """A cancellation was requested; no further step may start."""


class Superseded(BaseException):
    """Another execution of this run took over (this one was presumed dead); stop quietly."""
