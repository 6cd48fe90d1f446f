"""Book service functions: what the web pages, the REST API and the CLI call.

Every function takes the caller's user id and answers only for that user's books: another
user's book raises `NotFound`, exactly like a book that does not exist. Work is never done
here: these functions write rows and send events; the workflows do the rest.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from bookbug.config import app_config
from bookbug.db import Book, BookShare, BookStatus, ChatMessage, ImagePrediction, RenderedPage, session_scope, utcnow
from bookbug.db.limits import forget_book_slots
from bookbug.engine import RunStatus, RunView, get_run, latest_run as engine_latest_run, latest_runs
from bookbug.errors import InvalidInput, OverCap, Throttled, WrongPhase
from bookbug.safety import text_rules
from bookbug.services import page_work, slots, spending
from bookbug.services.owned import owned_book
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings
from bookbug.story.formats import FORMATS
from bookbug.views import BookDetail, BookPage, BookSummary, JobView, MessageView, book_status
from bookbug.workflows import names

MAX_MESSAGE_CHARS = 4000
BOOK_STARTS = "book-start"  # the limit kind of new books a minute per user (services/slots.py)
PLOT_CHANGES = "plot-change"  # the limit kind of plot changes per book (an operator's cap)
FOR_GOOD = timedelta(days=36500)  # a slot of a cap that does not reset
ACTIVE_RUN = page_work.ACTIVE_RUN
TALKING = (BookStatus.draft.value, BookStatus.intake.value, BookStatus.plot.value, BookStatus.abandoned.value)


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
        return BookDetail.of_book(book, list(pages), latest_run(book.id), page_work.latest_redo(session, book.id),
                                  page_work.latest_edit(book.id))


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
        session.exec(delete(ChatMessage).where(col(ChatMessage.book_id) == book_id))
        session.exec(delete(RenderedPage).where(col(RenderedPage.book_id) == book_id))
        session.exec(delete(ImagePrediction).where(col(ImagePrediction.book_id) == book_id))
        session.exec(delete(BookShare).where(col(BookShare.book_id) == book_id))
        forget_book_slots(session, [book_id])
        session.exec(delete(Book).where(col(Book.id) == book_id))


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
    view = JobView.of(get_run(_db(), run.id) or run)
    # A step already running when the cancel came finishes first, then the run ends cancelled
    # (the engine's promise); the answer says where the run is going, not the step it is ending.
    if view.status in ACTIVE_RUN:
        view.status = RunStatus.cancelled.value
    return view


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


