"""A real worker process killed mid-book: the book still completes, nothing finished is redone.

Runs the production shape: PostgreSQL, a real Redis, the app side only enqueuing, and the
book workflows in separate ARQ worker processes.
"""

from __future__ import annotations

import re
import os
import signal
import subprocess
import time

import pytest
from sqlmodel import func, select

import bookbug.workflows.registered  # noqa: F401
from bookbug.db import ImagePrediction, RenderedPage, session_scope
from bookbug.engine.tables import Step
from bookbug.engine import EngineConfig
from bookbug.services import books
from tests.conftest import make_user
from tests.support.workers import Workers, production, workers  # noqa: F401 - fixtures
from tests.workflows.conversation import answer_intake, wait_for_status, wait_until

pytestmark = pytest.mark.slow


PROSE = r"book\[prose\]/prose-\d+"  # one step per page (the setup step is "prose-setup")
PICTURES = r"book\[page-\d+\]/picture-keep"  # a page's picture, kept


def completed_steps(db_url: str, pattern: str) -> dict[str, tuple[object, int]]:
    with session_scope(db_url) as session:
        rows = session.exec(select(Step).where(Step.status == "completed")).all()
        return {row.step_key: (row.finished_at, row.attempts) for row in rows if re.fullmatch(pattern, row.step_key)}


async def kill_when(db_url: str, process: subprocess.Popen[bytes], like: str, count: int) -> tuple[dict, float]:
    done = await wait_until(lambda: (steps := completed_steps(db_url, like)) and len(steps) >= count and steps,
                            timeout=90, what=f"{count} completed steps like {like}")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return done, time.monotonic()


async def test_a_worker_killed_during_prose_and_during_pictures_still_finishes_the_book(
        production: EngineConfig, workers: Workers) -> None:  # noqa: F811
    db_url = production.db_url
    user = make_user()
    first = workers.start(delay=0.3)
    summary = await books.create_book(user.id, page_count=8)
    await answer_intake(user.id, summary.id, timeout=30)
    await books.approve(user.id, summary.id)

    # kill #1: in the middle of writing the pages
    before_prose, killed_at = await kill_when(db_url, first, PROSE, 3)
    second = workers.start(delay=0.3)
    resumed = await wait_until(lambda: len(completed_steps(db_url, PROSE)) > len(before_prose) and
                               time.monotonic(), timeout=30, what="the prose to resume after the kill")
    assert resumed - killed_at < 30

    # kill #2: in the middle of drawing the pictures
    before_pictures, _ = await kill_when(db_url, second, PICTURES, 2)
    workers.start(delay=0.0)

    book = await wait_for_status(user.id, summary.id, timeout=120)
    assert book.status == "complete", book.error
    assert len(book.pages) == 8

    # nothing that had finished ran again: same finish time, same attempt count
    after_prose = completed_steps(db_url, PROSE)
    after_pictures = completed_steps(db_url, PICTURES)
    assert len(after_prose) == 8 and len(after_pictures) == 8
    for step_id, record in {**before_prose, **before_pictures}.items():
        assert {**after_prose, **after_pictures}[step_id] == record, f"{step_id} ran again"
    # and no picture was paid for twice: one prediction per page, one page row per page
    with session_scope(db_url) as session:
        predictions = session.exec(select(ImagePrediction.purpose, func.count()).where(
            ImagePrediction.book_id == summary.id).group_by(ImagePrediction.purpose)).all()
        pages = session.exec(select(func.count()).select_from(RenderedPage).where(
            RenderedPage.book_id == summary.id)).one()
    page_predictions = {purpose: n for purpose, n in predictions if purpose.startswith("page-")}
    assert len(page_predictions) == 8 and set(page_predictions.values()) == {1}
    assert pages == 8


async def test_a_worker_killed_while_replicate_draws_resumes_the_same_predictions(
        production: EngineConfig, workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from bookbug.providers.images import IllustrationRequest, OfflineIllustrator
    from tests.standins.replicate import TOKEN, ReplicateStandIn

    painter = OfflineIllustrator()
    picture = await painter.finish(await painter.start(IllustrationRequest(book_id="x", page=1)))
    with ReplicateStandIn(image=picture.png) as replicate:
        replicate.polls_before_done = 3  # each prediction stays in flight for a few seconds
        monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
        monkeypatch.setenv("REPLICATE_BASE_URL", replicate.base_url)
        monkeypatch.setenv("REPLICATE_DELIVERY_HOSTS", "127.0.0.1")  # the stand-in delivers its files itself
        user = make_user()
        first = workers.start(delay=0.0)
        summary = await books.create_book(user.id, page_count=8)
        await answer_intake(user.id, summary.id, timeout=30)
        await books.approve(user.id, summary.id)

        # kill the worker while pictures are being drawn at Replicate: every prediction created
        # so far is recorded and still running, and no create request is on its way (a kill in
        # the instant between Replicate answering a create and the id being recorded would pay
        # twice; Replicate offers no idempotency key to close that gap)
        await wait_until(lambda: replicate.creations >= 3, timeout=60, what="predictions in flight")
        replicate.pause_creates()
        await wait_until(lambda: recorded(production.db_url, summary.id) == replicate.creations, timeout=30,
                         what="the created predictions to be recorded")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        replicate.resume_creates()
        workers.start(delay=0.0)

        book = await wait_for_status(user.id, summary.id, timeout=180)
        assert book.status == "complete", book.error
        # every picture (sheets and pages) was created at Replicate exactly once
        assert replicate.creations == recorded(production.db_url, summary.id) == len(book.characters) + 8


def recorded(db_url: str, book_id: str) -> int:
    with session_scope(db_url) as session:
        return session.exec(select(func.count()).select_from(ImagePrediction).where(
            ImagePrediction.book_id == book_id)).one()
