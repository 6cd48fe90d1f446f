"""The operators' jobs dashboard: the engine's runs as rows, and rerun / cancel (services/runs.py)."""

from __future__ import annotations

from typing import Any

from bookbug.services import runs
from bookbug.state.rows import RunRow, SettingRow, StepRow, when

STATUSES = runs.STATUSES  # the dashboard's filter choices


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
    return [
        RunRow(id=r.id, workflow=r.workflow, status=r.status.value, book_id=r.subject or "",
               stage=r.stage or "", attempts=r.attempts, error=failure_text(r.failure, r.error), created=when(r.created_at),
               can_rerun=runs.can_rerun(r), can_cancel=runs.can_cancel(r))
        for r in runs.recent_runs(status, limit)
    ]


def status_counts() -> list[SettingRow]:
    return [SettingRow(label=status, value=str(count)) for status, count in runs.counts_by_status().items()]


def step_rows(run_id: str) -> list[StepRow]:
    return [
        StepRow(step_id=s.step_id, kind=s.kind, status=s.status.value, attempts=s.attempts,
                duration="" if s.duration_ms is None else f"{s.duration_ms / 1000:.2f} s",
                error=failure_text(s.failure, s.error))
        for s in runs.steps_of(run_id)
    ]
