"""Assemble the book: a print-ready PDF (trim + bleed, 300 dpi, embedded fonts) and a
lighter screen edition of the same pages.

Page order: cover, title page, the story pages, the closing page, then blank endpapers up
to a multiple of 4 pages (printers bind in sheets of four pages).

All drawing happens in "bleed space": (0, 0) is the bottom-left corner of the bleed box. The
print edition's page is the bleed box; the screen edition's page is the trim box, shifted
so the same drawing lands trimmed, the way the printed book will look.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from bookbug.publishing.editions import JPEG_QUALITY, Edition, check_edition, pixels_for
from bookbug.publishing.fonts import fonts_for
from bookbug.story.languages import language_of
from bookbug.publishing.images import PreparedImage, fit_to_box
from bookbug.publishing.layout import BookLayout
from bookbug.publishing.typography import TextBlock, fit_text, text_size_for_age
from bookbug.story.formats import BLEED_IN, SAFE_MARGIN_IN, BookFormat, get_format

POINTS = 72.0
PAPER = (0.984, 0.965, 0.925)  # warm cream for the title and closing pages
INK = (0.17, 0.13, 0.16)
PANEL_ALPHA = 0.86
PANEL_PADDING_IN = 0.18
MAX_PANEL_SHARE = 0.42  # text never covers more than this much of the picture's height


@dataclass
class PublishedBook:
    pdf: bytes
    edition: str
    page_count: int
    # one entry per placed picture: PDF page number (1-based), role, and how it was prepared
    images: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class Geometry:
    width: float  # bleed box, points
    height: float
    bleed: float
    safe_left: float  # the safe box: text stays inside it
    safe_bottom: float
    safe_right: float
    safe_top: float

    @classmethod
    def of(cls, book: BookFormat) -> Geometry:
        bleed, margin = BLEED_IN * POINTS, (BLEED_IN + SAFE_MARGIN_IN) * POINTS
        width, height = book.bleed_width_in * POINTS, book.bleed_height_in * POINTS
        return cls(width, height, bleed, margin, margin, width - margin, height - margin)

    @property
    def safe_width(self) -> float:
        return self.safe_right - self.safe_left

    @property
    def safe_height(self) -> float:
        return self.safe_top - self.safe_bottom


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    # ReportLab wraps image streams in ASCII85 by default (25 % bigger, slower); PDF
    # readers and printers all take binary streams.
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def prepare_images(layout: BookLayout, edition: Edition) -> tuple[PreparedImage, list[PreparedImage]]:
    """Every picture cropped and resampled to the bleed box, in parallel (Pillow releases the GIL)."""
    size, quality = pixels_for(layout.format_name, edition), JPEG_QUALITY[edition]
    sources = [layout.cover_image or layout.pages[0].image] + [page.image for page in layout.pages]
    # the cover usually repeats the hero page: prepare each distinct picture once
    distinct = list(dict.fromkeys(sources))
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        done = dict(zip(distinct, pool.map(lambda data: fit_to_box(data, size, quality=quality), distinct)))
    prepared = [done[data] for data in sources]
    return prepared[0], prepared[1:]


def build_book_pdf(layout: BookLayout, edition: Edition = "print") -> PublishedBook:
    check_edition(edition)
    text_font, title_font = fonts_for(" ".join(_all_words(layout)))
    book = get_format(layout.format_name)
    geometry = Geometry.of(book)
    cover, pages = prepare_images(layout, edition)

    with tempfile.TemporaryDirectory(prefix="bookbug-pdf-") as folder, _binary_streams():
        # ReportLab embeds a JPEG file as-is; handed bytes, it would decode and re-hash them.
        paths = []
        for index, image in enumerate([cover, *pages]):
            file = Path(folder) / f"{index:03d}.jpg"
            file.write_bytes(image.jpeg)
            paths.append(str(file))
        writer = _Writer(layout, edition, geometry, text_font, title_font, folder)
        writer.cover(paths[0], cover)
        writer.title_page(paths[0])
        for number, (page, path, image) in enumerate(zip(layout.pages, paths[1:], pages), start=1):
            writer.story_page(page.text, path, image, number)
        writer.closing_page()
        while writer.page_count % 4:
            writer.blank_page()
        pdf = writer.finish()
    return PublishedBook(pdf=pdf, edition=edition, page_count=writer.page_count, images=writer.images)


def _all_words(layout: BookLayout) -> list[str]:
    """Every word the PDF prints: the story's and those the pages add themselves."""
    words = language_of(layout.language)
    return [layout.title, layout.child_name, layout.author_line, words.story_for, words.the_end, words.made_for,
            *(page.text for page in layout.pages)]


