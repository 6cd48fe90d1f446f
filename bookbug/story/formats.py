"""Print formats: trim size, bleed and pixel sizes at 300 dpi, and the aspect ratio to ask for.

Every format prints at 300 dpi with 0.125 in of bleed on each side. The pixel sizes are what
a full-bleed illustration must have to print sharp.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, computed_field

DPI = 300
BLEED_IN = 0.125
SAFE_MARGIN_IN = 0.375  # text stays at least this far inside the trim

FormatName = Literal["square-small", "square-large", "landscape", "portrait-small", "portrait-large"]
DEFAULT_FORMAT: FormatName = "square-large"


class BookFormat(BaseModel, frozen=True):
    name: FormatName
    label: str
    trim_width_in: float
    trim_height_in: float
    aspect_ratio: str  # what an image model is asked for, e.g. "1:1"

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented @computed_field over @property
    @property
    def bleed_width_in(self) -> float:
        return self.trim_width_in + 2 * BLEED_IN

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented @computed_field over @property
    @property
    def bleed_height_in(self) -> float:
        return self.trim_height_in + 2 * BLEED_IN

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented @computed_field over @property
    @property
    def trim_px(self) -> tuple[int, int]:
        return round(self.trim_width_in * DPI), round(self.trim_height_in * DPI)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented @computed_field over @property
    @property
    def bleed_px(self) -> tuple[int, int]:
        return round(self.bleed_width_in * DPI), round(self.bleed_height_in * DPI)


FORMATS: dict[str, BookFormat] = {
    f.name: f
    for f in (
        BookFormat(name="square-small", label="Square 7.5 in", trim_width_in=7.5, trim_height_in=7.5, aspect_ratio="1:1"),
        BookFormat(name="square-large", label="Square 8.5 in", trim_width_in=8.5, trim_height_in=8.5, aspect_ratio="1:1"),
        BookFormat(name="landscape", label="Landscape 9 x 7 in", trim_width_in=9.0, trim_height_in=7.0, aspect_ratio="4:3"),
        BookFormat(name="portrait-small", label="Portrait 6 x 9 in", trim_width_in=6.0, trim_height_in=9.0, aspect_ratio="2:3"),
        BookFormat(name="portrait-large", label="Portrait 8.5 x 11 in", trim_width_in=8.5, trim_height_in=11.0, aspect_ratio="3:4"),
    )
}


def get_format(name: str) -> BookFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown book format {name!r}; choose one of: {', '.join(FORMATS)}") from None
