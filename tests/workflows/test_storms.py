"""Books finish through the storms providers really produce, through the real anthropic and
replicate SDKs against the repository's stand-ins: 429s with Retry-After, overloads, replies
that break the schema, predictions that fail or are refused by the safety filter.

Invariants: every book completes (or fails with plain words and then completes on Retry); no
call is let out to a provider once its Retry-After is known, until it has passed, whichever
step, page, book or worker makes it; every prediction created is recorded (none paid for
twice); a failed prediction is never waited on again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlmodel import func, select

from bookbug.db import ImagePrediction, session_scope
from bookbug.providers.images import IllustrationRequest, OfflineIllustrator
from bookbug.services import books
from bookbug.config import app_config
from bookbug.settings import reset_settings
from bookbug.providers.images.prompts import GENTLE
from tests.conftest import make_user
from tests.standins.anthropic import AnthropicStandIn, Storm
from tests.standins.claude_offline import carry_inputs, offline_claude
from tests.standins.replicate import TOKEN, ReplicateStandIn
from tests.workflows.conversation import answer_intake, wait_for_status, wait_until


@contextmanager
def providers_in_a_storm(monkeypatch: pytest.MonkeyPatch, picture: bytes) -> Iterator[tuple[AnthropicStandIn,
                                                                                              ReplicateStandIn]]:
    with AnthropicStandIn() as claude, ReplicateStandIn(image=picture) as replicate, carry_inputs():
        claude.responder = offline_claude
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.url)
        monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
        monkeypatch.setenv("REPLICATE_BASE_URL", replicate.base_url)
        monkeypatch.setenv("REPLICATE_POLL_SECONDS", "0.05")
        monkeypatch.setenv("REPLICATE_DELIVERY_HOSTS", "127.0.0.1")
        reset_settings()
        monkeypatch.setattr(app_config, "_cache", None)
        yield claude, replicate


async def _picture() -> bytes:
    painter = OfflineIllustrator()
    return (await painter.finish(await painter.start(IllustrationRequest(book_id="storm", page=1)))).png


def _recorded(book_id: str) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(ImagePrediction)
                            .where(ImagePrediction.book_id == book_id)).one()


def _operators_retry_budgets(engine) -> None:  # noqa: ANN001
    """The engine asks the operators' settings for each service's retry budget, as in production."""
    engine.config = dataclasses.replace(engine.config, retry_policies=app_config.retry_policies)


async def test_a_book_finishes_through_a_storm_of_both_providers(book_backend, monkeypatch) -> None:
    # more than half of Claude's answers are faults here, and the back-off is a few hundredths of
    # a second: an operator facing such a storm gives each step more attempts
    app_config.update({"anthropic_max_attempts": 20, "replicate_max_attempts": 20})
    _operators_retry_budgets(book_backend)
    with providers_in_a_storm(monkeypatch, await _picture()) as (claude, replicate):
        claude.storm = Storm(throttle_every=3, retry_after=0.5, overload_every=5, malformed_every=7)
        replicate.storm(throttle_every=2, retry_after=0.3, fail_every=5)
        user = make_user()
        summary = await books.create_book(user.id, page_count=8)
        await answer_intake(user.id, summary.id, timeout=90)
        await books.approve(user.id, summary.id)
        book = await wait_for_status(user.id, summary.id, timeout=240)

    assert book.status == "complete", book.error
    assert len(book.pages) == 8 and all(page.image_url for page in book.pages)
    assert {429, 529, 200} <= set(claude.faults), claude.faults  # the storm really blew
    assert replicate.failed_predictions >= 1 and replicate.create_requests > replicate.creations
    # no call was let out while its service was paused: each grant and each pause is a Redis
    # transaction on the same key, so this holds exactly, however busy the workers are
    for service in ("anthropic", "replicate"):
        pauses, grants = await book_backend.limits.pauses(service), await book_backend.limits.grants(service)
        assert pauses and grants
        during = [at for at in grants if any(since < at < until for since, until in pauses)]
        assert during == [], f"{service}: calls let out during a pause it knew of"
    assert replicate.creations == _recorded(summary.id), "a prediction was created but not recorded"


async def test_refused_pictures_are_drawn_again_gently_then_fail_in_plain_words_and_retry_finishes(
        book_backend, monkeypatch) -> None:
    app_config.update({"picture_redraws": 1})
    with providers_in_a_storm(monkeypatch, await _picture()) as (claude, replicate):
        replicate.outcome, replicate.error = "fail", "NSFW content detected: the output was flagged"
        user = make_user()
        summary = await books.create_book(user.id, page_count=8)
        await answer_intake(user.id, summary.id, timeout=90)
        await books.approve(user.id, summary.id)
        failed = await wait_until(lambda: (b := books.get_book(user.id, summary.id)).status == "failed" and b,
                                  timeout=120, what="the book to fail")
        assert "would not draw" in (failed.error or "") and "NSFW" not in (failed.error or "")
        prompts = [str(body.get("prompt", "")) for body in replicate.inputs]
        assert any(GENTLE in p for p in prompts), "a refused picture was not asked for again gently"
        assert GENTLE not in prompts[0]
        failed_ids = set(replicate.polls)
        polls_before = dict(replicate.polls)
        created_before = replicate.creations

        replicate.outcome = "succeed"
        await books.retry(user.id, summary.id)
        book = await wait_for_status(user.id, summary.id, timeout=180)

    assert book.status == "complete", book.error
    assert replicate.creations > created_before  # new predictions for the pictures that had none
    assert {pid: replicate.polls[pid] for pid in failed_ids} == polls_before, "a failed prediction was resumed"
    assert replicate.creations == _recorded(summary.id)
