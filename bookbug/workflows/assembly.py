"""The last step: the book's pages and pictures assembled into the print and screen PDFs."""

from __future__ import annotations

from typing import Any

from bookbug.db import RenderedPage
from bookbug.providers.storage import book_key
from bookbug.publishing import BookLayout, StoryPage, build_book_pdf
from bookbug.story import Brief
from bookbug.story.languages import language_of
from bookbug.workflows import records
from bookbug.workflows.providers import storage


def layout_of(book_id: str) -> BookLayout:
    book = records.load_book(book_id)
    brief = Brief.model_validate(book.brief or {})
    files = storage()
    pages = records.stored_pages(book_id)
    if not pages:
        raise LookupError(f"book {book_id} has no pages to assemble")
    hero = brief.hero
    ages = brief.age_range
    age_band = f"{ages.min}-{ages.max}" if ages and ages.min != ages.max else f"{ages.min if ages else 4}"
    return BookLayout(
        title=(book.title or (brief.title or "My Bookbug Book"))[:120],
        child_name=(hero.name if hero else "you")[:60],
        author_line=language_of(brief.language).author_line,
        language=brief.book_language,
        age_band=age_band,
        format_name=book.format,
        pages=[StoryPage(text=p.text, image=files.get(_print_ready(p))) for p in pages],
        cover_image=files.get(pages[0].storage_key),
    )


def assemble(book_id: str) -> dict[str, Any]:
    layout = layout_of(book_id)
    files = storage()
    printed = build_book_pdf(layout, "print")
    screen = build_book_pdf(layout, "screen")
    pdf_key, screen_key = book_key(book_id, "book.pdf"), book_key(book_id, "book-screen.pdf")
    files.put(pdf_key, printed.pdf, "application/pdf")
    files.put(screen_key, screen.pdf, "application/pdf")
    cover_key = records.stored_pages(book_id)[0].storage_key
    records.update_book(book_id, pdf_key=pdf_key, screen_pdf_key=screen_key, cover_key=cover_key)
    records.set_status(book_id, "complete")
    return {"pdf_key": pdf_key, "screen_pdf_key": screen_key, "pdf_pages": printed.page_count,
            "pdf_bytes": len(printed.pdf)}


def rebuild_files(book_id: str) -> dict[str, Any]:
    """Every file made from the book's words and pictures, made again after a page changed (a redo
    kept, a hand edit). Today the print and screen PDFs; other formats of the book join here."""
    return assemble(book_id)


def _print_ready(page: RenderedPage) -> str:
    """The page's print-ready JPEG when it was prepared as it was drawn, else its picture."""
    prepared = (page.image_meta or {}).get("print_key")
    return str(prepared) if prepared else page.storage_key
