"""Screening in a whole book: a declined request or plot change changes nothing and offers close
ideas as chips; the Claude path's `concern` answer is obeyed even when the model's brief folds the
request in; every page's words are reviewed before the page is drawn, with one rewrite."""

from __future__ import annotations

from typing import Any

from bookbug.agents import prose_page
from bookbug.db import Book, session_scope
from bookbug.engine import get_run, run_steps
from bookbug.providers.text.protocol import AgentResult
from bookbug.services import books
from bookbug.settings import get_settings
from bookbug.story import ProsePage
from bookbug.workflows import providers
from tests.conftest import make_user
from tests.standins.anthropic import Recorded, Scripted
from tests.standins.claude_offline import carry_inputs, offline_claude
from tests.workflows.claude import claude_writes
from tests.workflows.conversation import answer_intake, finish_book, newest_question, wait_for_status, wait_until


def stored_brief(book_id: str) -> dict[str, Any]:
    with session_scope() as session:
        return dict(session.get(Book, book_id).brief or {})


async def test_a_declined_request_changes_nothing_and_a_chip_carries_the_book_on(book_backend) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    first = await wait_until(lambda: newest_question(user.id, summary.id, 0), what="the first question")
    await books.send_message(user.id, summary.id, "Her name is Mia and she is 5")
    asked = await wait_until(lambda: newest_question(user.id, summary.id, first.turn), what="the next question")
    before = stored_brief(summary.id)

    await books.send_message(user.id, summary.id, "a shark who eats people")
    declined = await wait_until(lambda: newest_question(user.id, summary.id, asked.turn), what="the kind answer")
    assert declined.concern == "violence" and declined.content.startswith("I'm sorry")
    assert declined.chips[0] == "A shark who learns to be gentle" and len(declined.chips) == 3
    assert stored_brief(summary.id) == before, "nothing of the declined request was kept"

    proposal = await answer_intake(user.id, summary.id, answers=[declined.chips[2], "a cosy village by the sea",
                                                                 "watercolor"])
    assert "afraid of the dark" in (stored_brief(summary.id).get("story_arc") or "")
    plot = books.get_book(user.id, summary.id).plot
    await books.send_message(user.id, summary.id, "make the shark eat the villagers")
    kept = await wait_until(lambda: newest_question(user.id, summary.id, proposal.turn), what="the plot again")
    assert kept.concern == "violence" and kept.phase == "plot_review"
    assert books.get_book(user.id, summary.id).plot == plot, "the plot stays as it was"
    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error


async def test_claude_declining_an_answer_keeps_the_brief_even_if_its_reply_folded_it_in(book_backend,
                                                                                        monkeypatch) -> None:
    with claude_writes(monkeypatch) as claude, carry_inputs():
        claude.responder = offline_claude
        user = make_user()
        summary = await books.create_book(user.id, page_count=8)
        first = await wait_until(lambda: newest_question(user.id, summary.id, 0), timeout=60, what="a question")
        before = stored_brief(summary.id)
        careless = {**before, "story_arc": "a shark who eats people"}
        claude.reply_tool("intake_turn", {
            "brief": careless, "done": False, "concern": "violence",
            "message": "I'm sorry, I can't make a story where a shark eats people. How about one of these?",
            "chips": ["A shark who learns to be gentle", "A shark who makes a friend", "A shark who is afraid of the dark"]})
        await books.send_message(user.id, summary.id, "a shark who eats people")
        declined = await wait_until(lambda: newest_question(user.id, summary.id, first.turn), timeout=60,
                                    what="Claude's kind answer")
        assert declined.concern == "violence" and declined.chips[1] == "A shark who makes a friend"
        assert stored_brief(summary.id) == before
        assert "shark who eats people" not in str(books.get_book(user.id, summary.id).model_dump())


