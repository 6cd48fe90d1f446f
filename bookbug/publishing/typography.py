"""Type sizes by age, and breaking prose into lines that fit."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics

MIN_TEXT_SIZE = 11.0
LEADING = 1.32


def text_size_for_age(youngest: int) -> float:
    """Bigger letters for younger readers (picture-book norms: ~24 pt at 2-3, ~14 pt at 8+)."""
    if youngest <= 3:
        return 24.0
    if youngest <= 5:
        return 20.0
    if youngest <= 7:
        return 17.0
    return 14.0


@dataclass(frozen=True)
class TextBlock:
    lines: list[str]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)


def missing_letters(text: str, font: str) -> list[str]:
    """Characters of `text` the font cannot draw (they would print as empty boxes)."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph  # type: ignore[attr-defined]  # the stubs type the face as a base class without charToGlyph
    return sorted({char for char in text if not char.isspace() and ord(char) not in glyphs})


def fit_text(text: str, font: str, size: float, width: float, max_height: float) -> TextBlock:
    """Wrap `text` to `width`; shrink the type (never below MIN_TEXT_SIZE) until it fits."""
    missing = missing_letters(text, font)
    if missing:
        raise ValueError(
            f"the book's typeface cannot print {' '.join(missing)!r} in {text[:40]!r}; use plain letters and punctuation"
        )
    paragraphs = [" ".join(part.split()) for part in text.split("\n") if part.strip()]
    while True:
        lines: list[str] = []
        for paragraph in paragraphs:
            lines.extend(simpleSplit(paragraph, font, size, width))
        block = TextBlock(lines, size, size * LEADING)
        if block.height <= max_height:
            return block
        if size <= MIN_TEXT_SIZE:
            raise ValueError(
                f"this page's text ({len(text)} characters) does not fit on the page even at {MIN_TEXT_SIZE:g} pt; "
                "shorten it or split it over two pages"
            )
        size = max(MIN_TEXT_SIZE, size - 1)
