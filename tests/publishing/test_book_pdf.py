"""The print and screen PDFs, opened with pypdf and pdfplumber."""

from __future__ import annotations

import io
from functools import cache

import pdfplumber
import pytest
from pypdf import PdfReader

from bookbug.publishing import BookLayout, StoryPage, build_book_pdf
from bookbug.publishing.pdf import PublishedBook
from bookbug.story.formats import BLEED_IN, FORMATS, SAFE_MARGIN_IN
from tests.providers_images.conftest import picture_png

PROSE = [
    "Once upon a time, Mia found a tiny dragon called Pip asleep under the old oak tree.",
    "Pip sneezed a puff of orange smoke.\n\"Hello!\" said Mia. \"Would you like to be friends?\"",
    "Together they flew over the hills, past the castle, all the way to the sea.",
]


def layout(format_name: str = "square-large", pages: int = 3, age_band: str = "3-5") -> BookLayout:
    colours = [(200, 80, 60), (60, 140, 200), (90, 170, 80), (220, 180, 60)]
    return BookLayout(
        title="Mia and the Little Dragon", child_name="Mia", author_line="by Grandma Rose and Bookbug",
        age_band=age_band, format_name=format_name,
        pages=[StoryPage(text=PROSE[i % len(PROSE)], image=picture_png((600, 450), colours[i % 4])) for i in range(pages)],
        cover_image=picture_png((500, 500), (240, 120, 160)),
    )


@cache
def book(format_name: str, edition: str = "print") -> PublishedBook:
    return build_book_pdf(layout(format_name), edition)  # type: ignore[arg-type]


def points(inches: float) -> float:
    return inches * 72


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_page_is_trim_plus_bleed(format_name: str) -> None:
    spec = FORMATS[format_name]
    reader = PdfReader(io.BytesIO(book(format_name).pdf))
    for page in reader.pages:
        box = page.mediabox
        assert float(box.left) == 0 and float(box.bottom) == 0
        assert float(box.width) == pytest.approx(points(spec.trim_width_in + 2 * BLEED_IN), abs=0.01)
        assert float(box.height) == pytest.approx(points(spec.trim_height_in + 2 * BLEED_IN), abs=0.01)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_page_count_is_a_multiple_of_four(format_name: str) -> None:
    published = book(format_name)
    assert len(PdfReader(io.BytesIO(published.pdf)).pages) == published.page_count
    assert published.page_count % 4 == 0
    assert published.page_count >= 3 + 3  # cover, title, 3 story pages, closing


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_image_is_at_least_300_dpi_where_it_is_placed(format_name: str) -> None:
    with pdfplumber.open(io.BytesIO(book(format_name).pdf)) as pdf:
        placed = [image for page in pdf.pages for image in page.images]
        assert len(placed) >= 5  # cover, title-page vignette, three story pages
        for image in placed:
            width_px, height_px = image["srcsize"]
            assert width_px / (image["width"] / 72) >= 299.99
            assert height_px / (image["height"] / 72) >= 299.99


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_story_pages_are_full_bleed_and_their_text_is_the_prose(format_name: str) -> None:
    spec = FORMATS[format_name]
    with pdfplumber.open(io.BytesIO(book(format_name).pdf)) as pdf:
        for index, prose in enumerate(PROSE):
            page = pdf.pages[2 + index]
            assert " ".join(page.extract_text().split()) == " ".join(prose.split())
            (picture,) = page.images
            assert picture["x0"] == pytest.approx(0, abs=0.01) and picture["top"] == pytest.approx(0, abs=0.01)
            assert picture["width"] == pytest.approx(float(page.width), abs=0.01)
            # every letter sits inside the safe area: at least 0.375 in inside the trim
            margin = points(BLEED_IN + SAFE_MARGIN_IN)
            for char in page.chars:
                assert char["x0"] >= margin - 0.01 and char["x1"] <= float(page.width) - margin + 0.01
                assert char["top"] >= margin - 0.01 and char["bottom"] <= float(page.height) - margin + 0.01
            assert float(page.width) == pytest.approx(points(spec.bleed_width_in))


def test_fonts_are_embedded() -> None:
    reader = PdfReader(io.BytesIO(book("square-large").pdf))
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "the book uses no fonts"
    for name, font in fonts.items():
        assert "Quicksand" in name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_cover_title_and_closing_pages_say_who_the_book_is_for() -> None:
    with pdfplumber.open(io.BytesIO(book("square-large").pdf)) as pdf:
        cover, title_page = pdf.pages[0].extract_text(), pdf.pages[1].extract_text()
        closing = pdf.pages[5].extract_text()
        assert "Mia and the Little Dragon" in " ".join(cover.split()) and "a story for Mia" in cover
        assert len(pdf.pages[0].images) == 1
        assert "a story for Mia" in title_page and "by Grandma Rose and Bookbug" in title_page
        assert "The End" in closing and "Mia" in closing
        for blank in pdf.pages[6:]:
            assert blank.extract_text() == "" and not blank.images


def test_document_metadata() -> None:
    metadata = PdfReader(io.BytesIO(book("square-large").pdf)).metadata
    assert metadata.title == "Mia and the Little Dragon"
    assert metadata.author == "by Grandma Rose and Bookbug"
    assert metadata.subject == "A picture book for Mia"


