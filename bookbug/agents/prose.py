"""Prose: a setup pass, then one page at a time with everything written so far in view."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from bookbug.agents.base import Agent, as_json
from bookbug.agents.language import writing_in
from bookbug.story.brief import Brief
from bookbug.story.plot import PagePlan, Plot
from bookbug.story.prose import MORAL_STATED, TEXT_BAND, ProsePage, ProseSetup, prose_context


class ProseSetupInput(BaseModel):
    brief: Brief
    plot: Plot


class ProsePageInput(BaseModel):
    brief: Brief
    plot: Plot
    setup: ProseSetup
    page: PagePlan
    pages_so_far: list[ProsePage] = Field(default_factory=list, description="every page already written, in order")
    review_note: str = Field(default="", max_length=600, description=(
        "when an earlier draft of this page was found unsuitable for the readers: what the rewrite must change"))


_VOICE = """Write for reading aloud: concrete words, rhythm, a little repetition children can join
in with, gentle humour. Nothing frightening, violent or unsuitable for the readers' ages."""

SETUP_SYSTEM = f"""You are Bookbug, a children's picture-book author. Before writing the pages, set up
the manuscript for the brief and approved plot: a logline (the story in one sentence), the
theme (what it is about underneath; the moral is shown through the story, never stated),
and style notes (voice, rhythm, refrains, vocabulary for the readers' ages). {_VOICE}"""

PAGE_SYSTEM = f"""You are Bookbug, a children's picture-book author writing one page of a book.
You see the brief, the plot, the setup and every page written so far: continue the story
from exactly where the last page left off, keep names, facts and refrains consistent, and
tell this page's part of its beat.
Rules:
- {TEXT_BAND.statement} given below (sentences and words).
- The child hero solves the problem through their own actions and choices.
- {MORAL_STATED.statement}; show it through what the characters do.
- summary says what happens; image_concept describes one illustration for the page.
{_VOICE}"""


def render_setup(input: ProseSetupInput) -> str:
    return (f"The brief:\n{as_json(input.brief)}\n\nThe approved plot:\n{input.plot.title}\n{input.plot.outline()}"
            + writing_in(input.brief))


def page_stable(input: ProsePageInput) -> list[str]:
    """What every page of the book is written with, then each page written so far, in page order:
    page n + 1 repeats page n's message up to its last page, so it can be read from a cache."""
    story = (f"The brief:\n{as_json(input.brief)}\n\nThe plot:\n{input.plot.title}\n{input.plot.outline()}\n\n"
             f"Setup:\n{as_json(input.setup)}\n\nPages written so far:")
    written = [f"Page {p.page_number}: {p.text}" for p in input.pages_so_far]
    return [story, *written] if written else [story, "(nothing yet: this is the first page)"]


def render_page(input: ProsePageInput) -> str:
    brief, page = input.brief, input.page
    return (
        f"Write page {page.page_number} of {brief.pages}. It tells part {page.part} of {page.parts} of beat "
        f"{page.beat_number} ({page.beat.purpose.value}): {page.beat.sentence}\n"
        f"Text limits for ages {brief.age_range}: {brief.text_limits.describe()}."
        + (f"\nThe moral, to show and never state: {brief.moral}" if brief.moral else "")
        + (f"\n\nA reviewer found an earlier draft of this page unsuitable for the readers: {input.review_note}\n"
           "Write the page again without that, keeping its part of the story." if input.review_note.strip() else "")
        + writing_in(brief)
    )


def _page_context(input: ProsePageInput) -> dict[str, Any]:
    return prose_context(input.brief, input.page.page_number)


def _book_context(input: ProsePageInput) -> dict[str, Any]:
    return prose_context(input.brief)  # the page's number is in the prompt ("Write page N") and checked


prose_setup: Agent[ProseSetupInput, ProseSetup] = Agent(
    name="prose_setup",
    description="Set up the manuscript: logline, theme and style notes.",
    system=SETUP_SYSTEM,
    render=render_setup,
    input_type=ProseSetupInput,
    output_type=ProseSetup,
    max_tokens=1024,
)

prose_page: Agent[ProsePageInput, ProsePage] = Agent(
    name="prose_page",
    description="Write one page of the book: summary, text and image concept.",
    system=PAGE_SYSTEM,
    render=render_page,
    stable=page_stable,
    input_type=ProsePageInput,
    output_type=ProsePage,
    context=_page_context,
    stable_context=_book_context,
    max_tokens=1024,
)
