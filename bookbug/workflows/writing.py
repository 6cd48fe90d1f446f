"""The writing steps: each runs one agent on the book's text provider and records the result."""

from __future__ import annotations

from typing import Any

from bookbug.agents import (
    IllustrationBeatInput, IntakeInput, PageReviewInput, PlotProposalInput, PlotReviewInput, ProsePageInput,
    ProseSetupInput, StyleGuideInput, illustration_beat, intake_turn, page_review, plot_proposal, plot_review,
    prose_page, prose_setup, style_guide,
)
from bookbug.resilience.errors import FatalError
from bookbug.safety import left_out, screen
from bookbug.story import Brief, IllustrationBeat, PagePlan, Plot, ProsePage, ProseSetup, StyleGuide
from bookbug.workflows import records
from bookbug.workflows.names import PHASE_INTAKE, PHASE_PLOT
from bookbug.workflows import providers


async def generate(book_id: str, agent: Any, input: Any) -> Any:
    result = await providers.text_provider(book_id).generate(agent, input)
    records.add_usage(book_id, result.usage.model_dump(mode="json"))
    return result.output


def starting_brief(book_id: str) -> dict[str, Any]:
    """The brief the intake starts from: what the book was created with (format, pages)."""
    book = records.load_book(book_id)
    brief = Brief.model_validate(book.brief or {})
    if book.format and brief.format is None:
        brief.format = book.format  # type: ignore[assignment]
    if book.page_count and brief.page_count is None:
        brief.page_count = book.page_count
    records.update_book(book_id, status="intake", brief=brief.model_dump(mode="json"))
    return brief.model_dump(mode="json")


async def intake(book_id: str, brief: dict[str, Any], turn: int) -> dict[str, Any]:
    """One intake turn: fold the latest answer into the brief; ask the next question (turn + 1).

    An answer that raised a concern (something a young child's book leaves out) is not kept,
    whatever brief the writer returned with it: the brief stays as it was, and the writer's
    kind answer and alternatives are asked as the next question."""
    reply = await generate(book_id, intake_turn,
                            IntakeInput(brief=Brief.model_validate(brief), conversation=records.conversation(book_id)))
    if reply.concern is not None:
        chat = records.say(book_id, turn + 1, reply.message, reply.chips, PHASE_INTAKE, concern=reply.concern)
        return {"brief": brief, "done": False, "message": reply.message, "turn": turn + 1, "chat": chat}
    new_brief = reply.brief.model_dump(mode="json")
    records.update_book(book_id, brief=new_brief, title=reply.brief.title or "")
    result: dict[str, Any] = {"brief": new_brief, "done": reply.done, "message": reply.message, "turn": turn}
    if not reply.done:
        result["chat"] = records.say(book_id, turn + 1, reply.message, reply.chips, PHASE_INTAKE)
        result["turn"] = turn + 1
    return result


async def propose_plot(book_id: str, brief: dict[str, Any], preface: str, turn: int) -> dict[str, Any]:
    reply = await generate(book_id, plot_proposal, PlotProposalInput(brief=Brief.model_validate(brief)))
    plot = reply.plot.model_dump(mode="json")
    records.update_book(book_id, status="plot", plot=plot, title=reply.plot.title,
                        page_count=Brief.model_validate(brief).pages, format=Brief.model_validate(brief).book_format)
    message = f"{preface}\n\n{reply.message}".strip() if preface else reply.message
    chat = records.say(book_id, turn + 1, message, [*reply.change_chips, reply.approval_chip], PHASE_PLOT)
    return {"plot": plot, "turn": turn + 1, "chat": chat}


async def review_plot(book_id: str, brief: dict[str, Any], plot: dict[str, Any], reply_text: str,
                      turn: int) -> dict[str, Any]:
    """Approval, or a revised plot offered again (turn + 1)."""
    review = await generate(book_id, plot_review, PlotReviewInput(
        brief=Brief.model_validate(brief), plot=Plot.model_validate(plot), reply=reply_text,
        conversation=records.conversation(book_id)))
    if review.concern is not None:  # the change is not made: the plot and brief stay as they were
        chat = records.say(book_id, turn + 1, review.message, [*review.change_chips, review.approval_chip], PHASE_PLOT,
                           concern=review.concern)
        return {"approved": False, "brief": brief, "plot": plot, "turn": turn + 1, "chat": chat}
    new_brief = review.brief.model_dump(mode="json")
    if review.approved:
        records.update_book(book_id, brief=new_brief)
        return {"approved": True, "brief": new_brief, "plot": plot, "turn": turn}
    new_plot = review.plot.model_dump(mode="json")
    records.update_book(book_id, brief=new_brief, plot=new_plot, title=review.plot.title,
                        page_count=review.brief.pages, format=review.brief.book_format)
    chat = records.say(book_id, turn + 1, review.message, [*review.change_chips, review.approval_chip], PHASE_PLOT)
    return {"approved": False, "brief": new_brief, "plot": new_plot, "turn": turn + 1, "chat": chat}


