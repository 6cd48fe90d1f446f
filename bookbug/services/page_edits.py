"""Hand edits: the owner changes a finished page's words directly. No model is asked; the words
are checked (length, characters), screened like every other request, then the edit-page
workflow stores them and rebuilds the book's files. The words before stay until the next edit.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from bookbug.db import BookStatus, RenderedPage, session_scope, utcnow
from bookbug.publishing.fonts import unprintable
from bookbug.services import suitability
from bookbug.safety import text_rules
from bookbug.services.owned import owned_book, page_row
from bookbug.services.page_work import latest_edit, latest_redo_run, redo_busy_message
from bookbug.errors import InvalidInput, WrongPhase
from bookbug.services.runtime import started_engine
from bookbug.story import Brief
from bookbug.story.reading_level import count_sentences, count_words
from bookbug.workflows import names

MAX_PAGE_CHARS = 600  # as a written page's text (bookbug/story/prose.py)


def clean_page_text(text: str | None, brief: Brief) -> str:
    """The new words, or InvalidInput saying what to change (the page's limits are its age band's)."""
    words = (text or "").strip()
    if not words:
        raise InvalidInput("Write the page's words first.", field="text")
    if len(words) > MAX_PAGE_CHARS:
        raise InvalidInput(f"A page can have at most {MAX_PAGE_CHARS} characters; this has {len(words):,}.",
                           field="text")
    bad = text_rules.unusable_character(words, multiline=True)
    if bad:
        raise InvalidInput(f"The words contain {text_rules.describe(bad)}; remove it and try again.", field="text")
    missing = unprintable(words)
    if missing:
        raise InvalidInput(f"Bookbug prints Latin, Cyrillic and Greek letters; the words contain {' '.join(missing)}, "
                           "which it cannot print.", field="text")
    if brief.age_range is not None:
        limits = brief.text_limits
        if count_words(words) > limits.max_words:
            raise InvalidInput(f"For ages {limits.band} a page has at most {limits.max_words} words; "
                               f"this has {count_words(words)}.", field="text")
        if count_sentences(words) > limits.max_sentences:
            raise InvalidInput(f"For ages {limits.band} a page has at most {limits.max_sentences} sentences; "
                               f"this has {count_sentences(words)}.", field="text")
    return words


def _count_edit(session: Session, row: RenderedPage) -> int:
    """The page's next edit number, counted in the database (two racing requests cannot share one)."""
    seen = row.edit_count
    counted = session.exec(update(RenderedPage).where(col(RenderedPage.id) == row.id,
                                                      col(RenderedPage.edit_count) == seen)
                           .values(edit_count=seen + 1, updated_at=utcnow()))
    if counted.rowcount != 1:
        raise WrongPhase("This page is being edited from elsewhere; try again in a moment.")
    return seen + 1


async def edit_page_text(user_id: str, book_id: str, page: int, text: str | None) -> None:
    """Change a finished page's words by hand; the PDF is rebuilt. Unsuitable words change nothing."""
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        if book.status != BookStatus.complete.value:
            raise WrongPhase("A page's words can be edited once the book is complete.")
        words = clean_page_text(text, Brief.model_validate(book.brief or {}))
    suitability.check_for_book(user_id, book_id, words, field="text", what="the new words")
    with session_scope() as session:
        row = page_row(session, book_id, page)
        if row.previous_key is not None:
            raise WrongPhase(f"Page {page} has a new version waiting: keep it or go back first.")
        _, redo = latest_redo_run(session, book_id)
        if redo is not None and redo.phase in ("drawing", "deciding", "finishing"):
            raise WrongPhase(redo_busy_message(redo))
        editing = latest_edit(book_id)
        if editing is not None and editing.phase == "saving":
            raise WrongPhase(f"Your words for page {editing.page} are being saved; try again in a moment.")
        if words == row.text:
            raise InvalidInput("These are the page's words already.", field="text")
        edit = _count_edit(session, row)
    engine = await started_engine()
    await engine.send_event(names.PAGE_EDIT, {"book_id": book_id, "user_id": user_id, "page": page, "edit": edit,
                                              "text": words}, id=f"edit:{book_id}:{page}:{edit}")
