"""The plot: a handful of beats, each a purpose and one sentence, spread over the pages."""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field, field_validator

from bookbug.story.reading_level import count_sentences
from bookbug.story.rules import WordedRule
from bookbug.story.text_fields import Line

MIN_BEATS = 3
MAX_BEATS = 8  # the shortest book has 8 pages and every beat needs a page of its own

ONE_SENTENCE = WordedRule("beat_one_sentence", "Each beat is exactly one sentence.")


class BeatPurpose(str, enum.Enum):
    setup = "setup"
    build = "build"
    conflict = "conflict"
    twist = "twist"
    climax = "climax"
    payoff = "payoff"
    button = "button"  # the closing image or joke after the story is resolved


class PlotBeat(BaseModel):
    purpose: BeatPurpose
    sentence: Line = Field(min_length=3, max_length=400, description=f"what happens. {ONE_SENTENCE.statement}")

    @field_validator("sentence")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        if count_sentences(value) > 1:
            raise ONE_SENTENCE.broken(f"a beat is one sentence, this has {count_sentences(value)}: {value!r}")
        return value


class Plot(BaseModel):
    title: Line = Field(min_length=1, max_length=120)
    beats: list[PlotBeat] = Field(min_length=MIN_BEATS, max_length=MAX_BEATS)

    def outline(self) -> str:
        """The beats as a numbered list, as shown to the user for review."""
        return "\n".join(f"{n}. ({beat.purpose.value}) {beat.sentence}" for n, beat in enumerate(self.beats, 1))


class PagePlan(BaseModel):
    """Which beat a page tells, and where in that beat it sits."""

    page_number: int = Field(ge=1)
    beat_number: int = Field(ge=1)
    beat: PlotBeat
    part: int = Field(ge=1, description="this page is part `part` of `parts` pages of its beat")
    parts: int = Field(ge=1)


# Beats that carry the middle of the story get the spare pages first.
_STRETCH_ORDER = (BeatPurpose.build, BeatPurpose.conflict, BeatPurpose.climax, BeatPurpose.twist,
                  BeatPurpose.payoff, BeatPurpose.setup, BeatPurpose.button)


def page_plan(plot: Plot, page_count: int) -> list[PagePlan]:
    """Every page's beat, in order: each beat gets at least one page, middle beats the rest."""
    beats = plot.beats
    if page_count < len(beats):
        raise ValueError(f"{len(beats)} beats do not fit on {page_count} pages")
    sizes = [1] * len(beats)
    spare = page_count - len(beats)
    order = sorted(range(len(beats)), key=lambda i: (_STRETCH_ORDER.index(beats[i].purpose), i))
    while spare:
        for index in order:
            if not spare:
                break
            sizes[index] += 1
            spare -= 1
    plans: list[PagePlan] = []
    for index, (beat, size) in enumerate(zip(beats, sizes)):
        for part in range(1, size + 1):
            plans.append(PagePlan(page_number=len(plans) + 1, beat_number=index + 1, beat=beat, part=part, parts=size))
    return plans
