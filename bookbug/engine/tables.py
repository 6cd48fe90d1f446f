"""The engine's own tables: runs, their step checkpoints, events, waits, and progress channels.

Generic on purpose: a run has a free-form `subject` (whatever its triggering event names,
such as an order id), never a foreign key into an application's tables. Nothing outside
`bookbug/engine/` reads or writes these rows; applications use the engine's functions.
Every moment stored here is the database's own clock (see clock.py).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from bookbug.db.session import new_id
from bookbug.engine.clock import db_now


class RunStatus(str, enum.Enum):
    queued = "queued"  # enqueued (or throttled, or backing off: see not_before)
    running = "running"
    waiting = "waiting"  # suspended on wait_for_event or sleep
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"


class StepStatus(str, enum.Enum):
    running = "running"  # an attempt is executing (or its worker died mid-attempt)
    retrying = "retrying"  # the last attempt failed with a retryable error; the next is due at not_before
    waiting = "waiting"  # a wait_for_event or sleep step not resolved yet
    completed = "completed"
    failed = "failed"


FINISHED = (RunStatus.completed.value, RunStatus.failed.value, RunStatus.cancelled.value)

# Events are matched by JSON containment on PostgreSQL, where a GIN index serves it.
_EVENT_DATA = JSON().with_variant(JSONB(), "postgresql")
# SQLite's rowid alias must be INTEGER; PostgreSQL gets a 64-bit sequence.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")


def _json() -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=True))


def _moment(index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True, index=index))


def _stamped() -> Any:
    """Set by the database when the row is inserted (its clock, not the writer's)."""
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=False, default=db_now()))


