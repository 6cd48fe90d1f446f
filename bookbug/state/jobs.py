"""The operators' jobs dashboard: the engine's run queries, and rerun / cancel through its engine."""

from __future__ import annotations

from typing import Any

from bookbug.engine import RunStatus
from bookbug.engine import count_runs_by_status, get_run, list_runs, run_steps
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings
from bookbug.state.rows import RunRow, SettingRow, StepRow, when

ACTIVE = (RunStatus.queued, RunStatus.running, RunStatus.waiting)


def failure_text(failure: dict[str, Any] | None, error: str | None) -> str:
    """For operators: the failure's kind, service, attempts and detail (not the reader's sentence)."""
    if not failure:
        return (error or "")[:300]
    facts = [str(failure.get("kind") or "internal"), str(failure.get("service") or "local")]
    if failure.get("status"):
        facts.append(f"HTTP {failure['status']}")
    if failure.get("attempts"):
        facts.append(f"{failure['attempts']} attempts")
    detail = failure.get("detail") or error or ""
    return f"[{' · '.join(facts)}] {detail}"[:300]


def run_rows(status: str = "", limit: int = 50) -> list[RunRow]:
    runs = list_runs(get_settings().db_url, status=status or None, limit=limit)
    return [
        RunRow(id=r.id, workflow=r.workflow, status=r.status.value, book_id=r.subject or "",
               stage=r.stage or "", attempts=r.attempts, error=failure_text(r.failure, r.error), created=when(r.created_at),
               can_rerun=r.status == RunStatus.failed, can_cancel=r.status in ACTIVE)
        for r in runs
    ]


def status_counts() -> list[SettingRow]:
    counts = count_runs_by_status(get_settings().db_url)
    return [SettingRow(label=status.value, value=str(counts.get(status, 0))) for status in RunStatus]


def step_rows(run_id: str) -> list[StepRow]:
    return [
        StepRow(step_id=s.step_id, kind=s.kind, status=s.status.value, attempts=s.attempts,
                duration="" if s.duration_ms is None else f"{s.duration_ms / 1000:.2f} s",
                error=failure_text(s.failure, s.error))
        for s in run_steps(get_settings().db_url, run_id)
    ]


async def rerun_run(run_id: str) -> str:
    """Run a failed run again from its failed step; returns what happened, for the operator."""
    run = get_run(get_settings().db_url, run_id)
    if run is None:
        return "That run was not found."
    if run.status != RunStatus.failed:
        return f"Only a failed run can be rerun; this one is {run.status.value}."
    engine = await started_engine()
    await engine.rerun(run_id)
    return f"Run {run_id} is running again."


async def cancel_run(run_id: str) -> str:
    run = get_run(get_settings().db_url, run_id)
    if run is None:
        return "That run was not found."
    if run.status not in ACTIVE:
        return f"Only a queued, running or waiting run can be cancelled; this one is {run.status.value}."
    engine = await started_engine()
    await engine.cancel_run(run_id, "cancelled by an operator")
    return f"Run {run_id} was cancelled."
