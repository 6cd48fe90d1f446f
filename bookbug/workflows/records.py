"""What the book workflows write to the database, as small step functions.

Each function is safe to run again after a crash (a step is at-least-once until it
completes): messages are keyed by turn, pages by number, statuses are plain assignments.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bookbug import metrics
from bookbug.agents import ChatTurn
from bookbug.db import Book, BookStatus, ChatMessage, RenderedPage, session_scope, utcnow
from bookbug.engine import RunStatus, get_run
from bookbug.settings import get_settings
from bookbug.views import MessageView

FINAL = {BookStatus.complete.value, BookStatus.cancelled.value}


def load_book(book_id: str) -> Book:
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None:
            raise LookupError(f"book {book_id} no longer exists")
        return book


def set_status(book_id: str, status: str, error: str | None = None) -> None:
    """Move the book to `status` (a finished or cancelled book stays so). The same call twice
    leaves the same book: the caller says where to go, never "back to what it was"."""
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None:
            raise LookupError(f"book {book_id} no longer exists")
        if book.status not in FINAL or status == BookStatus.complete.value:
            if status == BookStatus.complete.value and book.status != status:
                metrics.BOOKS_FINISHED.labels(status).inc()
            book.status = status
            book.error = error
            book.updated_at = utcnow()
            if status == BookStatus.complete.value:
                book.completed_at = book.updated_at


def mark_failed(book_id: str, run_id: str) -> bool:
    """The book failed with run `run_id`, unless that run is no longer failed (retried since),
    or the book is gone, finished or cancelled. Returns whether it was marked."""
    run = get_run(get_settings().db_url, run_id)
    if run is None or run.status != RunStatus.failed:
        return False
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None or book.status in FINAL:
            return False
        if book.status != BookStatus.failed.value:
            metrics.BOOKS_FINISHED.labels(BookStatus.failed.value).inc()
        book.status, book.updated_at = BookStatus.failed.value, utcnow()
        return True


def _locked_book(session: Any, book_id: str) -> Book | None:
    """The book's row, held by this transaction until it ends. Steps of one book run side by side
    and each read-modify-writes its part of the row (a sheet, a bill): unlocked, the last writer
    drops the others' parts. Touching the row first takes PostgreSQL's row lock and SQLite's
    write lock alike, and the read after it sees every committed part."""
    _hold(session, Book, col(Book.id) == book_id)
    return session.get(Book, book_id, populate_existing=True)


def _hold(session: Any, table: Any, *where: Any) -> None:
    # an UPDATE that changes nothing still takes the rows' locks (a bare SELECT ... FOR UPDATE
    # does nothing on SQLite)
    session.execute(update(table).where(*where).values(id=table.id))


def set_character_sheet(book_id: str, index: int, entry: dict[str, Any]) -> None:
    """Record one character's sheet at its place in the cast, keeping the others'."""
    with session_scope() as session:
        book = _locked_book(session, book_id)
        if book is None:
            raise LookupError(f"book {book_id} no longer exists")
        sheets = list(book.characters or [])
        while len(sheets) <= index:
            sheets.append({})
        sheets[index] = entry
        book.characters = sheets


def set_prose_text(book_id: str, number: int, text: str) -> None:
    """Put one page's text into the book's prose, keeping other pages' (redone at the same time)."""
    with session_scope() as session:
        book = _locked_book(session, book_id)
        if book is None:
            raise LookupError(f"book {book_id} no longer exists")
        prose = dict(book.prose or {})
        prose["pages"] = [{**p, "text": text} if p.get("page_number") == number else p
                          for p in prose.get("pages") or []]
        book.prose = prose


def update_book(book_id: str, **values: Any) -> None:
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None:
            raise LookupError(f"book {book_id} no longer exists")
        for name, value in values.items():
            setattr(book, name, value)
        book.updated_at = utcnow()


def pause(book_id: str, message: str) -> None:
    """A spending cap stopped the book: it is paused, saying which cap and when it resets."""
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None or book.status in FINAL or book.status == BookStatus.failed.value:
            return
        if book.status != BookStatus.paused.value or book.error != message:
            book.status, book.error, book.updated_at = BookStatus.paused.value, message, utcnow()


def resume(book_id: str) -> None:
    """A paused book's call went ahead: back to the phase its contents show (as a retry does)."""
    with session_scope() as session:
        book = session.exec(select(Book).where(Book.id == book_id, Book.status == BookStatus.paused.value)).first()
        if book is None:
            return
        book.status = (BookStatus.generating.value if book.prose
                       else BookStatus.plot.value if book.plot else BookStatus.intake.value)
        book.error, book.updated_at = None, utcnow()


