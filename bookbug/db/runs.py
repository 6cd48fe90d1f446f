"""The durable engine's tables: runs (book_jobs), their step checkpoints, events and waits.

These rows are the source of truth for every workflow run; Redis only carries the work.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bookbug.db.types import created_field, id_field, json_field, when_field


class RunStatus(str, enum.Enum):
    queued = "queued"  # enqueued (or throttled, waiting for its turn)
    running = "running"
    waiting = "waiting"  # suspended on wait_for_event or sleep
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"


class StepStatus(str, enum.Enum):
    running = "running"  # an attempt is executing (or its worker died mid-attempt)
    retrying = "retrying"  # the last attempt failed with a retryable error; the next one is scheduled
    waiting = "waiting"  # a wait_for_event or sleep step not resolved yet
    completed = "completed"
    failed = "failed"


class Run(SQLModel, table=True):
    """One workflow run (the plan's book_jobs)."""

    __tablename__ = "book_jobs"
    __table_args__ = (
        Index("ix_book_jobs_status_updated", "status", "updated_at"),
        Index("ix_book_jobs_book_created", "book_id", "created_at"),
        # one run per workflow per triggering event: a re-sent event never starts a second run
        UniqueConstraint("workflow", "event_id", name="uq_book_jobs_workflow_event"),
    )

    id: str = id_field()
    workflow: str = Field(max_length=100, index=True)
    status: str = Field(default=RunStatus.queued.value, max_length=20)
    book_id: Optional[str] = Field(default=None, max_length=32)  # the run's subject, when its event names one
    event_id: Optional[str] = Field(default=None, max_length=32)
    event_data: Optional[dict[str, Any]] = json_field()
    stage: Optional[str] = Field(default=None, max_length=60)
    current_page: Optional[int] = Field(default=None)
    percent: Optional[float] = Field(default=None)
    progress: Optional[dict[str, Any]] = json_field()
    attempts: int = Field(default=0)  # executions of this run (each replay counts)
    generation: int = Field(default=0)  # bumped each time the run is queued; ARQ job id = run + generation
    error: Optional[str] = Field(default=None)
    output: Optional[Any] = json_field()
    throttle_key: Optional[str] = Field(default=None, max_length=200)
    not_before: Optional[datetime] = when_field(index=True)  # throttled or backing off until then
    heartbeat_at: Optional[datetime] = when_field()
    cancel_requested: bool = Field(default=False)
    created_at: datetime = created_field()
    started_at: Optional[datetime] = when_field()
    claimed_at: Optional[datetime] = when_field()  # when the current execution began
    updated_at: Optional[datetime] = when_field()
    finished_at: Optional[datetime] = when_field()


class JobStep(SQLModel, table=True):
    """A step checkpoint: the memoized output of one step of one run."""

    __tablename__ = "job_steps"
    __table_args__ = (UniqueConstraint("run_id", "step_id", name="uq_job_steps_run_step"),)

    id: str = id_field()
    run_id: str = Field(foreign_key="book_jobs.id", max_length=32, index=True, ondelete="CASCADE")
    step_id: str = Field(max_length=200)
    scope: str = Field(default="", max_length=200)  # "" or the parallel branch it ran in
    position: int = Field(default=0)  # order of first appearance within its scope, to detect a changed workflow
    kind: str = Field(default="run", max_length=20)  # run | wait | sleep
    status: str = Field(default=StepStatus.running.value, max_length=20)
    output: Optional[Any] = json_field()
    error: Optional[str] = Field(default=None)
    attempts: int = Field(default=0)
    started_at: Optional[datetime] = when_field()
    finished_at: Optional[datetime] = when_field()
    duration_ms: Optional[float] = Field(default=None)


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_name_received", "name", "received_at"),)

    id: str = id_field()
    name: str = Field(max_length=100)
    data: Optional[dict[str, Any]] = json_field()
    idempotency_key: Optional[str] = Field(default=None, max_length=200, unique=True)
    received_at: datetime = created_field()
    fanned_out_at: Optional[datetime] = when_field(index=True)  # runs started/resumed; the sweep redoes it if unset


class Wait(SQLModel, table=True):
    """A run suspended on an event (or a sleep, with no event name) until it arrives or times out."""

    __tablename__ = "run_waits"
    __table_args__ = (
        Index("ix_run_waits_event_match", "event_name", "match_value"),
        UniqueConstraint("run_id", "step_id", name="uq_run_waits_run_step"),
    )

    id: str = id_field()
    run_id: str = Field(foreign_key="book_jobs.id", max_length=32, index=True, ondelete="CASCADE")
    step_id: str = Field(max_length=200)
    event_name: Optional[str] = Field(default=None, max_length=100)
    match_field: Optional[str] = Field(default=None, max_length=100)
    match_value: Optional[str] = Field(default=None, max_length=200)
    match: Optional[dict[str, Any]] = json_field()  # every field the event's data must equal
    since: datetime = created_field()  # events received at or after this count (none are missed)
    timeout_at: Optional[datetime] = when_field(index=True)
    resolved_at: Optional[datetime] = when_field()
    event_id: Optional[str] = Field(default=None, max_length=32)
    suspended: bool = Field(default=False)  # the run is currently suspended on this wait
