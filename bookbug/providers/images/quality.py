"""Is a picture good enough to print? A deterministic check of the image itself, everywhere,
and the interface of a vision scorer (Claude) that judges it against its beat and sheets.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image, ImageStat
from pydantic import BaseModel, Field

from bookbug.story.formats import get_format

PASSING_SCORE = 70
MIN_SHORT_SIDE = 512  # below this even LANCZOS upscaling to 300 dpi looks soft
# Models return the nearest ratio they support (4:3 for a 9 x 7 in page); publishing crops
# the difference, so a few percent off the bleed box is fine.
ASPECT_TOLERANCE = 0.06
MIN_SPREAD = 8.0  # standard deviation of a colour channel; a blank page is ~0
MAX_ONE_COLOUR_SHARE = 0.6


@dataclass
class QualityReport:
    score: int  # 0-100
    problems: list[str] = field(default_factory=list)
    details: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.score >= PASSING_SCORE and not self.problems


def check_image(png: bytes, format_name: str) -> QualityReport:
    """Offline check: the picture opens, fits the format's shape, and is not blank or flat."""
    try:
        image = Image.open(io.BytesIO(png))
        image.load()
    except Exception as exc:  # noqa: BLE001 - any decoding failure means "not an image"
        return QualityReport(0, [f"the file is not an image Pillow can read ({exc})"])
    problems: list[str] = []
    book = get_format(format_name)
    wanted = book.bleed_width_in / book.bleed_height_in
    aspect = image.width / image.height
    aspect_error = abs(aspect - wanted) / wanted
    if aspect_error > ASPECT_TOLERANCE:
        problems.append(f"the picture is {image.width}x{image.height}, too far from the {book.label} page shape")
    if min(image.size) < MIN_SHORT_SIDE:
        problems.append(f"the picture is only {image.width}x{image.height} pixels")
    small = image.convert("RGB").resize((128, max(1, round(128 / aspect))))
    # the largest per-channel spread: a blue sky over green grass can share one brightness
    spread = max(ImageStat.Stat(small).stddev)
    if spread < MIN_SPREAD:
        problems.append("the picture is blank or nearly uniform")
    colours = small.quantize(colors=16).getcolors() or []
    top_share = max(count for count, _ in colours) / (small.width * small.height) if colours else 1.0
    if top_share > MAX_ONE_COLOUR_SHARE:
        problems.append(f"{top_share:.0%} of the picture is a single colour")
    score = max(0, 100 - 40 * len(problems))
    return QualityReport(score, problems, {"aspect_error": aspect_error, "spread": spread, "top_colour_share": top_share})


class VisionScore(BaseModel):
    """A vision model's judgement of one page, each criterion 0-100 (100 is best)."""

    character_consistency: int = Field(ge=0, le=100, description="characters match their sheets: face, body, colours, clothes")
    environment_consistency: int = Field(ge=0, le=100, description="the place, time of day and action match the page's beat")
    artefacts: int = Field(ge=0, le=100, description="100 = no artefacts (extra limbs, melted faces, broken hands)")
    unwanted_text: int = Field(ge=0, le=100, description="100 = no letters, words or numbers drawn anywhere")
    notes: str = Field("", max_length=1000, description="one or two sentences on what to fix, if anything")

    @property
    def overall(self) -> int:
        """The weakest criterion: one bad aspect (a garbled sign, a changed face) spoils the page."""
        return min(self.character_consistency, self.environment_consistency, self.artefacts, self.unwanted_text)

    @property
    def passed(self) -> bool:
        return self.overall >= PASSING_SCORE


class VisionScorer(Protocol):
    """Scores a page against its beat and the character sheets (Claude vision in production)."""

    async def score(self, page_png: bytes, beat: str, character_sheets: list[bytes]) -> VisionScore: ...
