"""Read-only share links: the owner makes, lists and revokes them; anyone holding one reads the book.

A link's token is shown once, when it is made; the database keeps only its sha256, so the
table cannot be turned back into working links. A revoked or expired link, a link to a book
that is gone, and a made-up one all look the same: NotFound. What a link shows is the book
as its owner last accepted it (a redone page still waiting for a choice shows its old version).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from bookbug.db import Book, BookShare, BookStatus, RenderedPage, session_scope, utcnow
from bookbug.services.owned import owned_book
from bookbug.errors import InvalidInput, NotFound, WrongPhase
from bookbug.views import previous_version

TOKEN_PREFIX = "bbl_"  # "link"; session tokens are bbs_, API tokens bb_
MAX_SHARE_DAYS = 365
MAX_SHARES_PER_BOOK = 20
# What a token can look like; anything else is refused before it reaches the database.
_TOKEN_SHAPE = re.compile(r"^bbl_[A-Za-z0-9_-]{20,64}$")


def share_path(token: str) -> str:
    """The public reader's path for a link (the web page every door hands out)."""
    return f"/shared/{token}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes even for timezone columns; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


class ShareView(BaseModel):
    id: str
    created_at: datetime
    expires_at: datetime | None = Field(None, description="after this the link shows nothing; none: never")
    expired: bool = False


class NewShare(ShareView):
    token: str = Field(description="The link's secret. It is shown this once and never again.")
    path: str = Field(description="The public reader: this path on the server, e.g. /shared/bbl_...")


class SharedPage(BaseModel):
    number: int
    text: str
    image_url: str


class SharedBook(BaseModel):
    """A shared book as anyone with the link sees it: its words and pictures, nothing else."""

    title: str
    format: str
    language: str = Field("en", description="the book's language, an ISO 639-1 code")
    cover_url: str | None = None
    pdf_url: str | None = None
    pages: list[SharedPage] = Field(default_factory=list)


def _view(share: BookShare, now: datetime) -> ShareView:
    expires_at = _aware(share.expires_at)
    return ShareView(id=share.id, created_at=_aware(share.created_at) or now, expires_at=expires_at,
                     expired=expires_at is not None and expires_at <= now)


def create_share(user_id: str, book_id: str, *, expires_in_days: int | None = None) -> NewShare:
    """A new read-only link to the owner's finished book, optionally expiring after some days."""
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_SHARE_DAYS:
        raise InvalidInput(f"A link can last between 1 and {MAX_SHARE_DAYS} days, or not expire at all.",
                           field="expires_in_days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        if book.status != BookStatus.complete.value:
            raise WrongPhase("A book can be shared once it is complete.")
        live = [s for s in _shares(session, book_id) if not _view(s, now).expired]
        if len(live) >= MAX_SHARES_PER_BOOK:
            raise WrongPhase(f"This book already has {MAX_SHARES_PER_BOOK} links; revoke one first.")
        share = BookShare(book_id=book_id, user_id=user_id, token_hash=_hash(token), created_at=now,
                          expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None)
        session.add(share)
        session.flush()
        view = _view(share, now)
    return NewShare(**view.model_dump(), token=token, path=share_path(token))


def _shares(session: Session, book_id: str) -> list[BookShare]:
    return list(session.exec(select(BookShare).where(BookShare.book_id == book_id,
                                                     col(BookShare.revoked_at).is_(None))
                             .order_by(col(BookShare.created_at).desc())).all())


def list_shares(user_id: str, book_id: str) -> list[ShareView]:
    """The book's links not revoked (expired ones included, marked), newest first."""
    now = utcnow()
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        return [_view(share, now) for share in _shares(session, book_id)]


def revoke_share(user_id: str, book_id: str, share_id: str) -> None:
    """Revoke one link of the owner's book: from now on it, its pictures and its PDF are 404."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        share = session.get(BookShare, share_id) if share_id else None
        if share is None or share.book_id != book_id or share.revoked_at is not None:
            raise NotFound("link")
        share.revoked_at = utcnow()


def shared_book_row(session: Session, token: str) -> Book:
    """The book a live link opens; NotFound for anything else (checked on every request)."""
    if not token or not _TOKEN_SHAPE.match(token):
        raise NotFound("link")
    share = session.exec(select(BookShare).where(BookShare.token_hash == _hash(token))).first()
    now = utcnow()
    if share is None or share.revoked_at is not None or _view(share, now).expired:
        raise NotFound("link")
    book = session.get(Book, share.book_id)
    if book is None or book.user_id != share.user_id or book.status != BookStatus.complete.value:
        raise NotFound("link")
    return book


def shared_page_url(token: str, number: int, version: int) -> str:
    return f"/api/shared/{token}/pages/{number}/image?v={version}"


def accepted_page(page: RenderedPage) -> tuple[str, str, int]:
    """(storage key, words, version) of the page as its owner last accepted it."""
    old = previous_version(page)
    if old is not None and page.previous_key:
        previous = (page.image_meta or {}).get("previous")
        text = str(previous.get("text", page.text)) if isinstance(previous, dict) else page.text
        return page.previous_key, text, old
    return page.storage_key, page.text, page.version


def shared_book(token: str) -> SharedBook:
    with session_scope() as session:
        book = shared_book_row(session, token)
        pages = session.exec(select(RenderedPage).where(RenderedPage.book_id == book.id)
                             .order_by(col(RenderedPage.page_number))).all()
        shown = []
        for page in pages:
            _, text, version = accepted_page(page)
            shown.append(SharedPage(number=page.page_number, text=text,
                                    image_url=shared_page_url(token, page.page_number, version)))
        language = str((book.brief or {}).get("language") or "en")
        return SharedBook(title=book.title or "A Bookbug book", format=book.format, language=language,
                          cover_url=f"/api/shared/{token}/cover" if book.cover_key else None,
                          pdf_url=f"/api/shared/{token}/pdf" if book.pdf_key else None, pages=shown)
