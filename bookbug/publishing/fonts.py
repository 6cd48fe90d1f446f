"""The book's typefaces (SIL Open Font License; see assets/fonts/README.md).

Quicksand, rounded and open, which young readers find easy, prints books in Latin letters;
Noto Sans prints those Quicksand cannot (Cyrillic, Greek, rarer Latin letters). A book is set in
the first family that has every letter it uses, so a book never mixes typefaces. ReportLab
embeds a subset of each TrueType font in the PDF, which printers require.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from bookbug.story.languages import SCRIPTS

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
TEXT_FONT = "Quicksand-Medium"
TITLE_FONT = "Quicksand-Bold"
# (text font, title font), in order of preference
FAMILIES: tuple[tuple[str, str], ...] = ((TEXT_FONT, TITLE_FONT), ("NotoSans-Regular", "NotoSans-Bold"))


@cache
def _register(name: str) -> str:
    path = FONTS_DIR / f"{name}.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"the book font {path} is missing; it ships in assets/fonts/")
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def register_fonts() -> tuple[str, str]:
    """Register the first family once per process; returns (text font, title font)."""
    return _register(TEXT_FONT), _register(TITLE_FONT)


def _missing(text: str, font: str) -> set[str]:
    glyphs = pdfmetrics.getFont(font).face.charToGlyph  # type: ignore[attr-defined]  # the stubs type the face as a base class without charToGlyph
    return {char for char in text if not char.isspace() and ord(char) not in glyphs}


def unprintable(text: str) -> list[str]:
    """The letters of `text` that no family prints (empty when one prints them all)."""
    try:
        fonts_for(text)
    except ValueError:
        last = FAMILIES[-1]
        return sorted(set.union(*(_missing(text, _register(name)) for name in last)))
    return []


def fonts_for(text: str) -> tuple[str, str]:
    """(text font, title font) of the first family that prints every letter of `text`; a
    ValueError naming the letters none can print otherwise."""
    missing: set[str] = set()
    for family in FAMILIES:
        fonts = tuple(_register(name) for name in family)
        missing = set.union(*(_missing(text, font) for font in fonts))
        if not missing:
            return fonts  # type: ignore[return-value]  # every family has two names: (text, title)
    raise ValueError(f"the book's typefaces cannot print {' '.join(sorted(missing))!r}: Bookbug prints books in "
                     f"{', '.join(SCRIPTS[:-1])} and {SCRIPTS[-1]} letters")