class Run(SQLModel, table=True):
    """One workflow run."""

    __tablename__ = "engine_runs"
    __table_args__ = (
        Index("ix_engine_runs_status_heartbeat", "status", "heartbeat_at"),
        Index("ix_engine_runs_subject_created", "subject", "created_at"),
        Index("ix_engine_runs_finished", "finished_at"),
        # one run per workflow per triggering event: a re-sent event never starts a second run
        UniqueConstraint("workflow", "event_id", name="uq_engine_runs_workflow_event"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    workflow: str = Field(max_length=100, index=True)
    status: str = Field(default=RunStatus.queued.value, max_length=20)
    subject: str | None = Field(default=None, max_length=200)  # what the run is about, free-form
    event_id: str | None = Field(default=None, max_length=32)
    event_seq: int | None = Field(default=None, sa_column=Column(_SEQ, nullable=True))
    event_name: str | None = Field(default=None, max_length=100)
    event_data: dict[str, Any] | None = _json()
    stage: str | None = Field(default=None, max_length=60)
    current_page: int | None = Field(default=None)
    percent: float | None = Field(default=None)
    progress: dict[str, Any] | None = _json()
    attempts: int = Field(default=0)  # executions of this run (each replay counts)
    reruns: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # times a failed run was run again (a workflow may try harder each time)
    generation: int = Field(default=0)  # bumped each time the run is handed to a new execution
    error: str | None = Field(default=None)  # the operator's one-line reason
    failure: dict[str, Any] | None = _json()  # the same, as structure (kind, service, status, detail)
    output: Any | None = _json()
    throttle_key: str | None = Field(default=None, max_length=200)
    not_before: datetime | None = _moment(index=True)  # throttled or backing off until then
    heartbeat_at: datetime | None = _moment()
    cancel_requested: bool = Field(default=False)
    created_at: datetime | None = _stamped()
    started_at: datetime | None = _moment()
    claimed_at: datetime | None = _moment()  # when the current execution began
    updated_at: datetime | None = _moment()
    finished_at: datetime | None = _moment()


class Step(SQLModel, table=True):
    """A step checkpoint: the memoized output of one step of one run."""

    __tablename__ = "engine_steps"
    __table_args__ = (UniqueConstraint("run_id", "step_key", name="uq_engine_steps_run_key"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    run_id: str = Field(foreign_key="engine_runs.id", max_length=32, index=True, ondelete="CASCADE")
    step_key: str = Field(max_length=300)
    scope: str = Field(default="", max_length=300)  # "" or the parallel branch it ran in
    position: int = Field(default=0)  # order of first appearance within its scope
    kind: str = Field(default="run", max_length=20)  # run | wait | sleep
    fn: str | None = Field(default=None, max_length=200)  # what it called, to notice a changed workflow
    status: str = Field(default=StepStatus.running.value, max_length=20)
    output: Any | None = _json()
    error: str | None = Field(default=None)
    failure: dict[str, Any] | None = _json()
    attempts: int = Field(default=0)
    generation: int = Field(default=0)  # the execution that last wrote it
    not_before: datetime | None = _moment()  # a retrying step is not called again before this
    started_at: datetime | None = _moment()
    finished_at: datetime | None = _moment()
    duration_ms: float | None = Field(default=None)


class Event(SQLModel, table=True):
    """An event, kept for the waits that look back for it and for operators; `seq` orders them."""

    __tablename__ = "engine_events"
    __table_args__ = (
        Index("ix_engine_events_name_seq", "name", "seq"),
        Index("ix_engine_events_data", "data", postgresql_using="gin",
              postgresql_ops={"data": "jsonb_path_ops"}).ddl_if(dialect="postgresql"),
        {"sqlite_autoincrement": True},  # never reuse a deleted event's number
    )

    seq: int | None = Field(default=None, sa_column=Column(_SEQ, primary_key=True, autoincrement=True))
    id: str = Field(default_factory=new_id, max_length=32, unique=True)
    name: str = Field(max_length=100)
    subject: str | None = Field(default=None, max_length=200, index=True)
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(_EVENT_DATA, nullable=True))
    idempotency_key: str | None = Field(default=None, max_length=200, unique=True)
    received_at: datetime | None = _stamped()
    fanned_out_at: datetime | None = _moment(index=True)  # runs started/resumed; the sweep redoes it if unset


class Wait(SQLModel, table=True):
    """A run suspended on an event (or a sleep, with no event name) until it arrives or times out."""

    __tablename__ = "engine_waits"
    __table_args__ = (
        # the sender's lookup: open waits of this event name whose match this event fits
        Index("ix_engine_waits_open", "event_name", "match_key", "resolved_at"),
        UniqueConstraint("run_id", "step_key", name="uq_engine_waits_run_key"),
        UniqueConstraint("run_id", "event_seq", name="uq_engine_waits_run_event"),  # an event settles one wait a run
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    run_id: str = Field(foreign_key="engine_runs.id", max_length=32, index=True, ondelete="CASCADE")
    step_key: str = Field(max_length=300)
    event_name: str | None = Field(default=None, max_length=100)
    match: dict[str, Any] | None = _json()  # every field the event's data must equal
    match_key: str | None = Field(default=None, max_length=1000)  # `match`, canonical (see matching.py)
    since_seq: int = Field(default=0, sa_column=Column(_SEQ, nullable=False, default=0))  # events after this count
    timeout_at: datetime | None = _moment(index=True)
    resolved_at: datetime | None = _moment()
    event_seq: int | None = Field(default=None, sa_column=Column(_SEQ, nullable=True))  # the event that settled it
    suspended: bool = Field(default=False)  # the run is currently suspended on this wait


class WaitShape(SQLModel, table=True):
    """The sets of fields that waits on an event name match on: a sent event is looked up once
    per shape, through an index, instead of against every open wait of its name."""

    __tablename__ = "engine_wait_shapes"

    event_name: str = Field(primary_key=True, max_length=100)
    fields: str = Field(primary_key=True, max_length=1000)  # canonical JSON list of field names


class Channel(SQLModel, table=True):
    """A progress channel's last event id: kept here so ids rise for the channel's whole life,
    whatever Redis forgets."""

    __tablename__ = "engine_channels"

    name: str = Field(primary_key=True, max_length=300)
    seq: int = Field(default=0, sa_column=Column(_SEQ, nullable=False, default=0))
    subject: str | None = Field(default=None, max_length=200, index=True)
