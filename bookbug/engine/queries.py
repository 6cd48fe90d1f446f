"""What applications and operators may read of the engine: runs by status, workflow or subject;
their steps; recent failures; and the few questions the services ask (latest run of a subject,
has a run received an event). Nobody outside the engine queries its tables directly."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from datetime import datetime, timedelta, UTC
from typing import Any

from sqlalchemy import Text, and_, cast, func
from sqlmodel import col, select

from bookbug.db.session import session_scope, utcnow
from bookbug.engine.tables import FINISHED, Run, RunStatus, Step, StepStatus, Wait


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; every moment the engine stores is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


@dataclass(frozen=True)
class RunView:
    id: str
    workflow: str
    status: RunStatus
    subject: str | None
    stage: str | None
    current_page: int | None
    percent: float | None
    progress: dict[str, Any] | None
    attempts: int
    error: str | None
    failure: dict[str, Any] | None  # the cause as structure: kind, service, status, reason, step
    output: Any
    event_data: dict[str, Any] | None
    created_at: datetime | None
    started_at: datetime | None
    updated_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, run: Run) -> RunView:
        return cls(
            id=run.id, workflow=run.workflow, status=RunStatus(run.status), subject=run.subject,
            stage=run.stage, current_page=run.current_page, percent=run.percent, progress=run.progress,
            attempts=run.attempts, error=run.error, failure=run.failure, output=run.output,
            event_data=run.event_data, created_at=aware(run.created_at),
            started_at=aware(run.started_at), updated_at=aware(run.updated_at), finished_at=aware(run.finished_at),
        )


@dataclass(frozen=True)
class StepView:
    step_id: str
    kind: str
    status: StepStatus
    attempts: int
    duration_ms: float | None
    error: str | None
    failure: dict[str, Any] | None
    output_size: int  # characters of stored JSON; large outputs slow every replay
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class FailureView:
    run: RunView
    step_id: str | None  # the step that failed, when a step did
    step_error: str | None


def get_run(db_url: str, run_id: str) -> RunView | None:
    with session_scope(db_url) as session:
        run = session.get(Run, run_id)
        return None if run is None else RunView.of(run)


def list_runs(db_url: str, *, status: RunStatus | str | None = None, workflow: str | None = None,
              subject: str | None = None, limit: int = 50, offset: int = 0) -> list[RunView]:
    """Newest first."""
    if limit < 1 or limit > 1000:
        raise ValueError("limit must be between 1 and 1000")
    query = select(Run)
    if status is not None:
        query = query.where(Run.status == RunStatus(status).value)
    if workflow is not None:
        query = query.where(Run.workflow == workflow)
    if subject is not None:
        query = query.where(Run.subject == subject)
    query = query.order_by(col(Run.created_at).desc(), col(Run.event_seq).desc(), col(Run.id).desc()).offset(offset).limit(limit)
    with session_scope(db_url) as session:
        return [RunView.of(run) for run in session.exec(query)]


def count_runs_by_status(db_url: str) -> dict[RunStatus, int]:
    with session_scope(db_url) as session:
        rows = session.exec(select(Run.status, func.count()).group_by(Run.status)).all()
    return {RunStatus(status): int(n) for status, n in rows}


def run_steps(db_url: str, run_id: str) -> list[StepView]:
    """The run's steps in the order they first ran."""
    size = func.coalesce(func.length(cast(Step.output, Text)), 0)
    query = (select(Step, size).where(Step.run_id == run_id)
             .order_by(col(Step.started_at), col(Step.scope), col(Step.position)))
    with session_scope(db_url) as session:
        rows = session.exec(query).all()
    return [
        StepView(step_id=s.step_key, kind=s.kind, status=StepStatus(s.status), attempts=s.attempts,
                 duration_ms=s.duration_ms, error=s.error, failure=s.failure, output_size=0 if s.output is None else int(n),
                 started_at=aware(s.started_at), finished_at=aware(s.finished_at))
        for s, n in rows
    ]


def recent_failures(db_url: str, *, within: timedelta = timedelta(days=1), limit: int = 50) -> list[FailureView]:
    """Runs that failed within `within`, newest first, each with the step that failed."""
    since = utcnow() - within
    with session_scope(db_url) as session:
        runs = session.exec(select(Run).where(Run.status == RunStatus.failed.value, Run.finished_at >= since)  # type: ignore[operator]  # Run.finished_at is typed as datetime | None, not as its column
                            .order_by(col(Run.finished_at).desc()).limit(limit)).all()
        failed_steps = {
            step.run_id: step for step in session.exec(select(Step).where(
                col(Step.run_id).in_([r.id for r in runs]), Step.status == StepStatus.failed.value))
        } if runs else {}
    return [
        FailureView(run=RunView.of(r), step_id=failed_steps[r.id].step_key if r.id in failed_steps else None,
                    step_error=failed_steps[r.id].error if r.id in failed_steps else None)
        for r in runs
    ]


def latest_run(db_url: str, subject: str, workflow: str) -> RunView | None:
    """The subject's newest run of `workflow`."""
    with session_scope(db_url) as session:
        run = session.exec(select(Run).where(Run.subject == subject, Run.workflow == workflow)
                           .order_by(col(Run.created_at).desc(), col(Run.event_seq).desc(), col(Run.id).desc()).limit(1)).first()
        return None if run is None else RunView.of(run)


def latest_runs(db_url: str, subjects: Iterable[str], workflow: str) -> dict[str, RunView]:
    """The newest run of `workflow` for each of `subjects` that has one, in one query."""
    wanted = list(subjects)
    if not wanted:
        return {}
    newest = (select(Run.subject, func.max(Run.created_at).label("created"))
              .where(col(Run.subject).in_(wanted), Run.workflow == workflow).group_by(Run.subject).subquery())
    query = select(Run).join(newest, and_(col(Run.subject) == newest.c.subject, col(Run.created_at) == newest.c.created)).where(
        Run.workflow == workflow)
    with session_scope(db_url) as session:
        return {run.subject: RunView.of(run) for run in session.exec(query) if run.subject is not None}


def unfinished_runs(db_url: str, subject: str) -> list[RunView]:
    with session_scope(db_url) as session:
        return [RunView.of(run) for run in session.exec(select(Run).where(
            Run.subject == subject, col(Run.status).notin_(FINISHED)))]


def received(db_url: str, run_id: str, event_name: str) -> bool:
    """Has a wait of this run been settled by an `event_name` event?"""
    with session_scope(db_url) as session:
        return session.exec(select(Wait.id).where(Wait.run_id == run_id, Wait.event_name == event_name,
                                                  col(Wait.resolved_at).is_not(None),
                                                  col(Wait.event_seq).is_not(None)).limit(1)).first() is not None
