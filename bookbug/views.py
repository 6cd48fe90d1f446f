"""What the services hand to the pages, the REST API and the CLI: plain pydantic views."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from bookbug.db import Book, ChatMessage, RenderedPage
from bookbug.engine import RunView
from bookbug.resilience import plain_words as failures
from bookbug.story.art_direction import picture_description


def page_image_url(book_id: str, page_number: int, version: int = 1) -> str:
    # Always an app route: it checks that the viewer owns the book before serving the file or
    # redirecting to a short-lived presigned URL.
    return f"/api/books/{book_id}/pages/{page_number}/image?v={version}"


def previous_version(page: RenderedPage) -> int | None:
    """The version a redone page would replace, while the owner has not chosen (else None)."""
    if page.previous_key is None:
        return None
    previous = (page.image_meta or {}).get("previous")
    version = previous.get("version") if isinstance(previous, dict) else None
    return int(version) if isinstance(version, int) else page.version - 1


def page_audio_url(book_id: str, page: RenderedPage) -> str | None:
    """The page's narration route, while the voice reads the page's current words."""
    told = page.narration or {}
    if not told.get("key") or told.get("text") != page.text:
        return None
    return f"/api/books/{book_id}/pages/{page.page_number}/audio?v={page.version}"




def cover_tag(cover_key: str) -> str:
    """A short tag of the cover's content: it changes whenever the cover does (a cache key)."""
    return hashlib.sha256(cover_key.encode()).hexdigest()[:12]


def cover_url(book_id: str, cover_key: str) -> str:
    return f"/api/books/{book_id}/cover?c={cover_tag(cover_key)}"


def book_status(book: Book, run: RunView | None) -> tuple[str, str | None]:
    """The status a person sees, and for a failed book one plain sentence chosen by the kind of
    failure (the technical detail stays on the run, for operators)."""
    if run is not None and book.status != "complete" and run.status in ("failed", "cancelled"):
        return run.status.value, failures.book_failure(run.failure) if run.status == "failed" else None
    if book.status == "failed":
        return book.status, failures.book_failure(run.failure if run is not None else None)
    return book.status, book.error


class JobView(BaseModel):
    run_id: str
    workflow: str
    status: str
    stage: str | None = None
    page: int | None = None
    percent: float | None = None
    error: str | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, run: RunView) -> JobView:
        return cls(run_id=run.id, workflow=run.workflow, status=run.status.value, stage=run.stage,
                   page=run.current_page, percent=run.percent, error=run.error,
                   updated_at=run.updated_at or run.created_at)


class BookSummary(BaseModel):
    id: str
    title: str
    status: str
    format: str
    page_count: int | None = None
    created_at: datetime
    completed_at: datetime | None = None
    cover_url: str | None = None
    stage: str | None = None
    percent: float | None = None
    error: str | None = None

    @classmethod
    def of(cls, book: Book, run: RunView | None = None) -> BookSummary:
        status, error = book_status(book, run)
        return cls(
            id=book.id, title=book.title or "Untitled book", status=status, format=book.format,
            page_count=book.page_count, created_at=book.created_at, completed_at=book.completed_at,
            cover_url=cover_url(book.id, book.cover_key) if book.cover_key else None,
            stage=run.stage if run else None, percent=run.percent if run else None,
            error=error,
        )


class PageView(BaseModel):
    number: int
    text: str
    image_url: str
    version: int = 1
    pending: bool = Field(False, description="a redone version waits beside the old one for the owner's choice")
    previous_text: str | None = Field(None, description="while pending: the old version's words")
    previous_image_url: str | None = Field(None, description="while pending: the old version's picture")
    description: str = Field("", description="what the picture shows, in plain words (its alt text)")
    alt: str = Field("", description="what the picture shows, in words (from its art direction)")
    audio_url: str | None = Field(None, description="the voice reading the page (MP3), once narrated")
    audio_seconds: float | None = Field(None, description="how long the page's narration lasts")
    text_before_edit: str | None = Field(None, description="the words before the latest hand edit (kept until "
                                         "the next one)")

    @classmethod
    def of(cls, book_id: str, page: RenderedPage) -> PageView:
        audio = page_audio_url(book_id, page)
        alt = str((page.image_meta or {}).get("alt") or "")
        view = cls(number=page.page_number, text=page.text, version=page.version,
                   image_url=page_image_url(book_id, page.page_number, page.version), audio_url=audio,
                   alt=alt, description=alt or picture_description(page.prompt),
                   audio_seconds=float((page.narration or {}).get("duration") or 0) if audio else None,
                   text_before_edit=page.text_before_edit)
        old = previous_version(page)
        if old is not None:
            previous = (page.image_meta or {}).get("previous")
            view.pending = True
            view.previous_text = str(previous.get("text", "")) if isinstance(previous, dict) else ""
            view.previous_image_url = page_image_url(book_id, page.page_number, old)
        return view


