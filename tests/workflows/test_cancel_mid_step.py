"""Cancelling a book while one of its steps is running: the answer and the run agree."""

from __future__ import annotations

import asyncio
from typing import Any

from bookbug.engine import RunStatus, latest_run
from bookbug.services import books
from bookbug.settings import get_settings
from bookbug.workflows import providers
from tests.conftest import make_user
from tests.workflows.conversation import wait_until


async def test_a_cancel_during_a_running_step_answers_cancelled_and_the_run_ends_so(book_backend, monkeypatch) -> None:
    real = providers.text_provider
    writing = asyncio.Event()

    class Slow:
        def __init__(self, inner: Any) -> None:
            self.inner, self.name, self.service = inner, inner.name, inner.service

        async def generate(self, agent: Any, input: Any) -> Any:
            writing.set()
            await asyncio.sleep(2.0)  # the intake's first question is being written
            return await self.inner.generate(agent, input)

    monkeypatch.setattr(providers, "text_provider", lambda book_id: Slow(real(book_id)))
    user = make_user()
    summary = await books.create_book(user.id)
    await asyncio.wait_for(writing.wait(), 30)
    assert latest_run(get_settings().db_url, summary.id, "create-book").status == RunStatus.running

    job = await books.cancel(user.id, summary.id)
    assert job.status == "cancelled", "the step finishes, but nothing after it runs: the book is cancelled"
    await wait_until(lambda: latest_run(get_settings().db_url, summary.id, "create-book").status
                     == RunStatus.cancelled, what="the run to end cancelled")
    assert books.get_book(user.id, summary.id).status == "cancelled"
