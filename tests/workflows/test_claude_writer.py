"""The book workflow on Claude, through the real anthropic SDK against the Messages stand-in:
the engine owns every retry (the SDK makes none) and a fatal error fails the book clearly."""

from __future__ import annotations

from bookbug.engine import get_run
from bookbug.services import books
from bookbug.settings import get_settings
from tests.conftest import make_user
from tests.support.workflows import first_turn
from tests.workflows.claude import claude_writes
from tests.workflows.conversation import newest_question, wait_until


async def test_a_429_and_a_529_are_retried_by_the_engine_and_the_question_arrives(book_backend, monkeypatch) -> None:
    with claude_writes(monkeypatch) as claude:
        claude.reply_error(429, "rate_limit_error", "slow down", headers={"retry-after": "1"})
        claude.reply_error(529, "overloaded_error", "overloaded")
        claude.reply_tool("intake_turn", await first_turn(), input_tokens=321, output_tokens=123)
        user = make_user()
        summary = await books.create_book(user.id)
        question = await wait_until(lambda: newest_question(user.id, summary.id, 0), timeout=60,
                                    what="the first question")
        assert len(claude.messages_requests()) == 3  # two refusals, one answer: no SDK retries on top
        assert question.chips
        book = books.get_book(user.id, summary.id)
        assert book.status == "intake"
    from bookbug.db import Book, session_scope

    with session_scope() as session:
        usage = session.get(Book, summary.id).usage
    assert usage["claude"]["input_tokens"] == 321 and usage["claude"]["output_tokens"] == 123


async def test_a_rejected_api_key_fails_the_book_at_once_with_a_clear_message(book_backend, monkeypatch) -> None:
    with claude_writes(monkeypatch) as claude:
        claude.reply_error(401, "authentication_error", "invalid x-api-key")
        user = make_user()
        summary = await books.create_book(user.id)
        book = await wait_until(lambda: (b := books.get_book(user.id, summary.id)).status == "failed" and b,
                                timeout=60, what="the book to fail")
        assert len(claude.messages_requests()) == 1
        # the family reads a plain sentence chosen by the kind of failure; operators get the detail
        assert "refused our key" in (book.error or "") and "ANTHROPIC_API_KEY" not in (book.error or "")
        run = get_run(get_settings().db_url, books.current_job(user.id, summary.id).run_id)
        assert run is not None and run.failure is not None
        assert (run.failure["kind"], run.failure["service"]) == ("auth", "anthropic")
        assert "ANTHROPIC_API_KEY" in run.failure["detail"]
        await wait_until(lambda: books.get_book(user.id, summary.id).status == "failed", timeout=10,
                         what="the book's own status to agree with its run")


async def test_a_failed_book_retried_after_the_cause_is_fixed_carries_on(book_backend, monkeypatch) -> None:
    from bookbug.config import app_config

    with claude_writes(monkeypatch) as claude:
        claude.reply_error(401, "authentication_error", "invalid x-api-key")
        user = make_user()
        summary = await books.create_book(user.id)
        await wait_until(lambda: books.get_book(user.id, summary.id).status == "failed", timeout=60,
                         what="the book to fail")
        app_config.update({"text_provider": "offline"}, updated_by=user.id)  # the operator fixes it
        job = await books.retry(user.id, summary.id)
        assert job.status in ("queued", "running", "waiting")
        question = await wait_until(lambda: newest_question(user.id, summary.id, 0), timeout=60,
                                    what="the first question after the retry")
        assert question.chips
        assert books.get_book(user.id, summary.id).status == "intake"