class _Writer:
    """Draws one page at a time on a ReportLab canvas, counting pages and placed pictures."""

    def __init__(self, layout: BookLayout, edition: Edition, geometry: Geometry, text_font: str, title_font: str, folder: str) -> None:
        self.layout, self.edition, self.g = layout, edition, geometry
        self.text_font, self.title_font = text_font, title_font
        self.words = language_of(layout.language)  # what the pages add themselves, in the book's language
        self.path = Path(folder) / "book.pdf"
        boxes: dict[str, tuple[float, float, float, float]] = {}
        if edition == "print":
            pagesize = (geometry.width, geometry.height)
            # printers read these boxes to know where to cut and how much bleed there is
            boxes = {
                "trimBox": (geometry.bleed, geometry.bleed, geometry.width - geometry.bleed, geometry.height - geometry.bleed),
                "bleedBox": (0, 0, geometry.width, geometry.height),
            }
        else:
            pagesize = (geometry.width - 2 * geometry.bleed, geometry.height - 2 * geometry.bleed)
        self.canvas = Canvas(
            str(self.path), pagesize=pagesize, pageCompression=1,
            # otherwise every page references an unembedded Helvetica (the stubs type it as a number)
            initialFontName=text_font,  # type: ignore[arg-type]
            invariant=1,  # no creation timestamps in the file
            **boxes,  # type: ignore[arg-type]  # the page boxes; the stubs cannot match a **dict to keywords
        )
        self.canvas.setTitle(layout.title)
        self.canvas.setAuthor(layout.author_line or "Bookbug")
        self.canvas.setSubject(f"A picture book for {layout.child_name}")
        self.canvas.setCreator("Bookbug")
        self.canvas.setKeywords(["picture book", layout.child_name, edition])  # type: ignore[arg-type]  # reportlab joins a list; the stubs allow only str
        self.page_count = 0
        self.images: list[dict[str, object]] = []
        self._begin()

    # -- page plumbing -------------------------------------------------------------------
    def _begin(self) -> None:
        if self.edition == "screen":
            self.canvas.translate(-self.g.bleed, -self.g.bleed)

    def _end(self) -> None:
        self.canvas.showPage()  # resets the graphics state, so the shift is redone
        self.page_count += 1
        self._begin()

    def finish(self) -> bytes:
        self.canvas.save()
        return self.path.read_bytes()

    def _full_bleed(self, path: str, image: PreparedImage, role: str) -> None:
        self.canvas.drawImage(path, 0, 0, self.g.width, self.g.height)
        placed_dpi = image.width / (self.g.width / POINTS)
        self.images.append({"page": self.page_count + 1, "role": role, "placed_dpi": round(placed_dpi, 2), **image.metadata()})

    def _fill(self, colour: tuple[float, float, float]) -> None:
        self.canvas.setFillColorRGB(*colour)
        self.canvas.rect(0, 0, self.g.width, self.g.height, stroke=0, fill=1)

    def _panel(self, x: float, y: float, width: float, height: float) -> None:
        c = self.canvas
        c.saveState()
        c.setFillColorRGB(1, 1, 1)
        c.setFillAlpha(PANEL_ALPHA)
        c.roundRect(x, y, width, height, min(18.0, height / 3), stroke=0, fill=1)
        c.restoreState()

    def _lines(self, block: TextBlock, font: str, top: float, centre_x: float) -> float:
        """Draw centred lines whose first baseline hangs from `top`; returns the last baseline."""
        c = self.canvas
        c.setFillColorRGB(*INK)
        c.setFont(font, block.size)
        y = top - block.size
        for line in block.lines:
            c.drawCentredString(centre_x, y, line)
            y -= block.leading
        return y + block.leading

    # -- the pages -----------------------------------------------------------------------
    def cover(self, path: str, image: PreparedImage) -> None:
        g, pad = self.g, PANEL_PADDING_IN * POINTS
        self._full_bleed(path, image, "cover")
        title = fit_text(self.layout.title, self.title_font, min(44.0, g.safe_width / 9), g.safe_width - 2 * pad, g.safe_height * 0.28)
        byline = fit_text(self.words.story_for.format(name=self.layout.child_name), self.text_font, title.size * 0.5, g.safe_width - 2 * pad, g.safe_height * 0.1)
        height = title.height + byline.height + 2 * pad
        self._panel(g.safe_left, g.safe_top - height, g.safe_width, height)
        last = self._lines(title, self.title_font, g.safe_top - pad, g.width / 2)
        self._lines(byline, self.text_font, last - title.size * 0.45, g.width / 2)
        self._end()

    def title_page(self, hero_path: str) -> None:
        g = self.g
        self._fill(PAPER)
        title = fit_text(self.layout.title, self.title_font, min(36.0, g.safe_width / 11), g.safe_width, g.safe_height * 0.25)
        last = self._lines(title, self.title_font, g.safe_top - g.safe_height * 0.08, g.width / 2)
        byline = fit_text(self.words.story_for.format(name=self.layout.child_name), self.text_font, title.size * 0.55, g.safe_width, g.safe_height * 0.1)
        last = self._lines(byline, self.text_font, last - title.size * 0.6, g.width / 2)
        if self.layout.author_line:
            author = fit_text(self.layout.author_line, self.text_font, title.size * 0.42, g.safe_width, g.safe_height * 0.1)
            last = self._lines(author, self.text_font, last - title.size * 0.5, g.width / 2)
        # the hero picture again, small: the same JPEG, so the PDF stores it only once
        room = last - title.size - g.safe_bottom
        side = min(g.safe_width * 0.6, room)
        if side > g.safe_height * 0.2:
            aspect = g.height / g.width
            w = min(side, side / aspect)
            self.canvas.drawImage(hero_path, (g.width - w) / 2, g.safe_bottom, w, w * aspect)
        self._end()

    def story_page(self, text: str, path: str, image: PreparedImage, number: int) -> None:
        g, pad = self.g, PANEL_PADDING_IN * POINTS
        self._full_bleed(path, image, f"page {number}")
        size = text_size_for_age(self.layout.youngest_age)
        block = fit_text(text, self.text_font, size, g.safe_width - 2 * pad, g.safe_height * MAX_PANEL_SHARE - 2 * pad)
        height = block.height + 2 * pad - (block.leading - block.size) + block.size * 0.25
        self._panel(g.safe_left, g.safe_bottom, g.safe_width, height)
        self._lines(block, self.text_font, g.safe_bottom + height - pad, g.width / 2)
        self._end()

    def closing_page(self) -> None:
        g = self.g
        self._fill(PAPER)
        end = fit_text(self.words.the_end, self.title_font, min(48.0, g.safe_width / 8), g.safe_width, g.safe_height * 0.3)
        last = self._lines(end, self.title_font, g.height / 2 + end.height, g.width / 2)
        made = self.words.made_for.format(name=self.layout.child_name)
        note = fit_text(made, self.text_font, end.size * 0.4, g.safe_width, g.safe_height * 0.2)
        last = self._lines(note, self.text_font, last - end.size * 0.6, g.width / 2)
        if self.layout.author_line:
            author = fit_text(self.layout.author_line, self.text_font, end.size * 0.32, g.safe_width, g.safe_height * 0.1)
            self._lines(author, self.text_font, last - end.size * 0.4, g.width / 2)
        self._end()

    def blank_page(self) -> None:
        self._end()
