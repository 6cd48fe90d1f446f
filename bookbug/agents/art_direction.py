"""Art direction: a book-wide style guide, then an illustration beat for each page."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from bookbug.agents.base import Agent, as_json
from bookbug.safety import picture_limits
from bookbug.story.art_direction import BASE_AVOID, IllustrationBeat, StyleGuide
from bookbug.story.brief import Brief
from bookbug.story.plot import PagePlan, Plot
from bookbug.story.prose import ProsePage, ProseSetup


class StyleGuideInput(BaseModel):
    brief: Brief
    plot: Plot
    setup: ProseSetup


class IllustrationBeatInput(BaseModel):
    brief: Brief
    style_guide: StyleGuide
    plan: PagePlan
    page: ProsePage
    previous_beat: IllustrationBeat | None = Field(default=None, description="the page before's beat, to vary the shots")
    note: str = Field(default="", max_length=500,
                      description="when the owner asked for this page's picture again: what they want changed")


_SAFE = ("Everything must be gentle and suitable for the readers' ages: nothing scary, menacing, "
         "violent or unsuitable, even in shadows or backgrounds; always avoid: " + "; ".join(BASE_AVOID) + ".")

STYLE_SYSTEM = f"""You are the art director of a children's picture book. Write the book-wide style
guide every illustration follows: the art style (genre, medium, technique, strength 0-1;
if the brief names a preset, use it as given), the setting every page shares, the lighting,
a colour script (how the palette moves with the story, e.g. warm morning, cool dusk, golden
ending), the mood, and a list of things to avoid. {_SAFE}"""

BEAT_SYSTEM = f"""You are the art director of a children's picture book. Plan the illustration of one
page: which characters are in it (only characters of the brief), each with expression and
pose; the shot size and camera angle (vary them from the previous page); the composition,
leaving calm space for the page text; and the setting details. Follow the style guide.
{_SAFE}"""


def _age_limits(brief: Brief) -> str:
    ages = brief.age_range
    return (f"The readers are aged {ages if ages else 'under 4'}: the pictures must also avoid "
            + "; ".join(picture_limits(ages.min if ages else None)) + ".")


def render_style(input: StyleGuideInput) -> str:
    return (f"The brief:\n{as_json(input.brief)}\n\nThe plot:\n{input.plot.title}\n{input.plot.outline()}\n\n"
            f"Setup:\n{as_json(input.setup)}\n\n{_age_limits(input.brief)}")


def beat_stable(input: IllustrationBeatInput) -> list[str]:
    """The same for every page of the book: its characters and its style guide."""
    return [f"Characters:\n{as_json(input.brief.characters)}\n\nStyle guide:\n{as_json(input.style_guide)}"]


def render_beat(input: IllustrationBeatInput) -> str:
    previous = as_json(input.previous_beat) if input.previous_beat else "(none: this is the first page)"
    prompt = (f"Page {input.page.page_number} ({input.plan.beat.purpose.value} beat):\nText: {input.page.text}\n"
              f"Image concept: {input.page.image_concept}\n\nPrevious page's beat:\n{previous}\n\n"
              f"{_age_limits(input.brief)}")
    if input.note.strip():
        prompt += (f"\n\nThe book's owner asked for this page's picture again, with this wish:\n{input.note.strip()}\n"
                   "Plan the new picture to follow the wish as far as the story, the characters, the style "
                   "guide and the rules above allow.")
    return prompt


def _style_context(input: StyleGuideInput) -> dict[str, Any]:
    ages = input.brief.age_range
    return {"art_style": input.brief.art_style, "age_limits": picture_limits(ages.min if ages else None)}


def _beat_context(input: IllustrationBeatInput) -> dict[str, Any]:
    return {"character_names": [c.name for c in input.brief.characters], "page_number": input.page.page_number}


def _book_beat_context(input: IllustrationBeatInput) -> dict[str, Any]:
    return {"character_names": [c.name for c in input.brief.characters]}  # the page: in the prompt, and checked


style_guide: Agent[StyleGuideInput, StyleGuide] = Agent(
    name="style_guide",
    description="Write the book-wide style guide for the illustrations.",
    system=STYLE_SYSTEM,
    render=render_style,
    input_type=StyleGuideInput,
    output_type=StyleGuide,
    context=_style_context,
    max_tokens=2048,
)

illustration_beat: Agent[IllustrationBeatInput, IllustrationBeat] = Agent(
    name="illustration_beat",
    description="Plan one page's illustration: characters, shot, composition, setting.",
    system=BEAT_SYSTEM,
    render=render_beat,
    stable=beat_stable,
    input_type=IllustrationBeatInput,
    output_type=IllustrationBeat,
    context=_beat_context,
    stable_context=_book_beat_context,
    max_tokens=1024,
)