class RedoView(BaseModel):
    """The book's latest page redo, while it matters to the reader."""

    page: int
    phase: Literal["drawing", "deciding", "finishing", "failed"] = Field(
        description="drawing the new version; waiting for the owner to keep it or go back; "
                    "settling the choice (and rebuilding the PDF); or the redo failed (the page is as it was)")
    error: str | None = Field(None, description="when it failed: why, in plain words")


class EditView(BaseModel):
    """The book's latest hand edit of a page's words, while it matters to the reader."""

    page: int
    phase: Literal["saving", "failed"] = Field(
        description="the new words are being stored and the book's files rebuilt; or that failed (page as it was)")
    error: str | None = Field(None, description="when it failed: why, in plain words")


class CharacterSheetView(BaseModel):
    name: str
    image_url: str | None = None


class BookDetail(BookSummary):
    brief: dict[str, Any] | None = None
    plot: dict[str, Any] | None = None
    pages: list[PageView] = Field(default_factory=list)
    characters: list[CharacterSheetView] = Field(default_factory=list)
    pdf_url: str | None = None
    epub_url: str | None = Field(None, description="the read-along e-book (EPUB 3), once the book is complete")
    job: JobView | None = None
    redo: RedoView | None = None
    edit: EditView | None = None
    cost_usd: float = Field(0.0, description="what the book has cost so far, in US dollars: an estimate from list "
                                             "prices (every paid call, including ones whose result was not used)")

    @classmethod
    def of_book(cls, book: Book, pages: list[RenderedPage], run: RunView | None,
                redo: RedoView | None = None, edit: EditView | None = None) -> BookDetail:
        summary = BookSummary.of(book, run)
        sheets = [
            CharacterSheetView(
                name=str(sheet.get("name", "")),
                image_url=f"/api/books/{book.id}/characters/{index}/image" if sheet.get("sheet_key") else None,
            )
            for index, sheet in enumerate(book.characters or [])
            if isinstance(sheet, dict)
        ]
        return cls(
            **summary.model_dump(),
            brief=book.brief, plot=book.plot,
            pages=[PageView.of(book.id, p) for p in pages],
            characters=sheets,
            pdf_url=f"/api/books/{book.id}/pdf" if book.pdf_key else None,
            epub_url=f"/api/books/{book.id}/epub" if book.epub_key else None,
            job=JobView.of(run) if run else None,
            redo=redo,
            edit=edit,
            cost_usd=round(book.cost_usd or 0.0, 6),
        )


class BookPage(BaseModel):
    items: list[BookSummary]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class MessageView(BaseModel):
    id: str
    role: str
    content: str
    chips: list[str] = Field(default_factory=list)
    phase: str | None = None
    turn: int = 0
    concern: str | None = Field(default=None, description=(
        "on Bookbug's message that declined the answer before it: what kind of thing a young child's book "
        "leaves out (violence, sexual, self_harm, hate, drugs, real_person, frightening)"))
    created_at: datetime

    @classmethod
    def of(cls, message: ChatMessage) -> MessageView:
        return cls(id=message.id, role=message.role, content=message.content,
                   chips=[str(c) for c in (message.chips or [])], phase=message.phase,
                   turn=message.turn, concern=message.concern, created_at=message.created_at)


def export_download_url(export_id: str) -> str:
    return f"/api/account/exports/{export_id}/download"


class ExportView(BaseModel):
    """A "Download my data" export: preparing (with progress), ready to download, or failed."""

    id: str
    status: str = Field(description="preparing, ready or failed")
    percent: float = 0.0
    books: int | None = Field(default=None, description="how many books it packs, once known")
    size_bytes: int | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None
    expires_at: datetime | None = Field(default=None, description="a ready export can be downloaded until then")
    download_url: str | None = None

    @classmethod
    def of(cls, export: Any) -> ExportView:
        ready = export.status == "ready"
        return cls(id=export.id, status=export.status, percent=export.percent,
                   books=len(export.book_ids) if export.book_ids is not None else None, size_bytes=export.size_bytes,
                   error=export.error, created_at=export.created_at, finished_at=export.finished_at,
                   expires_at=export.expires_at, download_url=export_download_url(export.id) if ready else None)
