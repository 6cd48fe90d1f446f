"""The two editions of a book: print (300 dpi, bleed) and screen (150 dpi, trimmed, lighter)."""

from __future__ import annotations

from typing import Literal

from bookbug.story.formats import get_format

Edition = Literal["print", "screen"]
DPI: dict[str, int] = {"print": 300, "screen": 150}
JPEG_QUALITY: dict[str, int] = {"print": 92, "screen": 80}


def check_edition(edition: str) -> str:
    if edition not in DPI:
        raise ValueError(f"edition must be 'print' or 'screen', got {edition!r}")
    return edition


def pixels_for(format_name: str, edition: str = "print") -> tuple[int, int]:
    """Pixel size of a full-bleed picture in `edition` (print: the format's bleed_px at 300 dpi)."""
    check_edition(edition)
    book = get_format(format_name)
    return round(book.bleed_width_in * DPI[edition]), round(book.bleed_height_in * DPI[edition])