def _pages_saying(sentence: str, *, times: int | None):  # type: ignore[no-untyped-def]
    """The book's text provider, writing page 2 with `sentence` in it (`times` times; None: always)."""
    real = providers.text_provider
    told: list[str] = []

    class Careless:
        def __init__(self, inner: Any) -> None:
            self.inner, self.name, self.service = inner, inner.name, inner.service

        async def generate(self, agent: Any, input: Any) -> AgentResult[Any]:
            result = await self.inner.generate(agent, input)
            if agent is prose_page and input.page.page_number == 2:
                told.append(input.review_note)
                if times is None or len(told) <= times:
                    page = result.output.model_copy(update={"text": f"{result.output.text.split('.')[0]}. {sentence}"})
                    return AgentResult(ProsePage.model_validate(page.model_dump()), result.usage)
            return result

    return (lambda book_id: Careless(real(book_id))), told


async def test_a_page_found_unsuitable_is_written_again_before_it_is_drawn(book_backend, monkeypatch) -> None:
    careless, told = _pages_saying("There was blood all over the floor.", times=1)
    monkeypatch.setattr(providers, "text_provider", careless)
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    book = await finish_book(user.id, summary.id)
    assert book.status == "complete", book.error
    assert "blood" not in book.pages[1].text
    assert told[0] == "" and "Leave out" in told[1], "the rewrite was told what to change"
    keys = {step.step_id.split("/")[-1] for step in run_steps(get_settings().db_url, book.job.run_id)}  # type: ignore[union-attr]
    assert {"review-2", "rewrite-2", "review-again-2", "review-1"} <= keys and "rewrite-1" not in keys


async def test_a_page_still_unsuitable_after_its_rewrite_stops_the_book_in_plain_words(book_backend,
                                                                                      monkeypatch) -> None:
    careless, told = _pages_saying("Then he got drunk on beer.", times=None)
    monkeypatch.setattr(providers, "text_provider", careless)
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    await answer_intake(user.id, summary.id)
    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id, statuses=("failed",))
    assert "not right for young children, even after a rewrite" in (book.error or "")
    assert len(told) == 2, "one rewrite, no more"
    run = get_run(get_settings().db_url, book.job.run_id)  # type: ignore[union-attr]
    assert run is not None and run.failure["kind"] == "content_refused" and run.failure["service"] == "review"
    assert not any(page.number == 2 for page in book.pages), "the page was never drawn"


async def test_claudes_page_review_asks_for_one_rewrite_with_its_advice(book_backend, monkeypatch) -> None:
    reviews: list[int] = []

    def strict_reviewer(recorded: Recorded) -> Scripted:
        tool = (recorded.body.get("tools") or [{}])[0].get("name")
        if tool == "page_review" and "Page 3:" in str(recorded.body["messages"][0]["content"]):
            reviews.append(3)
            if len(reviews) == 1:
                from tests.standins.anthropic import message_body, tool_use_block

                verdict = {"suitable": False, "concern": "frightening",
                           "advice": "The dark cave is too frightening for four-year-olds: make it a sunny meadow."}
                return Scripted(200, message_body([tool_use_block(tool, verdict)], stop_reason="tool_use"))
        return offline_claude(recorded)

    with claude_writes(monkeypatch) as claude, carry_inputs():
        claude.responder = strict_reviewer
        user = make_user()
        summary = await books.create_book(user.id, page_count=8)
        await answer_intake(user.id, summary.id)
        await books.approve(user.id, summary.id)
        book = await wait_for_status(user.id, summary.id)
        assert book.status == "complete", book.error
        prompts = [str(r.body["messages"][0]["content"]) for r in claude.messages_requests()
                   if r.body["tools"][0]["name"] == "prose_page"]
    rewrites = [p for p in prompts if "A reviewer found an earlier draft" in p]
    assert len(rewrites) == 1 and "make it a sunny meadow" in rewrites[0]
    assert reviews == [3, 3], "reviewed, rewritten once, reviewed again"
