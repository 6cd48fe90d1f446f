"""Art direction: the book-wide style guide and one illustration beat per page.

These are the inputs of the illustrator. An image request for page N is built from:
- `StyleGuide` (once per book): art style (genre, medium, technique, strength), setting,
  lighting, colour script, mood, and the avoid list (a negative prompt);
- the `Character.visual` of every character named in the beat (body, colours, clothing,
  props), so each character looks the same on every page;
- `IllustrationBeat` for page N: who is in the frame with expression and pose, shot size,
  camera angle, composition and setting details. Its `tool_schema` states, for one page, the
  page number and the only names a character in the frame may have.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from bookbug.story.art_styles import ArtStyle, enforce_preset
from bookbug.story.text_fields import Line, Text

# Always avoided in a children's book, whatever the model proposes.
BASE_AVOID = ("scary or menacing imagery", "violence or weapons", "blood or injury", "text or lettering in the image",
              "realistic horror", "photorealistic faces")

ShotSize = Literal["extreme wide", "wide", "medium", "medium close-up", "close-up"]
CameraAngle = Literal["eye level", "low angle", "high angle", "bird's-eye", "over the shoulder", "child's eye level"]


class StyleGuide(BaseModel):
    art_style: ArtStyle
    setting: Text = Field(min_length=3, max_length=600, description="the world every page shares")
    lighting: Text = Field(min_length=3, max_length=300)
    colour_script: Text = Field(min_length=3, max_length=600, description="how the palette moves through the book")
    mood: Text = Field(min_length=3, max_length=200)
    avoid: list[str] = Field(default_factory=list, description="never shown; nothing scary or unsuitable for the age")

    @model_validator(mode="after")
    def _preset_and_safety(self, info: ValidationInfo) -> StyleGuide:
        # A preset the user chose replaces whatever style the model invented, and the base
        # avoid list (with the readers' age band's limits, when the context names them) is
        # always there, so neither depends on a model remembering it.
        context: dict[str, Any] = info.context or {}
        self.art_style = enforce_preset(self.art_style, context.get("art_style"))
        avoid, present = list(self.avoid), {item.lower() for item in self.avoid}
        for item in (*BASE_AVOID, *context.get("age_limits", ())):
            if item.lower() not in present:
                avoid.append(item)
                present.add(item.lower())
        self.avoid = avoid
        return self


class CharacterInFrame(BaseModel):
    name: Line = Field(min_length=1, max_length=40, description="a character of the brief")
    expression: Text = Field(min_length=2, max_length=120)
    pose: Text = Field(min_length=2, max_length=200)


class IllustrationBeat(BaseModel):
    page_number: int = Field(ge=1)
    characters: list[CharacterInFrame] = Field(default_factory=list)
    shot_size: ShotSize
    camera_angle: CameraAngle
    composition: Text = Field(min_length=3, max_length=400, description="where things sit in the frame; room for text")
    setting_details: Text = Field(min_length=3, max_length=400)

    @model_validator(mode="after")
    def _known_characters(self, info: ValidationInfo) -> IllustrationBeat:
        context: dict[str, Any] = info.context or {}
        known: list[str] | None = context.get("character_names")
        if known is not None:
            names = {name.lower() for name in known}
            strangers = [c.name for c in self.characters if c.name.lower() not in names]
            if strangers:
                raise PydanticCustomError("unknown_characters", "unknown characters {strangers}; use only: {known}",
                                          {"strangers": str(strangers), "known": ", ".join(known)})
        expected = context.get("page_number")
        if expected is not None and self.page_number != expected:
            raise ValueError(f"this is page {expected}, not page {self.page_number}")
        return self

    @classmethod
    def tool_schema(cls, schema: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """`schema` (this model's JSON schema) stating the page number and the characters a context allows."""
        if context.get("page_number") is not None:
            schema["properties"]["page_number"]["const"] = context["page_number"]
        known: list[str] | None = context.get("character_names")
        if known:
            schema["$defs"]["CharacterInFrame"]["properties"]["name"]["enum"] = list(dict.fromkeys(known))
        elif known is not None:
            schema["properties"]["characters"]["maxItems"] = 0
        return schema


# A page's illustration prompt opens with its image concept; these phrases follow it (see
# workflows/drawing.py page_request), so the concept can be read back as the picture's alt text.
OWNER_WISH_LEAD = "The book's owner asks for this picture:"
COMPOSITION_LEAD = "Composition:"


def picture_description(prompt: str | None) -> str:
    """What a page's picture shows in plain words (its image concept), for screen readers."""
    concept = prompt or ""
    for lead in (OWNER_WISH_LEAD, COMPOSITION_LEAD):
        concept = concept.split(" " + lead, 1)[0]
    return concept.strip()
