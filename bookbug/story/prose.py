"""The manuscript: a setup (logline, theme, style notes) and the text of every page.

`ProsePage` checks itself against the book when validated with a context
(`prose_context`): its page number, the age band's text limits and the moral, which must be
shown through the story and never stated word for word. Providers validate every reply with
that context, so a page breaking the rules is repaired or refused, never stored. A page a
little over its band is trimmed at a sentence end; `tool_schema` states the page number, and
in words the band and the moral, in the schema a model is shown for that page.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from bookbug.story.brief import Brief
from bookbug.story.reading_level import plain_words, sentences, states_moral, text_problems, trimmed_to_limits
from bookbug.story.rules import WordedRule
from bookbug.story.text_fields import Text

# Counting words and sentences, and spotting a moral said outright, are beyond JSON Schema.
TEXT_BAND = WordedRule("page_text_band", "The page text must respect the age band's limits")
MORAL_STATED = WordedRule("page_states_moral", "Never state the moral outright")


class ProseSetup(BaseModel):
    logline: Text = Field(min_length=5, max_length=400, description="the story in one sentence")
    theme: Text = Field(min_length=2, max_length=200, description="what the story is about underneath")
    style_notes: Text = Field(min_length=5, max_length=1000, description="voice, rhythm, refrains, vocabulary")
    refrain: str | None = Field(default=None, max_length=120,
                                description="one short line repeated on purpose on a few pages; the only sentence "
                                            "that may appear more than once in the book")


class ProsePage(BaseModel):
    page_number: int = Field(ge=1)
    summary: Text = Field(min_length=3, max_length=400, description="what happens on this page")
    text: Text = Field(min_length=3, max_length=600, description="the words printed on the page")
    image_concept: Text = Field(min_length=3, max_length=600, description="what the illustration shows")

    @model_validator(mode="after")
    def _fits_the_book(self, info: ValidationInfo) -> ProsePage:
        context: dict[str, Any] = info.context or {}
        brief: Brief | None = context.get("brief")
        if brief is not None and brief.age_range is not None:
            self.text = trimmed_to_limits(self.text, brief.text_limits)
        faults = _page_faults(self, brief, context.get("page_number"))
        if faults:
            detail = "; ".join(problem for _, problem in faults)
            worded = [rule for rule, _ in faults if rule is not None]
            if len(worded) < len(faults):  # the schema states the page number: not a worded rule
                raise PydanticCustomError("page_number", "{detail}", {"detail": detail})
            raise worded[0].broken(detail)
        return self

    @classmethod
    def tool_schema(cls, schema: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """`schema` (this model's JSON schema) stating the rules of the page a context asks for."""
        properties = schema["properties"]
        if context.get("page_number") is not None:
            properties["page_number"]["const"] = context["page_number"]
        brief: Brief | None = context.get("brief")
        if brief is not None and brief.age_range is not None:
            limits = brief.text_limits
            properties["text"]["description"] += (
                f". {TEXT_BAND.statement}: {limits.describe()} for ages {brief.age_range}")
        if brief is not None and brief.moral:
            properties["text"]["description"] += (
                f". {MORAL_STATED.statement}: the words {brief.moral!r} never appear in it")
        return schema


def prose_context(brief: Brief, page_number: int | None = None) -> dict[str, Any]:
    return {"brief": brief, "page_number": page_number}


def page_problems(page: ProsePage, brief: Brief | None, page_number: int | None = None) -> list[str]:
    """Why `page` breaks the book's rules (empty when it does not)."""
    return [problem for _, problem in _page_faults(page, brief, page_number)]


def _page_faults(page: ProsePage, brief: Brief | None,
                 page_number: int | None) -> list[tuple[WordedRule | None, str]]:
    """Each broken rule with why: the worded rule, or None for the page number (the schema says it)."""
    faults: list[tuple[WordedRule | None, str]] = []
    if page_number is not None and page.page_number != page_number:
        faults.append((None, f"this is page {page_number}, not page {page.page_number}"))
    if brief is None:
        return faults
    if brief.age_range is not None:
        faults += [(TEXT_BAND, f"page {page.page_number} text {p}") for p in text_problems(page.text, brief.text_limits)]
    if brief.moral and states_moral(page.text, brief.moral):
        faults.append((MORAL_STATED, f"page {page.page_number} states the moral {brief.moral!r} outright; "
                                     "show it through the story"))
    return faults


class Manuscript(BaseModel):
    setup: ProseSetup
    pages: list[ProsePage]


def manuscript_problems(manuscript: Manuscript, brief: Brief) -> list[str]:
    """Every rule the manuscript breaks: page count, numbering, word limits, a stated moral, a repeated sentence."""
    problems: list[str] = []
    if len(manuscript.pages) != brief.pages:
        problems.append(f"the book needs {brief.pages} pages, the manuscript has {len(manuscript.pages)}")
    for expected, page in enumerate(manuscript.pages, 1):
        problems += page_problems(page, brief, expected)
    for sentence, pages in repeated_sentences(manuscript.pages, manuscript.setup.refrain).items():
        problems.append(f"the sentence {sentence!r} appears on pages {', '.join(map(str, pages))}")
    return problems


def repeated_sentences(pages: list[ProsePage], refrain: str | None = None) -> dict[str, list[int]]:
    """Sentences told more than once in the book (the refrain, chosen on purpose, may repeat)."""
    seen: dict[str, list[int]] = {}
    allowed = plain_words(refrain) if refrain else None
    for page in pages:
        for sentence in sentences(page.text):
            key = plain_words(sentence)
            if key and key != allowed:
                seen.setdefault(key, []).append(page.page_number)
    return {key: numbers for key, numbers in seen.items() if len(numbers) > 1}
