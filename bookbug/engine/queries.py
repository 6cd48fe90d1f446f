"""Operator visibility: runs by status, workflow or subject; their steps; recent failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, func
from sqlmodel import col, select

from bookbug.db.runs import JobStep, Run, RunStatus, StepStatus
from bookbug.db.session import session_scope, utcnow
from bookbug.engine.checkpoints import aware


@dataclass(frozen=True)
class RunView:
    id: str
    workflow: str
    status: RunStatus
    book_id: str | None
    stage: str | None
    current_page: int | None
    percent: float | None
    progress: dict[str, Any] | None
    attempts: int
    error: str | None
    output: Any
    created_at: datetime | None
    started_at: datetime | None
    updated_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, run: Run) -> RunView:
        return cls(
            id=run.id, workflow=run.workflow, status=RunStatus(run.status), book_id=run.book_id,
            stage=run.stage, current_page=run.current_page, percent=run.percent, progress=run.progress,
            attempts=run.attempts, error=run.error, output=run.output, created_at=aware(run.created_at),
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
              book_id: str | None = None, limit: int = 50, offset: int = 0) -> list[RunView]:
    """Newest first."""
    if limit < 1 or limit > 1000:
        raise ValueError("limit must be between 1 and 1000")
    query = select(Run)
    if status is not None:
        query = query.where(Run.status == RunStatus(status).value)
    if workflow is not None:
        query = query.where(Run.workflow == workflow)
    if book_id is not None:
        query = query.where(Run.book_id == book_id)
    query = query.order_by(col(Run.created_at).desc(), col(Run.id).desc()).offset(offset).limit(limit)
    with session_scope(db_url) as session:
        return [RunView.of(run) for run in session.exec(query)]


def count_runs_by_status(db_url: str) -> dict[RunStatus, int]:
    with session_scope(db_url) as session:
        rows = session.exec(select(Run.status, func.count()).group_by(Run.status)).all()
    return {RunStatus(status): int(n) for status, n in rows}


def run_steps(db_url: str, run_id: str) -> list[StepView]:
    """The run's steps in the order they first ran."""
    size = func.coalesce(func.length(cast(JobStep.output, Text)), 0)  # type: ignore[arg-type]
    query = (select(JobStep, size).where(JobStep.run_id == run_id)
             .order_by(col(JobStep.started_at), col(JobStep.scope), col(JobStep.position)))
    with session_scope(db_url) as session:
        rows = session.exec(query).all()
    return [
        StepView(step_id=s.step_id, kind=s.kind, status=StepStatus(s.status), attempts=s.attempts,
                 duration_ms=s.duration_ms, error=s.error, output_size=0 if s.output is None else int(n),
                 started_at=aware(s.started_at), finished_at=aware(s.finished_at))
        for s, n in rows
    ]


def recent_failures(db_url: str, *, within: timedelta = timedelta(days=1), limit: int = 50) -> list[FailureView]:
    """Runs that failed within `within`, newest first, each with the step that failed."""
    since = utcnow() - within
    with session_scope(db_url) as session:
        runs = session.exec(select(Run).where(Run.status == RunStatus.failed.value, Run.finished_at >= since)  # type: ignore[operator]
                            .order_by(col(Run.finished_at).desc()).limit(limit)).all()
        failed_steps = {
            step.run_id: step for step in session.exec(select(JobStep).where(
                col(JobStep.run_id).in_([r.id for r in runs]), JobStep.status == StepStatus.failed.value))
        } if runs else {}
    return [
        FailureView(run=RunView.of(r), step_id=failed_steps[r.id].step_id if r.id in failed_steps else None,
                    step_error=failed_steps[r.id].error if r.id in failed_steps else None)
        for r in runs
    ]
