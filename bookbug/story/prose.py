"""The manuscript: a setup (logline, theme, style notes) and the text of every page.

`ProsePage` checks itself against the book when validated with a context
(`prose_context`): its page number, the age band's text limits and the moral, which must be
shown through the story and never stated word for word. Providers validate every reply with
that context, so a page breaking the rules is repaired or refused, never stored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from bookbug.story.brief import Brief
from bookbug.story.reading_level import plain_words, sentences, states_moral, text_problems


class ProseSetup(BaseModel):
    logline: str = Field(min_length=5, max_length=400, description="the story in one sentence")
    theme: str = Field(min_length=2, max_length=200, description="what the story is about underneath")
    style_notes: str = Field(min_length=5, max_length=1000, description="voice, rhythm, refrains, vocabulary")
    refrain: str | None = Field(default=None, max_length=120,
                                description="one short line repeated on purpose on a few pages; the only sentence "
                                            "that may appear more than once in the book")


class ProsePage(BaseModel):
    page_number: int = Field(ge=1)
    summary: str = Field(min_length=3, max_length=400, description="what happens on this page")
    text: str = Field(min_length=3, max_length=600, description="the words printed on the page")
    image_concept: str = Field(min_length=3, max_length=600, description="what the illustration shows")

    @model_validator(mode="after")
    def _fits_the_book(self, info: ValidationInfo) -> "ProsePage":
        context: dict[str, Any] = info.context or {}
        problems = page_problems(self, context.get("brief"), context.get("page_number"))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def prose_context(brief: Brief, page_number: int | None = None) -> dict[str, Any]:
    return {"brief": brief, "page_number": page_number}


def page_problems(page: ProsePage, brief: Brief | None, page_number: int | None = None) -> list[str]:
    """Why `page` breaks the book's rules (empty when it does not)."""
    problems: list[str] = []
    if page_number is not None and page.page_number != page_number:
        problems.append(f"this is page {page_number}, not page {page.page_number}")
    if brief is None:
        return problems
    if brief.age_range is not None:
        problems += [f"page {page.page_number} text {p}" for p in text_problems(page.text, brief.text_limits)]
    if brief.moral and states_moral(page.text, brief.moral):
        problems.append(f"page {page.page_number} states the moral {brief.moral!r} outright; show it through the story")
    return problems


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
