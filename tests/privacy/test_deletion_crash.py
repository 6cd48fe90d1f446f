"""A worker process killed while it deletes an account: another worker finishes the deletion and
nothing of the person is left, on PostgreSQL with real Redis and separate worker processes."""

from __future__ import annotations

import os
import signal

import pytest

from bookbug.engine import list_runs, run_steps
from bookbug.services import books, privacy
from bookbug.settings import get_settings
from bookbug.workflows import names
from tests.conftest import make_user
from tests.privacy.leftovers import mentions
from tests.workflows.conversation import answer_intake, wait_for_status, wait_until
from tests.support.workers import Workers, production, workers  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow


def step_status(step_id: str) -> str | None:
    runs = list_runs(get_settings().db_url, workflow=names.DELETE_ACCOUNT)
    for run in runs:
        for step in run_steps(get_settings().db_url, run.id):
            if step.step_id == step_id:
                return step.status.value
    return None


async def test_a_worker_killed_mid_deletion_leaves_nothing_once_another_finishes(
        production, workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("DELETION_SETTLE_SECONDS", "1")
    user = make_user(email="zephyrine.parent@example.com")
    maker = workers.start(delay=0.0)
    made = []
    for premise in ("Her name is Zephyrine and she is 5", "Her name is Zephyrine and she is 6"):
        summary = await books.create_book(user.id, page_count=8)
        await answer_intake(user.id, summary.id, answers=[premise, "a lighthouse on Quillon Point", "a quiet harbour",
                                                           "watercolor"], timeout=60)
        made.append(summary.id)
    await books.approve(user.id, made[0])
    await wait_for_status(user.id, made[0], timeout=240)
    maker.kill()
    maker.wait()

    first = workers.start(delay=1.5)  # deleting each folder takes a while: time to kill it mid-step
    await privacy.request_account_deletion(user.id, "delete my account")
    await wait_until(lambda: step_status("delete-files") == "running", timeout=60, what="the files being deleted")
    os.kill(first.pid, signal.SIGKILL)  # halfway: rows and some files still there
    first.wait()
    assert mentions([user.id]) != [], "killed before the deletion was done"

    workers.start(delay=0.0)
    await wait_until(lambda: step_status("close") == "completed", timeout=120, what="the deletion to finish")
    assert mentions([user.id, user.email, *made, "Zephyrine", "Quillon"]) == []
