"""Book service functions: what the web pages, the REST API and the CLI call.

Every function takes the caller's user id and answers only for that user's books: another
user's book raises `NotFound`, exactly like a book that does not exist. Work is never done
here: these functions write rows and send events; the workflows do the rest.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from bookbug.db import Book, BookShare, BookStatus, ChatMessage, ImagePrediction, RenderedPage, session_scope, utcnow
from bookbug.db.limits import forget_book_slots
from bookbug.engine import RunStatus, RunView, get_run, latest_run as engine_latest_run, latest_runs, received
from bookbug.services import slots, spending, suitability
from bookbug.config import app_config
from bookbug.safety import text_rules
from bookbug.errors import InvalidInput, NotFound, OverCap, Throttled, WrongPhase
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings
from bookbug.views import (BookDetail, BookPage, BookSummary, EditView, JobView, MessageView, RedoView,
                                    book_status)
from bookbug.story import Brief
from bookbug.story.formats import FORMATS
from bookbug.workflows import names

MAX_MESSAGE_CHARS = 4000
MAX_NOTE_CHARS = 500  # a note for one page redone
BOOK_STARTS = "book-start"  # the limit kind of new books a minute per user (services/slots.py)
PLOT_CHANGES = "plot-change"  # the limit kind of plot changes per book (an operator's cap)
PAGE_REDOS = "page-redo"  # the limit kind of redos of one page a day (an operator's cap)
FOR_GOOD = timedelta(days=36500)  # a slot of a cap that does not reset
ACTIVE_RUN = (RunStatus.queued.value, RunStatus.running.value, RunStatus.waiting.value)
TALKING = (BookStatus.draft.value, BookStatus.intake.value, BookStatus.plot.value, BookStatus.abandoned.value)


def owned_book(session: Session, user_id: str, book_id: str) -> Book:
    book = session.get(Book, book_id) if book_id else None
    if book is None or book.user_id != user_id:
        raise NotFound("book")
    return book


def _db() -> str:
    return get_settings().db_url


def latest_run(book_id: str) -> RunView | None:
    """The book's newest create-book run, as the engine reports it."""
    return engine_latest_run(_db(), book_id, names.CREATE_BOOK)


# -- books -------------------------------------------------------------------------------------

def start_book_row(user_id: str, format: str, page_count: int | None, per_minute: int) -> Book:
    """The new book's row, if the user has a new-book slot left this minute (else Throttled).

    The slot and the book commit together; racing requests (any number of processes) each
    need a slot of their own, so no more than `per_minute` books start in any minute."""
    now = utcnow()
    with session_scope() as session:
        taken = slots.take_in(session, BOOK_STARTS, user_id, per_minute, timedelta(minutes=1), now=now)
        if isinstance(taken, slots.Full):
            raise Throttled(f"You can start {per_minute} books a minute; try again in {taken.seconds} seconds.",
                            retry_after=max(1.0, taken.retry_after))
        book = Book(user_id=user_id, format=format, page_count=page_count, status=BookStatus.draft.value,
                    updated_at=now)
        session.add(book)
    return book


async def create_book(user_id: str, *, format: str | None = None, page_count: int | None = None) -> BookSummary:
    """Create a book and start its conversation; at most `books_per_minute` per user."""
    config = app_config.current()
    if format is not None and format not in FORMATS:
        raise InvalidInput(f"Unknown format {format!r}; choose one of {', '.join(FORMATS)}.", field="format")
    if page_count is not None and not 8 <= page_count <= 32:
        raise InvalidInput("A book has between 8 and 32 pages.", field="page_count")
    if page_count is not None and page_count > config.pages_per_book:
        raise InvalidInput(f"Books here have at most {config.pages_per_book} pages (a cap the people who run "
                           "Bookbug set; it does not reset).", field="page_count")
    await asyncio.to_thread(spending.check_daily_caps, user_id)
    book = await asyncio.to_thread(start_book_row, user_id, format or config.default_format, page_count,
                                   config.books_per_minute)
    engine = await started_engine()
    await engine.send_event(names.BOOK_CREATED, {"book_id": book.id, "user_id": user_id}, id=f"create:{book.id}")
    return BookSummary.of(book)


