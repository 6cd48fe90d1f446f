"""The rate limit a call counts against comes from the provider that makes it: the offline
writer and illustrator make no outside calls and spend no quota, whatever the workflow is."""

from __future__ import annotations

import dataclasses

from bookbug.engine import RateLimit
from bookbug.services import books
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, wait_for_status


async def test_an_offline_book_spends_none_of_the_providers_quotas(book_backend) -> None:
    # one call a minute each: a book whose steps spent them would take most of an hour
    book_backend.config = dataclasses.replace(book_backend.config, rate_limits={
        "anthropic": RateLimit("anthropic", limit=1, period="1m"),
        "replicate": RateLimit("replicate", limit=1, period="1m")})
    await book_backend.limits.pause("anthropic", 3600)  # and both are paused for an hour
    await book_backend.limits.pause("replicate", 3600)
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    await answer_intake(user.id, summary.id, timeout=60)
    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id, timeout=90)
    assert book.status == "complete", book.error
    for service in ("anthropic", "replicate"):
        assert await book_backend.limits.redis.zcard(f"{book_backend.config.key_prefix}:rate:service:{service}") == 0