def owner(book_id: str) -> str | None:
    with session_scope() as session:
        book = session.get(Book, book_id)
        return book.user_id if book is not None else None


def add_usage(book_id: str, usage: dict[str, Any]) -> None:
    """Add one call's tokens to the book's running totals, per provider (its cost is added by the
    ledger, call by call, as each answer arrives: bookbug/workflows/meter.py)."""
    with session_scope() as session:
        book = _locked_book(session, book_id)
        if book is None:
            return
        totals = dict(book.usage or {})
        provider = str(usage.get("provider", "unknown"))
        mine = dict(totals.get(provider) or {})
        for field in ("calls", "input_tokens", "output_tokens", "images"):
            mine[field] = int(mine.get(field, 0)) + int(usage.get(field, 0) or 0)
        mine["cost_usd"] = round(float(mine.get("cost_usd", 0.0)) + float(usage.get("cost_usd", 0.0) or 0.0), 6)
        metrics.PROVIDER_CALLS.labels(provider).inc(max(0, int(usage.get("calls", 0) or 0) + int(usage.get("images", 0) or 0)))
        totals[provider] = mine
        book.usage = totals


def say(book_id: str, turn: int, content: str, chips: list[str], phase: str,
        concern: str | None = None) -> dict[str, Any]:
    """Save the assistant's message for `turn` once (a re-run finds it) and return it as a view;
    `concern` marks a message that declined the answer before it."""
    with session_scope() as session:
        existing = session.exec(select(ChatMessage).where(
            ChatMessage.book_id == book_id, ChatMessage.role == "assistant", ChatMessage.turn == turn)).first()
        if existing is not None:
            return MessageView.of(existing).model_dump(mode="json")
        message = ChatMessage(book_id=book_id, role="assistant", content=content, chips=chips, phase=phase, turn=turn,
                              concern=concern)
        session.add(message)
        try:
            session.flush()
        except IntegrityError:  # a concurrent re-run saved it first
            session.rollback()
            existing = session.exec(select(ChatMessage).where(
                ChatMessage.book_id == book_id, ChatMessage.role == "assistant", ChatMessage.turn == turn)).one()
            return MessageView.of(existing).model_dump(mode="json")
        return MessageView.of(message).model_dump(mode="json")


RECENT_MESSAGES = 6  # what a model is sent of the conversation: the brief holds what came before


def conversation(book_id: str, recent: int | None = RECENT_MESSAGES) -> list[ChatTurn]:
    """The book's conversation, oldest first: its `recent` latest messages (None: all of it).
    Each answer is folded into the brief as it comes, so resending the whole history on every turn
    would only pay for it again and again."""
    with session_scope() as session:
        query = (select(ChatMessage).where(ChatMessage.book_id == book_id)
                 .order_by(col(ChatMessage.turn).desc(), col(ChatMessage.created_at).desc()))
        if recent is not None:
            query = query.limit(recent)
        rows = list(reversed(session.exec(query).all()))
        return [ChatTurn(role=m.role, content=m.content[:8000], chips=[str(c) for c in (m.chips or [])])  # type: ignore[arg-type]  # a stored role is "user" or "assistant", the Literal's values
                for m in rows]


def save_page(book_id: str, number: int, *, key: str, text: str, prompt: str, meta: dict[str, Any]) -> None:
    with session_scope() as session:
        page = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                       RenderedPage.page_number == number)).first()
        if page is None:
            session.add(RenderedPage(book_id=book_id, page_number=number, storage_key=key, text=text,
                                     prompt=prompt, image_meta=meta))
        else:
            page.storage_key, page.text, page.prompt, page.image_meta = key, text, prompt, meta
            page.updated_at = utcnow()


def stored_pages(book_id: str) -> list[RenderedPage]:
    with session_scope() as session:
        return list(session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id)
                                 .order_by(col(RenderedPage.page_number))).all())


def merge_page_meta(book_id: str, number: int, values: dict[str, Any]) -> None:
    with session_scope() as session:
        where = (col(RenderedPage.book_id) == book_id, col(RenderedPage.page_number) == number)
        _hold(session, RenderedPage, *where)
        page = session.exec(select(RenderedPage).where(*where).execution_options(populate_existing=True)).one()
        page.image_meta = {**(page.image_meta or {}), **values}