async def write_setup(book_id: str, brief: dict[str, Any], plot: dict[str, Any]) -> dict[str, Any]:
    setup = await generate(book_id, prose_setup, ProseSetupInput(brief=Brief.model_validate(brief),
                                                                  plot=Plot.model_validate(plot)))
    records.update_book(book_id, status="generating", prose={"setup": setup.model_dump(mode="json"), "pages": []})
    return setup.model_dump(mode="json")


async def write_page(book_id: str, brief: dict[str, Any], plot: dict[str, Any], setup: dict[str, Any],
                     plan: dict[str, Any], pages_so_far: list[dict[str, Any]]) -> dict[str, Any]:
    page = await generate(book_id, prose_page, ProsePageInput(
        brief=Brief.model_validate(brief), plot=Plot.model_validate(plot), setup=ProseSetup.model_validate(setup),
        page=PagePlan.model_validate(plan), pages_so_far=[ProsePage.model_validate(p) for p in pages_so_far]))
    pages = [*pages_so_far, page.model_dump(mode="json")]
    records.update_book(book_id, prose={"setup": setup, "pages": pages})
    return page.model_dump(mode="json")


REVIEW = "review"  # the failure's service when a page is still unsuitable after its rewrite (plain_words.py)


async def review_page(book_id: str, brief: dict[str, Any] | None, page: dict[str, Any]) -> dict[str, Any]:
    """Is the page right for its readers? The maintained list first, whichever writer wrote it (a
    hit needs no model); then the writer's own review (Claude's fast model; offline, the list)."""
    story = Brief.model_validate(brief if brief is not None else records.load_book(book_id).brief or {})
    written = ProsePage.model_validate(page)
    youngest = story.age_range.min if story.age_range else None
    found = screen(written.text, youngest=youngest) or screen(written.image_concept, youngest=youngest)
    if found is not None:
        return {"suitable": False, "concern": found.concern,
                "advice": f"Leave out {left_out(found.concern, youngest)}; tell this part gently."}
    verdict = await generate(book_id, page_review, PageReviewInput(brief=story, page=written))
    return verdict.model_dump(mode="json")


def review_note(verdict: dict[str, Any]) -> str:
    """What the writer is told when it writes a page again after a review."""
    return (str(verdict.get("advice") or "") or f"it raised a concern ({verdict.get('concern')})")[:600]


async def rewrite_page(book_id: str, brief: dict[str, Any], plot: dict[str, Any], setup: dict[str, Any],
                       plan: dict[str, Any], pages_so_far: list[dict[str, Any]], verdict: dict[str, Any]) -> dict[str, Any]:
    """The page written once more, with the review's advice, and recorded in its place."""
    page = await generate(book_id, prose_page, ProsePageInput(
        brief=Brief.model_validate(brief), plot=Plot.model_validate(plot), setup=ProseSetup.model_validate(setup),
        page=PagePlan.model_validate(plan), pages_so_far=[ProsePage.model_validate(p) for p in pages_so_far],
        review_note=review_note(verdict)))
    records.update_book(book_id, prose={"setup": setup, "pages": [*pages_so_far, page.model_dump(mode="json")]})
    return page.model_dump(mode="json")


def refuse_page(number: int, verdict: dict[str, Any]) -> None:
    """A page still unsuitable after its rewrite is not drawn: the book stops, saying why in structure."""
    raise FatalError(f"page {number} was still unsuitable for its readers after a rewrite ({verdict.get('concern')})",
                     service=REVIEW, kind="content_refused")


async def direct_art(book_id: str, brief: dict[str, Any], plot: dict[str, Any], setup: dict[str, Any]) -> dict[str, Any]:
    guide = await generate(book_id, style_guide, StyleGuideInput(
        brief=Brief.model_validate(brief), plot=Plot.model_validate(plot), setup=ProseSetup.model_validate(setup)))
    records.update_book(book_id, style_guide=guide.model_dump(mode="json"))
    return guide.model_dump(mode="json")


async def direct_page(book_id: str, brief: dict[str, Any], guide: dict[str, Any], plan: dict[str, Any],
                      page: dict[str, Any], previous: dict[str, Any] | None, note: str = "") -> dict[str, Any]:
    """The page's illustration beat; `note` is the owner's wish when the page is redone."""
    beat = await generate(book_id, illustration_beat, IllustrationBeatInput(
        brief=Brief.model_validate(brief), style_guide=StyleGuide.model_validate(guide),
        plan=PagePlan.model_validate(plan), page=ProsePage.model_validate(page),
        previous_beat=IllustrationBeat.model_validate(previous) if previous else None, note=note))
    return beat.model_dump(mode="json")
