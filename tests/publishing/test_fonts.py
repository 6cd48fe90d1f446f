"""The book's typefaces ship with their licences, register for ReportLab, and cover the book's letters."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from bookbug.publishing.fonts import FONTS_DIR, TEXT_FONT, TITLE_FONT, fonts_for, register_fonts


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


# -- other languages -------------------------------------------------------------------------------

def test_noto_sans_ships_with_its_licence() -> None:
    licence = (FONTS_DIR / "OFL-NotoSans.txt").read_text()
    assert "SIL Open Font License" in licence and "Noto Project Authors" in licence
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        assert (FONTS_DIR / f"{name}.ttf").stat().st_size > 100_000


@pytest.mark.parametrize(("text", "family"), [
    ("¡Hola! ¿Dónde está Mía? Après l'école, Straße.", "Quicksand"),
    ("Маша нашла маленькую звезду. Її звуть Оля. Ъ ё", "NotoSans"),
    ("Η Μαρία χαμογέλασε. Ώρα για ύπνο.", "NotoSans"),
    ("Łódź, Ştefan, Ɔkɔm (Akan)", "NotoSans"),  # Latin letters Quicksand lacks: the whole book moves to Noto
])
def test_a_book_is_set_in_the_first_family_that_prints_every_letter(text: str, family: str) -> None:
    text_font, title_font = fonts_for(text)
    assert text_font.startswith(family) and title_font.startswith(family)
    for font in (text_font, title_font):
        glyphs = pdfmetrics.getFont(font).face.charToGlyph  # type: ignore[attr-defined]
        assert all(ord(char) in glyphs for char in text if not char.isspace())


def test_letters_of_other_scripts_are_refused_naming_the_scripts_we_print() -> None:
    with pytest.raises(ValueError, match="Latin, Cyrillic and Greek") as refused:
        fonts_for("Mia 你好")
    assert "你" in str(refused.value)