def list_books(user_id: str, *, page: int = 1, per_page: int = 12) -> BookPage:
    if page < 1:
        raise InvalidInput("Pages are numbered from 1.", field="page")
    if not 1 <= per_page <= 100:
        raise InvalidInput("Ask for between 1 and 100 books a page.", field="per_page")
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(Book).where(Book.user_id == user_id)).one()
        books = session.exec(
            select(Book).where(Book.user_id == user_id)
            .order_by(col(Book.created_at).desc(), col(Book.id).desc())
            .offset((page - 1) * per_page).limit(per_page)
        ).all()
        runs = latest_runs(_db(), [book.id for book in books], names.CREATE_BOOK)
        items = [BookSummary.of(book, runs.get(book.id)) for book in books]
    return BookPage(items=items, page=page, per_page=per_page, total=total)


def get_book(user_id: str, book_id: str) -> BookDetail:
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        pages = session.exec(select(RenderedPage).where(RenderedPage.book_id == book.id)
                             .order_by(col(RenderedPage.page_number))).all()
        return BookDetail.of_book(book, list(pages), latest_run(book.id), latest_redo(session, book.id),
                                  latest_edit(book.id))


async def delete_book(user_id: str, book_id: str) -> None:
    """Delete a book, its conversation, pages, runs, the events that carried its chat, and its files."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
    await erase_book(book_id)


async def erase_book(book_id: str) -> None:
    """Everything of one book, whoever owns it (callers check who may): its runs and the events
    that carried its chat, its files in the configured store, and its rows."""
    engine = await started_engine()
    await engine.forget_subject(book_id)  # cancels what runs, then removes runs, steps, waits, events
    from bookbug.providers.storage import book_prefix, get_storage

    await asyncio.to_thread(get_storage().delete_prefix, book_prefix(book_id))
    with session_scope() as session:
        session.exec(delete(ChatMessage).where(ChatMessage.book_id == book_id))
        session.exec(delete(RenderedPage).where(RenderedPage.book_id == book_id))
        session.exec(delete(ImagePrediction).where(ImagePrediction.book_id == book_id))
        session.exec(delete(BookShare).where(BookShare.book_id == book_id))
        forget_book_slots(session, [book_id])
        session.exec(delete(Book).where(Book.id == book_id))


# -- the conversation ------------------------------------------------------------------------

def history(user_id: str, book_id: str) -> list[MessageView]:
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        messages = session.exec(select(ChatMessage).where(ChatMessage.book_id == book_id)
                                .order_by(col(ChatMessage.created_at), col(ChatMessage.turn))).all()
        return [MessageView.of(m) for m in messages]


def clean_message(content: str | None) -> str:
    text = (content or "").strip()
    if not text:
        raise InvalidInput("Type a message first.", field="content")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(f"Messages can be at most {MAX_MESSAGE_CHARS:,} characters; this one has {len(text):,}.",
                           field="content")
    bad = text_rules.unusable_character(text, multiline=True)
    if bad:
        raise InvalidInput(f"The message contains {text_rules.describe(bad)}; remove it and send it again.",
                           field="content")
    return text


def _open_turn(session: Session, book: Book) -> tuple[int, str | None]:
    """The assistant's latest question (turn, phase) that the user has not answered yet."""
    status, _ = book_status(book, latest_run(book.id))
    if status == BookStatus.paused.value:  # a spending cap stopped it: the sentence says which, and until when
        raise OverCap(book.error or "This book is paused by a spending cap.")
    if status not in TALKING:
        raise WrongPhase(f"This book is {status}; the conversation is over.")
    last = session.exec(select(ChatMessage).where(ChatMessage.book_id == book.id, ChatMessage.role == "assistant")
                        .order_by(col(ChatMessage.turn).desc()).limit(1)).first()
    if last is None:
        raise WrongPhase("Bookbug is still thinking of its first question.")
    answered = session.exec(select(ChatMessage.id).where(
        ChatMessage.book_id == book.id, ChatMessage.role == "user", ChatMessage.turn == last.turn)).first()
    if answered:
        raise WrongPhase("Bookbug is still answering your last message.")
    return last.turn, last.phase


