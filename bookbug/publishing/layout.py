"""What a book is made of, as publishing sees it: words, pictures and who it is for.

The workflow fills this from the story and the stored pictures; publishing never reads
the database or the story models itself.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, field_validator

from bookbug.story.formats import DEFAULT_FORMAT, get_format

_AGE_BAND = re.compile(r"^\s*(\d{1,2})\s*(?:[-–to]+\s*(\d{1,2}))?\s*\+?\s*$")


class StoryPage(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    image: bytes  # PNG or JPEG, any size: publishing fits it to the page

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a story page needs some text")
        return value


class BookLayout(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    child_name: str = Field(min_length=1, max_length=60)
    author_line: str = Field("", max_length=160)  # e.g. "by Grandma Rose and Bookbug"
    age_band: str = "3-5"  # "3-5", "6-8", "4"...
    format_name: str = DEFAULT_FORMAT
    pages: list[StoryPage] = Field(min_length=1, max_length=64)
    cover_image: bytes | None = None  # the hero picture; the first page's when missing
    language: str = "en"  # ISO 639-1: the words the pages add themselves ("The End", ...) are in it

    @field_validator("format_name")
    @classmethod
    def _known_format(cls, value: str) -> str:
        get_format(value)
        return value

    @field_validator("age_band")
    @classmethod
    def _readable_band(cls, value: str) -> str:
        if not _AGE_BAND.match(value):
            raise ValueError(f"age band {value!r} should look like '3-5' or '6'")
        return value.strip()

    @property
    def youngest_age(self) -> int:
        match = _AGE_BAND.match(self.age_band)
        assert match is not None  # validated above
        return int(match.group(1))
