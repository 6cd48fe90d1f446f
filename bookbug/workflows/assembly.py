"""The last steps: the book's pages and pictures assembled into the print and screen PDFs, and
the read-along EPUB (narrated where every page has its voice)."""

from __future__ import annotations

from bookbug.db import RenderedPage
from bookbug.providers.storage import book_key
from bookbug.publishing import BookLayout, EpubBook, EpubPage, PageNarration, StoryPage, build_book_pdf, build_epub
from bookbug.story import Brief
from bookbug.story.sentences import SentenceTiming
from bookbug.story.languages import language_of
from bookbug.workflows import records
from bookbug.workflows.providers import storage
from bookbug.workflows.values import BookFiles, Epub


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


def assemble(book_id: str) -> BookFiles:
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
    return BookFiles(pdf_key=pdf_key, screen_pdf_key=screen_key, pdf_pages=printed.page_count,
                     pdf_bytes=len(printed.pdf))



def _print_ready(page: RenderedPage) -> str:
    """The page's print-ready JPEG when it was prepared as it was drawn, else its picture."""
    prepared = (page.image_meta or {}).get("print_key")
    return str(prepared) if prepared else page.storage_key


def _narration(page: RenderedPage) -> PageNarration | None:
    """The page's voice, if it was made for the words the page has now."""
    told = page.narration or {}
    if not told.get("key") or told.get("text") != page.text or not told.get("sentences"):
        return None
    return PageNarration(audio=storage().get(str(told["key"])), duration=float(told["duration"]),
                         sentences=[SentenceTiming.model_validate(s) for s in told["sentences"]])


def epub_of(book_id: str) -> EpubBook:
    book = records.load_book(book_id)
    brief = Brief.model_validate(book.brief or {})
    files = storage()
    pages = records.stored_pages(book_id)
    if not pages:
        raise LookupError(f"book {book_id} has no pages to assemble")
    return EpubBook(
        book_id=book_id, title=(book.title or brief.title or "My Bookbug Book")[:300],
        description=f"A picture book made for {brief.hero.name}." if brief.hero else "",
        format_name=book.format, cover_image=files.get(pages[0].storage_key),
        pages=[EpubPage(number=p.page_number, text=p.text, image=files.get(p.storage_key),
                        alt=str((p.image_meta or {}).get("alt") or f"The picture of page {p.page_number}."),
                        narration=_narration(p)) for p in pages],
    )


def assemble_epub(book_id: str) -> Epub:
    """The read-along EPUB, stored beside the PDFs (a re-run writes the same file again)."""
    book = epub_of(book_id)
    data = build_epub(book)
    key = book_key(book_id, "book.epub")
    storage().put(key, data, "application/epub+zip")
    records.update_book(book_id, epub_key=key)
    return Epub(epub_key=key, epub_bytes=len(data), narrated=book.narrated)