async def _answer(user_id: str, book_id: str, content: str, *, approve: bool) -> MessageView:
    await asyncio.to_thread(spending.check_daily_caps, user_id)  # every answer starts a paid call
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        turn, phase = _open_turn(session, book)
        if approve and phase != names.PHASE_PLOT:
            raise WrongPhase("There is no plot to approve yet.")
        message = ChatMessage(book_id=book_id, role="user", content=content, phase=phase, turn=turn)
        session.add(message)
        try:
            session.flush()
        except IntegrityError:  # the same answer sent twice at once: the first one counts
            raise WrongPhase("Bookbug is still answering your last message.") from None
        if phase == names.PHASE_PLOT and not approve:
            _take_plot_change(session, book_id)  # committed with the message, or neither
        view = MessageView.of(message)
    engine = await started_engine()
    await engine.send_event(
        names.CHAT_MESSAGE,
        {"book_id": book_id, "message_id": view.id, "content": content, "approve": approve, "turn": turn},
        id=f"message:{view.id}",
    )
    return view


def _take_plot_change(session: Session, book_id: str) -> None:
    """One of the book's plot changes (an operator's cap, atomic across processes: services/slots.py)."""
    most = app_config.current().plot_revisions_per_book
    if isinstance(slots.take_in(session, PLOT_CHANGES, book_id, most, FOR_GOOD), slots.Full):
        raise OverCap(f"This book has had its {most} plot changes, the most the people who run Bookbug allow "
                      "(a cap that does not reset); approve the plot as it is, or start a new book.")


async def send_message(user_id: str, book_id: str, content: str | None) -> MessageView:
    """Answer Bookbug's latest question (or ask for plot changes). The reply arrives as progress."""
    return await _answer(user_id, book_id, clean_message(content), approve=False)


async def approve(user_id: str, book_id: str) -> MessageView:
    """Approve the proposed plot: the book is written and illustrated."""
    return await _answer(user_id, book_id, "Approve the plot", approve=True)


# -- the run -------------------------------------------------------------------------------------

def current_job(user_id: str, book_id: str) -> JobView | None:
    with session_scope() as session:
        owned_book(session, user_id, book_id)
    run = latest_run(book_id)
    return JobView.of(run) if run else None


async def cancel(user_id: str, book_id: str) -> JobView:
    with session_scope() as session:
        owned_book(session, user_id, book_id)
    run = latest_run(book_id)
    if run is None or run.status not in ACTIVE_RUN:
        raise WrongPhase("This book has nothing in progress to cancel.")
    engine = await started_engine()
    # create-book declares cancel_on for this event: sending it cancels the run (and any
    # other workflow that listens for it), so there is nothing more to call here
    await engine.send_event(names.BOOK_CANCEL, {"book_id": book_id})
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is not None and book.status not in (BookStatus.complete.value,):
            book.status = BookStatus.cancelled.value
            book.updated_at = utcnow()
    return JobView.of(get_run(_db(), run.id) or run)


