"""The operators' view of the engine's runs: list and count them, show a run's steps, and rerun
a failed run or cancel an active one. Operators only: the doors check who asks before calling."""

from __future__ import annotations

from bookbug.engine import RunStatus, RunView, StepView, count_runs_by_status, get_run, list_runs, run_steps
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings

ACTIVE = (RunStatus.queued, RunStatus.running, RunStatus.waiting)
STATUSES = [status.value for status in RunStatus]  # every status a run can have, in the engine's order


def _db() -> str:
    return get_settings().db_url


def recent_runs(status: str = "", limit: int = 50) -> list[RunView]:
    """The newest runs first, all of them or those with `status` ("" for all)."""
    return list_runs(_db(), status=status or None, limit=limit)


def counts_by_status() -> dict[str, int]:
    """How many runs have each status (every status named, 0 for none)."""
    counts = count_runs_by_status(_db())
    return {status.value: counts.get(status, 0) for status in RunStatus}


def steps_of(run_id: str) -> list[StepView]:
    return run_steps(_db(), run_id)


def can_rerun(run: RunView) -> bool:
    return run.status == RunStatus.failed


def can_cancel(run: RunView) -> bool:
    return run.status in ACTIVE


async def rerun(run_id: str) -> str:
    """Run a failed run again from its failed step; returns what happened, for the operator."""
    run = get_run(_db(), run_id)
    if run is None:
        return "That run was not found."
    if not can_rerun(run):
        return f"Only a failed run can be rerun; this one is {run.status.value}."
    engine = await started_engine()
    await engine.rerun(run_id)
    return f"Run {run_id} is running again."


async def cancel(run_id: str) -> str:
    run = get_run(_db(), run_id)
    if run is None:
        return "That run was not found."
    if not can_cancel(run):
        return f"Only a queued, running or waiting run can be cancelled; this one is {run.status.value}."
    engine = await started_engine()
    await engine.cancel_run(run_id, "cancelled by an operator")
    return f"Run {run_id} was cancelled."
