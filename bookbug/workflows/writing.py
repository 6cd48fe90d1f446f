"""The writing steps: each runs one agent on the book's text provider and records the result."""

from __future__ import annotations

from typing import Any

from bookbug.agents import (
    IllustrationBeatInput, PageReview, IntakeInput, PageReviewInput, PlotProposalInput, PlotReviewInput, ProsePageInput,
    ProseSetupInput, StyleGuideInput, illustration_beat, intake_turn, page_review, plot_proposal, plot_review,
    prose_page, prose_setup, style_guide,
)
from bookbug.resilience.errors import FatalError
from bookbug.safety import left_out, screen
from bookbug.story import Brief, IllustrationBeat, PagePlan, Plot, ProsePage, ProseSetup, StyleGuide
from bookbug.views import MessageView
from bookbug.workflows import records
from bookbug.workflows.names import PHASE_INTAKE, PHASE_PLOT
from bookbug.workflows import providers
from bookbug.workflows.values import IntakeReply, PlotOffer, PlotReply


async def generate(book_id: str, agent: Any, input: Any) -> Any:
    result = await providers.text_provider(book_id).generate(agent, input)
    records.add_usage(book_id, result.usage.model_dump(mode="json"))
    return result.output


def _say(book_id: str, turn: int, content: str, chips: list[str], phase: str,
         concern: str | None = None) -> MessageView:
    return MessageView.model_validate(records.say(book_id, turn, content, chips, phase, concern=concern))


def starting_brief(book_id: str) -> Brief:
    """The brief the intake starts from: what the book was created with (format, pages)."""
    book = records.load_book(book_id)
    brief = Brief.model_validate(book.brief or {})
    if book.format and brief.format is None:
        brief.format = book.format  # type: ignore[assignment]  # a book is stored with a FormatName; the column is a plain str
    if book.page_count and brief.page_count is None:
        brief.page_count = book.page_count
    records.update_book(book_id, status="intake", brief=brief.model_dump(mode="json"))
    return brief


async def intake(book_id: str, brief: Brief, turn: int) -> IntakeReply:
    """One intake turn: fold the latest answer into the brief; ask the next question (turn + 1).

    An answer that raised a concern (something a young child's book leaves out) is not kept,
    whatever brief the writer returned with it: the brief stays as it was, and the writer's
    kind answer and alternatives are asked as the next question."""
    reply = await generate(book_id, intake_turn, IntakeInput(brief=brief, conversation=records.conversation(book_id)))
    if reply.concern is not None:
        chat = _say(book_id, turn + 1, reply.message, reply.chips, PHASE_INTAKE, concern=reply.concern)
        return IntakeReply(brief=brief, done=False, message=reply.message, turn=turn + 1, chat=chat)
    records.update_book(book_id, brief=reply.brief.model_dump(mode="json"), title=reply.brief.title or "")
    if reply.done:
        return IntakeReply(brief=reply.brief, done=True, message=reply.message, turn=turn)
    chat = _say(book_id, turn + 1, reply.message, reply.chips, PHASE_INTAKE)
    return IntakeReply(brief=reply.brief, done=False, message=reply.message, turn=turn + 1, chat=chat)


async def propose_plot(book_id: str, brief: Brief, preface: str, turn: int) -> PlotOffer:
    reply = await generate(book_id, plot_proposal, PlotProposalInput(brief=brief))
    records.update_book(book_id, status="plot", plot=reply.plot.model_dump(mode="json"), title=reply.plot.title,
                        page_count=brief.pages, format=brief.book_format)
    message = f"{preface}\n\n{reply.message}".strip() if preface else reply.message
    chat = _say(book_id, turn + 1, message, [*reply.change_chips, reply.approval_chip], PHASE_PLOT)
    return PlotOffer(plot=reply.plot, turn=turn + 1, chat=chat)