async def retry(user_id: str, book_id: str) -> JobView:
    """Run a failed book again from the step that failed; finished pages are kept."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
    run = latest_run(book_id)
    if run is None or run.status != RunStatus.failed.value:
        raise WrongPhase("Only a book that failed can be retried.")
    engine = await started_engine()
    await engine.rerun(run.id)
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is not None:
            book.error = None
            # the failed step runs again; its stage decides the status it reports from then on
            book.status = (BookStatus.generating.value if book.prose
                           else BookStatus.plot.value if book.plot else BookStatus.intake.value)
            book.updated_at = utcnow()
    return JobView.of(get_run(_db(), run.id) or run)


# -- one page again ------------------------------------------------------------------------------

def _page_row(session: Session, book_id: str, number: int) -> RenderedPage:
    row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                  RenderedPage.page_number == number)).first()
    if row is None:
        raise NotFound("page")
    return row


REDO_IN_FLIGHT = ("drawing", "deciding", "finishing")


def _latest_redo_run(book_id: str) -> RunView | None:
    return engine_latest_run(_db(), book_id, names.REDO_PAGE)


def latest_redo(session: Session, book_id: str) -> RedoView | None:
    """Where the book's latest page redo stands; None once it finished (or when there was none),
    and once the owner put away the message of one that failed."""
    return _latest_redo(session, book_id)[1]


def _latest_redo(session: Session, book_id: str) -> tuple[RunView | None, RedoView | None]:
    """The book's latest redo run, and where it stands (see latest_redo)."""
    run = _latest_redo_run(book_id)
    if run is None or run.status in (RunStatus.completed.value, RunStatus.cancelled.value):
        return run, None
    number = int((run.event_data or {}).get("page") or 0)
    row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                  RenderedPage.page_number == number)).first()
    if run.status == RunStatus.failed.value:
        # the redo recorded why in plain words (the run keeps the technical reason)
        failure = row.redo_failure if row is not None else None
        return run, (RedoView(page=number, phase="failed", error=failure) if failure else None)
    if received(_db(), run.id, names.PAGE_DECIDED):
        return run, RedoView(page=number, phase="finishing")
    return run, RedoView(page=number, phase="deciding" if row is not None and row.previous_key else "drawing")


def redo_in_flight(user_id: str, book_id: str) -> tuple[str, str] | None:
    """The book's page redo still going on, as (its run id, its phase), or None."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        run, redo = _latest_redo(session, book_id)
        if run is None or redo is None or redo.phase not in REDO_IN_FLIGHT:
            return None
        return run.id, redo.phase


def latest_edit(book_id: str) -> EditView | None:
    """The book's latest hand edit of a page while it is saved, or when it failed; else None."""
    run = engine_latest_run(_db(), book_id, names.EDIT_PAGE)
    if run is None or run.status in (RunStatus.completed.value, RunStatus.cancelled.value):
        return None
    number = int((run.event_data or {}).get("page") or 0)
    if run.status == RunStatus.failed.value:
        return EditView(page=number, phase="failed",
                        error=f"Your new words for page {number} could not be saved; the page is as it was. "
                              "Try again in a while.")
    return EditView(page=number, phase="saving") if run.status in ACTIVE_RUN else None


def redo_busy_message(redo: RedoView) -> str:
    """Why no page of the book can be redone while `redo` is in flight."""
    if redo.phase == "deciding":
        return f"Page {redo.page} has a new version waiting: keep it or go back first."
    if redo.phase == "finishing":
        return f"Your choice for page {redo.page} is being saved; try again in a moment."
    return f"Page {redo.page} is being redrawn; wait for it before redoing another page."


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
        row = _page_row(session, book_id, page)
        if row.previous_key is not None:
            raise WrongPhase(f"Page {page} already has a new version waiting: keep it or go back first.")
        run, current = _latest_redo(session, book_id)
        # One page at a time, as the reader shows. A redo that is only finishing (its choice made)
        # holds nothing up: runs queue per book.
        if current is not None and current.page != page and current.phase in ("drawing", "deciding"):
            raise WrongPhase(redo_busy_message(current))
        editing = latest_edit(book_id)
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
        row = _page_row(session, book_id, page)
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
        _page_row(session, book_id, page).redo_failure = None
