"""Privacy test helpers that several modules share."""

from __future__ import annotations

import asyncio
import time

from sqlmodel import func, select

from bookbug.db import AccountDeletion, session_scope
from bookbug.engine import RunStatus, list_runs
from bookbug.settings import get_settings
from bookbug.workflows import names


async def deleted(timeout: float = 60) -> None:
    """Until no account deletion is left and every delete-account run has completed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope() as session:
            waiting = session.exec(select(func.count()).select_from(AccountDeletion)).one()
        runs = list_runs(get_settings().db_url, workflow=names.DELETE_ACCOUNT)
        if not waiting and runs and all(run.status == RunStatus.completed for run in runs):
            return
        assert not any(run.status == RunStatus.failed for run in runs), [run.error for run in runs]
        await asyncio.sleep(0.1)
    raise AssertionError("the account deletion did not finish")
