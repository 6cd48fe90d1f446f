"""The book's typeface: Quicksand (SIL Open Font License, see assets/fonts/OFL-Quicksand.txt).

Rounded, open letter shapes that young readers find easy. ReportLab embeds a subset of each
TrueType font in the PDF, which printers require.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
TEXT_FONT = "Quicksand-Medium"
TITLE_FONT = "Quicksand-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the fonts once per process; returns (text font, title font)."""
    for name in (TEXT_FONT, TITLE_FONT):
        path = FONTS_DIR / f"{name}.ttf"
        if not path.is_file():
            raise FileNotFoundError(f"the book font {path} is missing; it ships in assets/fonts/")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return TEXT_FONT, TITLE_FONT