def test_upscaling_is_recorded_for_each_picture() -> None:
    records = book("square-large").images
    story = [record for record in records if str(record["role"]).startswith("page")]
    assert [record["page"] for record in story] == [3, 4, 5]
    for record in story:
        assert record["source_width"] == 600 and record["source_height"] == 450
        assert record["upscaled"] and record["resample"] == "LANCZOS"
        assert record["placed_dpi"] == pytest.approx(300, abs=0.01)


def test_screen_edition_is_the_same_book_trimmed_and_lighter() -> None:
    spec = FORMATS["portrait-small"]
    printed, screen = book("portrait-small"), book("portrait-small", "screen")
    assert screen.page_count == printed.page_count
    assert len(screen.pdf) < len(printed.pdf) / 2
    with pdfplumber.open(io.BytesIO(screen.pdf)) as pdf:
        assert float(pdf.pages[0].width) == pytest.approx(points(spec.trim_width_in))
        assert float(pdf.pages[0].height) == pytest.approx(points(spec.trim_height_in))
        assert " ".join(pdf.pages[2].extract_text().split()) == PROSE[0]
        image = pdf.pages[2].images[0]
        assert 140 <= image["srcsize"][0] / (image["width"] / 72) <= 160


def test_younger_readers_get_bigger_letters() -> None:
    def text_size(age_band: str) -> float:
        published = build_book_pdf(layout(pages=1, age_band=age_band), "screen")
        with pdfplumber.open(io.BytesIO(published.pdf)) as pdf:
            return max(char["size"] for char in pdf.pages[2].chars)

    assert text_size("2-3") > text_size("4-5") > text_size("8-10")


def test_text_too_long_for_the_page_is_refused_clearly() -> None:
    long_layout = layout(pages=1).model_copy(update={"pages": [StoryPage(text="word " * 390, image=picture_png())]})
    with pytest.raises(ValueError, match="does not fit on the page"):
        build_book_pdf(long_layout, "screen")


def test_bad_inputs_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="age band"):
        layout(age_band="toddlers")
    with pytest.raises(ValueError, match="unknown book format"):
        layout(format_name="a5")
    broken = layout(pages=1).model_copy(update={"pages": [StoryPage(text="Hello", image=b"not a picture")]})
    with pytest.raises(ValueError, match="could not be read as an image"):
        build_book_pdf(broken, "screen")
    emoji = layout(pages=1).model_copy(update={"pages": [StoryPage(text="Pip loves 🐉 dragons", image=picture_png())]})
    with pytest.raises(ValueError, match="cannot print '🐉'"):
        build_book_pdf(emoji, "screen")
    with pytest.raises(ValueError, match="edition"):
        build_book_pdf(layout(pages=1), "poster")  # type: ignore[arg-type]


def test_print_pages_carry_trim_and_bleed_boxes() -> None:
    spec = FORMATS["landscape"]
    bleed = points(BLEED_IN)
    for page in PdfReader(io.BytesIO(book("landscape").pdf)).pages:
        trim = [float(v) for v in page.trimbox]
        assert trim == pytest.approx([bleed, bleed, bleed + points(spec.trim_width_in), bleed + points(spec.trim_height_in)])
        assert [float(v) for v in page.bleedbox] == pytest.approx([float(v) for v in page.mediabox])


def test_pages_prepared_in_advance_make_the_same_book() -> None:
    from bookbug.publishing import prepare_page_image

    raw = layout("square-small", pages=2)
    ready = raw.model_copy(update={
        "pages": [StoryPage(text=page.text, image=prepare_page_image(page.image, "square-small").jpeg) for page in raw.pages],
    })
    published = build_book_pdf(ready)
    story = [record for record in published.images if str(record["role"]).startswith("page")]
    assert all(record["resample"].startswith("none") for record in story)
    with pdfplumber.open(io.BytesIO(published.pdf)) as pdf:
        image = pdf.pages[2].images[0]
        assert image["srcsize"] == (2325, 2325)
        assert " ".join(pdf.pages[2].extract_text().split()) == " ".join(PROSE[0].split())


def test_a_greek_book_prints_its_own_words_in_noto_sans() -> None:
    greek = layout(pages=2).model_copy(update={
        "title": "Η Μαρία και ο μικρός δράκος", "language": "el", "author_line": "",
        "pages": [StoryPage(text=text, image=picture_png((600, 450), (90, 170, 80)))
                  for text in ("Η Μαρία βρήκε έναν μικρό δράκο.", "Πέταξαν μαζί πάνω από τη θάλασσα.")]})
    pdf = build_book_pdf(greek, "screen").pdf
    reader = PdfReader(io.BytesIO(pdf))
    printed = " ".join((page.extract_text() or "") for page in reader.pages)
    assert "Πέταξαν μαζί" in printed and "Τέλος" in printed and "μια ιστορία για Mia" in printed
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
             for font in ((page.get("/Resources") or {}).get("/Font") or {}).values()}
    assert fonts and all(name.startswith("NotoSans") for name in fonts), fonts
