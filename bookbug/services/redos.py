"""Redoing one page of a finished book: the note's checks, the caps, and keeping the new version
or going back to the old one.

A redo draws the page again (and, when asked, writes it again); the new version waits beside
the old one until the owner keeps one of them. The redo-page workflow does the work; these
functions check the request, take the caps' slots and send the events.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from bookbug.config import app_config
from bookbug.db import BookStatus, RenderedPage, session_scope, utcnow
from bookbug.errors import InvalidInput, OverCap, WrongPhase
from bookbug.safety import text_rules
from bookbug.services import page_work, slots, spending, suitability
from bookbug.services.owned import owned_book, page_row
from bookbug.services.runtime import started_engine
from bookbug.story import Brief
from bookbug.workflows import names

MAX_NOTE_CHARS = 500  # a note for one page redone
PAGE_REDOS = "page-redo"  # the limit kind of redos of one page a day (an operator's cap)


def clean_note(note: str | None) -> str | None:
    """The note for a page redone (it guides the new picture, and the new words when rewritten), or None."""
    if note is None or note == "":
        return None
    text = note.strip()
    if not text:
        raise InvalidInput("The note is blank: write what should change, or leave it empty.", field="note")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note for the page can be at most {MAX_NOTE_CHARS} characters; "
                           f"this one has {len(text):,}.", field="note")
    bad = text_rules.unusable_character(text, multiline=True)
    if bad:
        raise InvalidInput(f"The note contains {text_rules.describe(bad)}; remove it and try again.", field="note")
    return text


def _count_redo(session: Session, row: RenderedPage) -> int:
    """The page's next redo number. Counted in the database, so two requests racing for the same
    redo get the same number (the second one finds it counted) and so one event id."""
    seen = row.redo_count
    counted = session.exec(update(RenderedPage).where(col(RenderedPage.id) == row.id,
                                                      col(RenderedPage.redo_count) == seen)
                           .values(redo_count=seen + 1, redo_failure=None, updated_at=utcnow()))
    if counted.rowcount == 1:
        return seen + 1
    session.refresh(row)
    return row.redo_count


def _take_page_redo(session: Session, book_id: str, page: int) -> None:
    """One of the page's redos for the next 24 hours (an operator's cap, atomic across processes)."""
    most = app_config.current().redos_per_page_per_day
    taken = slots.take_in(session, PAGE_REDOS, f"{book_id}:{page}", most, timedelta(days=1))
    if isinstance(taken, slots.Full):
        from bookbug.db.spending import in_words

        raise OverCap(f"Page {page} has been redone {most} times today, the most the people who run Bookbug allow; "
                      f"it can be redone again in {in_words(taken.retry_after)}.", retry_after=taken.retry_after)


async def redo_page(user_id: str, book_id: str, page: int, *, rewrite_text: bool = False,
                    note: str | None = None) -> None:
    """Draw one page again (and, with rewrite_text, write it again); the rest stays as it is.

    A note guides the new picture (and the new words). The new version waits beside the old one
    until `decide_page` keeps one of them.
    """
    note = clean_note(note)
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        if book.status != BookStatus.complete.value:
            raise WrongPhase("Pages can be redone once the book is complete.")
        if note:  # the note guides the new picture and words: screened like every request
            brief = Brief.model_validate(book.brief or {})
            suitability.check_words(note, youngest=brief.age_range.min if brief.age_range else None,
                                    field="note", what="the note")
        row = page_row(session, book_id, page)
        if row.previous_key is not None:
            raise WrongPhase(f"Page {page} already has a new version waiting: keep it or go back first.")
        run, current = page_work.latest_redo_run(session, book_id)
        # One page at a time, as the reader shows. A redo that is only finishing (its choice made)
        # holds nothing up: runs queue per book.
        if current is not None and current.page != page and current.phase in ("drawing", "deciding"):
            raise WrongPhase(page_work.redo_busy_message(current))
        editing = page_work.latest_edit(book_id)
        if editing is not None and editing.phase == "saving":
            raise WrongPhase(f"Your words for page {editing.page} are being saved; try again in a moment.")
        if current is not None and current.phase == "drawing" and run is not None:
            # Asking again for the page being drawn is the same request (its event id makes it
            # so): an interrupted client may simply ask again.
            redo = int((run.event_data or {}).get("redo") or 0)
        else:
            spending.check_daily_caps(user_id)
            _take_page_redo(session, book_id, page)
            redo = _count_redo(session, row)  # a new redo, even of a page that went back before
    engine = await started_engine()
    await engine.send_event(names.PAGE_REDO, {"book_id": book_id, "user_id": user_id, "page": page, "redo": redo,
                                              "rewrite_text": rewrite_text, "note": note or ""},
                            id=f"redo:{book_id}:{page}:{redo}")


async def decide_page(user_id: str, book_id: str, page: int, *, keep: str) -> None:
    """Keep the redone page ("new") or go back to the one before ("old")."""
    if keep not in ("new", "old"):
        raise InvalidInput("Choose to keep the new version or the old one.", field="keep")
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        row = page_row(session, book_id, page)
        if row.previous_key is None:
            raise WrongPhase(f"Page {page} has no new version waiting for a decision.")
        redo = row.version - 1  # the waiting picture is redo n's, version n + 1
    engine = await started_engine()
    await engine.send_event(names.PAGE_DECIDED, {"book_id": book_id, "page": page, "redo": redo, "keep": keep},
                            id=f"decide:{book_id}:{page}:{redo}")


def dismiss_redo_failure(user_id: str, book_id: str, page: int) -> None:
    """Put away the message about a page's failed redo (the page itself is as it was)."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        page_row(session, book_id, page).redo_failure = None
