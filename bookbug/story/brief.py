"""The story brief: everything the intake conversation learns before a plot is proposed.

Every field is one of three kinds (`FIELD_NEEDS`):
- required: the intake cannot finish without it;
- asked: the intake asks about it once; if the answer leaves it empty a default applies;
- optional: never asked; used when the user offers it.
During the intake the brief is partial, so every field may be empty; `missing()` and
`still_to_ask()` say what is left, and `is_complete` gates the end of the intake.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from bookbug.story.art_styles import ArtStyle
from bookbug.story.characters import Character, hero_of
from bookbug.story.formats import DEFAULT_FORMAT, FormatName
from bookbug.story.languages import LanguageCode
from bookbug.story.page_count import DEFAULT_PAGES, MAX_PAGES, MIN_PAGES, padded_page_count
from bookbug.story.reading_level import AgeRange, TextLimits, limits_for

BriefField = Literal[
    "title", "characters", "setting", "story_arc", "plot_beats", "age_range", "art_style", "page_count",
    "format", "tone", "moral", "interests", "custom_instructions", "allow_creative_liberty", "language",
]


class Need(str, enum.Enum):
    required = "required"
    asked = "asked"
    optional = "optional"


# The order is the order the intake asks in: who, for whom, what happens, where, how it looks.
FIELD_NEEDS: dict[str, Need] = {
    "characters": Need.required,
    "age_range": Need.required,
    "story_arc": Need.required,
    "setting": Need.required,
    "art_style": Need.required,
    "moral": Need.asked,
    "tone": Need.asked,
    "interests": Need.asked,
    "page_count": Need.asked,
    "format": Need.asked,
    "title": Need.optional,
    "plot_beats": Need.optional,
    "custom_instructions": Need.optional,
    "allow_creative_liberty": Need.optional,
    # never asked: set when the user writes in another language or asks for one
    "language": Need.optional,
}

DEFAULT_TONE = "warm and gentle"


class Brief(BaseModel):
    title: str | None = Field(default=None, max_length=120)
    characters: list[Character] = Field(default_factory=list, description="the hero first, then friends")
    setting: str | None = Field(default=None, max_length=300, description="where the story happens")
    story_arc: str | None = Field(default=None, max_length=600, description="the premise: who wants what, what stands in the way")
    plot_beats: list[str] = Field(default_factory=list, description="moments the user wants in the story")
    age_range: AgeRange | None = None
    art_style: ArtStyle | None = Field(default=None, description="a preset or a generated style")
    page_count: int | None = Field(default=None, ge=MIN_PAGES, le=MAX_PAGES, description="story pages the user asked for")
    format: FormatName | None = None
    tone: str | None = Field(default=None, max_length=120)
    moral: str | None = Field(default=None, max_length=200, description="the lesson; shown, never stated in the text")
    interests: list[str] = Field(default_factory=list, description="the child's interests, woven into the story")
    custom_instructions: str | None = Field(default=None, max_length=1000)
    allow_creative_liberty: bool = True
    language: LanguageCode | None = Field(default=None, description=(
        "the language the whole book is written in, as an ISO 639-1 code; set only when the user writes in "
        "another language than English or asks for one; null means English"))
    # Intake bookkeeping: fields already asked about, so an "asked" field is asked only once.
    asked_about: list[BriefField] = Field(default_factory=list)

    @field_validator("title", "setting", "story_arc", "tone", "moral", "custom_instructions")
    @classmethod
    def _blank_is_missing(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None

    # what is known and what is left -------------------------------------------------

    def has(self, field: str) -> bool:
        value = getattr(self, field)
        if isinstance(value, list):
            return bool(value)
        return value is not None

    def missing(self, need: Need | None = None) -> list[str]:
        """Empty fields of the given kind (all kinds when None), in asking order."""
        return [name for name, kind in FIELD_NEEDS.items()
                if (need is None or kind == need) and not self.has(name)]

    def still_to_ask(self) -> list[str]:
        """What the intake should still ask: missing required fields, then unasked asked-about ones."""
        required = self.missing(Need.required)
        asked = [name for name in self.missing(Need.asked) if name not in self.asked_about]
        return required + asked

    @property
    def is_complete(self) -> bool:
        return not self.missing(Need.required)

    # values with their defaults ---------------------------------------------------------

    @property
    def hero(self) -> Character | None:
        return hero_of(self.characters)

    @property
    def book_format(self) -> str:
        return self.format or DEFAULT_FORMAT

    @property
    def pages(self) -> int:
        """The number of story pages to write: the request (or 24), padded for the format."""
        return padded_page_count(self.page_count or DEFAULT_PAGES, self.book_format)

    @property
    def book_language(self) -> str:
        """The book's language code: English unless the user chose another."""
        return self.language or "en"

    @property
    def text_limits(self) -> TextLimits:
        if self.age_range is None:
            raise ValueError("the brief has no age range yet, so the text limits are unknown")
        return limits_for(self.age_range)

    def require_complete(self) -> Brief:
        """This brief, or a clear error naming what the intake has not filled."""
        if not self.is_complete:
            raise ValueError("the brief is not complete; still missing: " + ", ".join(self.missing(Need.required)))
        return self