async def review_plot(book_id: str, brief: Brief, plot: Plot, reply_text: str, turn: int) -> PlotReply:
    """Approval, or a revised plot offered again (turn + 1)."""
    review = await generate(book_id, plot_review, PlotReviewInput(
        brief=brief, plot=plot, reply=reply_text, conversation=records.conversation(book_id)))
    if review.concern is not None:  # the change is not made: the plot and brief stay as they were
        chat = _say(book_id, turn + 1, review.message, [*review.change_chips, review.approval_chip], PHASE_PLOT,
                           concern=review.concern)
        return PlotReply(approved=False, brief=brief, plot=plot, turn=turn + 1, chat=chat)
    new_brief = review.brief.model_dump(mode="json")
    if review.approved:
        records.update_book(book_id, brief=new_brief)
        return PlotReply(approved=True, brief=review.brief, plot=plot, turn=turn)
    records.update_book(book_id, brief=new_brief, plot=review.plot.model_dump(mode="json"), title=review.plot.title,
                        page_count=review.brief.pages, format=review.brief.book_format)
    chat = _say(book_id, turn + 1, review.message, [*review.change_chips, review.approval_chip], PHASE_PLOT)
    return PlotReply(approved=False, brief=review.brief, plot=review.plot, turn=turn + 1, chat=chat)


async def write_setup(book_id: str, brief: Brief, plot: Plot) -> ProseSetup:
    setup: ProseSetup = await generate(book_id, prose_setup, ProseSetupInput(brief=brief, plot=plot))
    records.update_book(book_id, status="generating", prose={"setup": setup.model_dump(mode="json"), "pages": []})
    return setup


def _prose(setup: ProseSetup, pages: list[ProsePage]) -> dict[str, Any]:
    return {"setup": setup.model_dump(mode="json"), "pages": [p.model_dump(mode="json") for p in pages]}


async def write_page(book_id: str, brief: Brief, plot: Plot, setup: ProseSetup, plan: PagePlan,
                     pages_so_far: list[ProsePage]) -> ProsePage:
    page: ProsePage = await generate(book_id, prose_page, ProsePageInput(
        brief=brief, plot=plot, setup=setup, page=plan, pages_so_far=pages_so_far))
    records.update_book(book_id, prose=_prose(setup, [*pages_so_far, page]))
    return page


REVIEW = "review"  # the failure's service when a page is still unsuitable after its rewrite (plain_words.py)


async def review_page(book_id: str, brief: Brief | None, page: ProsePage) -> PageReview:
    """Is the page right for its readers? The maintained list first, whichever writer wrote it (a
    hit needs no model); then the writer's own review (Claude's fast model; offline, the list)."""
    story = brief if brief is not None else Brief.model_validate(records.load_book(book_id).brief or {})
    youngest = story.age_range.min if story.age_range else None
    found = screen(page.text, youngest=youngest) or screen(page.image_concept, youngest=youngest)
    if found is not None:
        return PageReview(suitable=False, concern=found.concern,
                          advice=f"Leave out {left_out(found.concern, youngest)}; tell this part gently.")
    verdict: PageReview = await generate(book_id, page_review, PageReviewInput(brief=story, page=page))
    return verdict


def review_note(verdict: PageReview) -> str:
    """What the writer is told when it writes a page again after a review."""
    return (verdict.advice or f"it raised a concern ({verdict.concern})")[:600]


async def rewrite_page(book_id: str, brief: Brief, plot: Plot, setup: ProseSetup, plan: PagePlan,
                       pages_so_far: list[ProsePage], verdict: PageReview) -> ProsePage:
    """The page written once more, with the review's advice, and recorded in its place."""
    page: ProsePage = await generate(book_id, prose_page, ProsePageInput(
        brief=brief, plot=plot, setup=setup, page=plan, pages_so_far=pages_so_far, review_note=review_note(verdict)))
    records.update_book(book_id, prose=_prose(setup, [*pages_so_far, page]))
    return page


def refuse_page(number: int, verdict: PageReview) -> None:
    """A page still unsuitable after its rewrite is not drawn: the book stops, saying why in structure."""
    raise FatalError(f"page {number} was still unsuitable for its readers after a rewrite ({verdict.concern})",
                     service=REVIEW, kind="content_refused")


async def direct_art(book_id: str, brief: Brief, plot: Plot, setup: ProseSetup) -> StyleGuide:
    guide: StyleGuide = await generate(book_id, style_guide, StyleGuideInput(brief=brief, plot=plot, setup=setup))
    records.update_book(book_id, style_guide=guide.model_dump(mode="json"))
    return guide


async def direct_page(book_id: str, brief: Brief, guide: StyleGuide, plan: PagePlan, page: ProsePage,
                      previous: IllustrationBeat | None, note: str = "") -> IllustrationBeat:
    """The page's illustration beat; `note` is the owner's wish when the page is redone."""
    beat: IllustrationBeat = await generate(book_id, illustration_beat, IllustrationBeatInput(
        brief=brief, style_guide=guide, plan=plan, page=page, previous_beat=previous, note=note))
    return beat
