"""What an illustrator is asked to draw, and what it hands back.

These are the image providers' own input models. The story package has richer models (brief,
style guide, art direction); the workflow maps those onto these, so this package never
depends on how the story is written.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from bookbug.story.formats import DEFAULT_FORMAT, get_format

IllustrationKind = Literal["page", "character_sheet", "cover"]
StyleId = Literal[
    "watercolor", "gouache", "cut-paper", "claymation", "chibi", "crayon", "miniature-diorama", "3d-animated",
]
STYLE_IDS: tuple[str, ...] = StyleId.__args__  # type: ignore[attr-defined]  # a Literal's values, which typing declares no attribute for

# The reference model we use first (nano-banana-pro) accepts at most 14 reference images.
MAX_REFERENCES = 14

_HEX = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class Scene(BaseModel):
    """Where and when the picture happens, in plain words (the offline illustrator reads the words)."""

    time_of_day: str = "morning"  # dawn, morning, midday, afternoon, sunset, dusk, night...
    sky: str = ""  # weather and sky: clear, cloudy, rain, snow, storm, rainbow, stars...
    ground: str = ""  # grass, sand, snow, water, floor, path...
    setting: str = ""  # the place's name: "the enchanted forest", "Grandma's kitchen"
    elements: list[str] = Field(default_factory=list)  # things in view: trees, a red house, waves...


class CharacterLook(BaseModel):
    """One character as drawn: the same description on every page and on its sheet."""

    name: str = Field(min_length=1, max_length=80)
    body: str = "child"  # body shape word: child, dragon, cat, bear, rabbit, bird, robot, fox...
    colours: list[str] = Field(default_factory=list)  # hex ("#ff8800") or colour names, main first
    clothing: str = ""
    props: list[str] = Field(default_factory=list)
    description: str = ""  # free visual description from the character sheet
    expression: str = "happy"  # on this page
    pose: str = "standing"  # on this page

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a character needs a name")
        return value


class ReferenceImage(BaseModel):
    """A picture the model should stay consistent with: bytes, or a key in the file store."""

    label: str = ""  # e.g. "character sheet: Pip", "hero page"
    data: bytes | None = None
    key: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ReferenceImage:
        if (self.data is None) == (self.key is None):
            raise ValueError("a reference image needs exactly one of `data` (bytes) or `key` (storage key)")
        return self


class IllustrationRequest(BaseModel):
    kind: IllustrationKind = "page"
    book_id: str = Field(min_length=1)
    page: int = Field(0, ge=0)  # 0 for character sheets and the cover
    seed: int = 0
    prompt: str = ""  # the art direction's own words for this picture
    gentle: bool = False  # asked again after the model's safety filter refused it: softer words
    scene: Scene = Field(default_factory=Scene)
    # Characters present, most important first; for a character sheet, exactly one.
    characters: list[CharacterLook] = Field(default_factory=list)
    style: StyleId = "watercolor"
    palette: list[str] = Field(default_factory=list)  # hex colours or names, from the style guide
    shot: str = "medium"  # wide, medium, close-up
    composition: str = ""
    format_name: str = DEFAULT_FORMAT
    references: list[ReferenceImage] = Field(default_factory=list, max_length=MAX_REFERENCES)

    @field_validator("format_name")
    @classmethod
    def _known_format(cls, value: str) -> str:
        get_format(value)  # raises a clear ValueError naming the formats
        return value

    @field_validator("palette")
    @classmethod
    def _palette_words(cls, value: list[str]) -> list[str]:
        return [colour.strip() for colour in value if colour.strip()]

    @model_validator(mode="after")
    def _sheet_has_one_character(self) -> IllustrationRequest:
        if self.kind == "character_sheet" and len(self.characters) != 1:
            raise ValueError(f"a character sheet shows exactly one character, got {len(self.characters)}")
        return self


def is_hex_colour(value: str) -> bool:
    return bool(_HEX.match(value.strip()))


class IllustrationResult(BaseModel):
    png: bytes
    width: int
    height: int
    model: str  # "offline" or the Replicate model name
    prediction_id: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class PredictionOutcome(BaseModel):
    """How a prediction ended, small enough to checkpoint: the picture itself is fetched after.

    `refused` says the model's safety filter declined the picture (a softer prompt may pass)."""

    status: Literal["succeeded", "failed", "canceled"]
    output: list[str] = Field(default_factory=list)  # where the picture is (URLs, or the offline id)
    error: str | None = None
    refused: bool = False
    model: str = ""
    metrics: dict[str, Any] = Field(default_factory=dict)
    aspect_ratio: str | None = None  # the shape asked for: the picture fetched must have it

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"
