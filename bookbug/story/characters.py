"""Characters: who is in the book and how they look, so every illustration draws them alike."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from bookbug.story.text_fields import Line

# What `_short_name` checks, for the JSON schema: one to three words, stray spaces allowed.
ONE_TO_THREE_WORDS = r"^\s*\S+(\s+\S+){0,2}\s*$"


class VisualDescription(BaseModel):
    """What an illustrator needs to draw a character the same way on every page."""

    body: str = Field(description="species or build, size, face, hair or fur, e.g. 'small green dragon with round eyes'")
    colours: list[str] = Field(default_factory=list, description="the character's signature colours")
    clothing: str = Field(default="", description="what they wear on every page (empty for none)")
    props: list[str] = Field(default_factory=list, description="things they always carry")


class Character(BaseModel):
    """A character of the book. The first character with role 'hero' is the book's hero."""

    # Names appear in every page's text; a short name keeps the age-band word limits reachable.
    name: Line = Field(min_length=1, max_length=40, description="what the text calls them, one to three words, e.g. 'Mia' or 'Ember'",
                       json_schema_extra={"pattern": ONE_TO_THREE_WORDS})
    role: str = Field(default="friend", max_length=40, description="hero, friend, family, helper, ...")
    description: str = Field(default="", max_length=400, description="who they are, in a sentence")
    traits: list[str] = Field(default_factory=list, description="personality traits, e.g. curious, shy")
    visual: VisualDescription

    @field_validator("name")
    @classmethod
    def _short_name(cls, value: str) -> str:
        if len(value.split()) > 3:
            raise ValueError(f"character name {value!r} is too long: use at most three words")
        return value

    @property
    def is_hero(self) -> bool:
        return self.role.strip().lower() == "hero"


def hero_of(characters: list[Character]) -> Character | None:
    """The hero (role 'hero'), else the first character, else None."""
    for character in characters:
        if character.is_hero:
            return character
    return characters[0] if characters else None
