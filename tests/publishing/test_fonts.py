"""The book's typeface ships with its licence, and registers for ReportLab."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from bookbug.publishing.fonts import FONTS_DIR, TEXT_FONT, TITLE_FONT, register_fonts


def test_fonts_ship_with_their_licence() -> None:
    licence = (FONTS_DIR / "OFL-Quicksand.txt").read_text()
    assert "SIL Open Font License" in licence and "Quicksand" in licence
    for name in (TEXT_FONT, TITLE_FONT):
        assert (FONTS_DIR / f"{name}.ttf").stat().st_size > 10_000


def test_fonts_register_and_cover_common_punctuation() -> None:
    text_font, title_font = register_fonts()
    for name in (text_font, title_font):
        glyphs = pdfmetrics.getFont(name).face.charToGlyph  # type: ignore[attr-defined]
        assert all(ord(char) in glyphs for char in "AZaz09.,!?'\"’“”—…éñü")
