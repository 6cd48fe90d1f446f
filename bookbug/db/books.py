"""Books and what belongs to one: its conversation and its rendered pages."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bookbug.db.types import created_field, id_field, json_field, when_field


class BookStatus(str, enum.Enum):
    draft = "draft"
    intake = "intake"
    plot = "plot"
    generating = "generating"
    complete = "complete"
    failed = "failed"
    cancelled = "cancelled"
    abandoned = "abandoned"  # the intake waited 24 h for an answer; a returning user resumes it
    paused = "paused"  # a spending cap was reached: it goes on when the cap is raised or the day turns


class Book(SQLModel, table=True):
    __tablename__ = "books"
    __table_args__ = (Index("ix_books_user_created", "user_id", "created_at"),)

    id: str = id_field()
    user_id: str = Field(foreign_key="users.id", max_length=32, ondelete="CASCADE")
    title: str = Field(default="", max_length=300)
    status: str = Field(default=BookStatus.draft.value, max_length=20, index=True)
    brief: dict[str, Any] | None = json_field()
    plot: dict[str, Any] | None = json_field()
    prose: dict[str, Any] | None = json_field()
    style_guide: dict[str, Any] | None = json_field()
    characters: list[Any] | None = json_field()
    page_count: int | None = Field(default=None)
    format: str = Field(default="square-large", max_length=40)
    cost_usd: float = Field(default=0.0)
    usage: dict[str, Any] | None = json_field()  # tokens and images spent, per provider
    error: str | None = Field(default=None)
    pdf_key: str | None = Field(default=None, max_length=500)
    screen_pdf_key: str | None = Field(default=None, max_length=500)
    cover_key: str | None = Field(default=None, max_length=500)
    epub_key: str | None = Field(default=None, max_length=500)  # the read-along EPUB
    created_at: datetime = created_field()
    updated_at: datetime | None = when_field()
    completed_at: datetime | None = when_field()


class ChatMessage(SQLModel, table=True):
    """One bubble of the conversation. The assistant's k-th question and the user's answer to it
    share turn k; (book, role, turn) is unique, so a double-sent answer is stored once."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        Index("ix_chat_messages_book_created", "book_id", "created_at"),
        UniqueConstraint("book_id", "role", "turn", name="uq_chat_messages_book_role_turn"),
    )

    id: str = id_field()
    book_id: str = Field(foreign_key="books.id", max_length=32, ondelete="CASCADE")
    role: str = Field(max_length=20)  # user | assistant
    content: str
    chips: list[Any] | None = json_field()
    phase: str | None = Field(default=None, max_length=40)  # story_intake | plot_review | ...
    turn: int = Field(default=0)
    # an assistant's message that declined the answer before it: the kind of concern (bookbug/safety)
    concern: str | None = Field(default=None, max_length=40)
    created_at: datetime = created_field()


class RenderedPage(SQLModel, table=True):
    __tablename__ = "rendered_pages"
    __table_args__ = (UniqueConstraint("book_id", "page_number", name="uq_rendered_pages_book_page"),)

    id: str = id_field()
    book_id: str = Field(foreign_key="books.id", max_length=32, ondelete="CASCADE", index=True)
    page_number: int  # 0 for character sheets and other non-story images is not used; sheets live in books.characters
    storage_key: str = Field(max_length=500)
    text: str = Field(default="")
    prompt: str | None = Field(default=None)
    image_meta: dict[str, Any] | None = json_field()  # size, dpi, model, prediction id, quality scores
    version: int = Field(default=1)  # the picture shown: 1 at first, n + 1 for redo n (never reused: a cache key)
    previous_key: str | None = Field(default=None, max_length=500)  # kept until a redo is accepted
    # Redos of this page ever asked for. Only ever rises (going back does not lower it), so each
    # redo has its own event and decision ids, drawing attempts and picture version.
    redo_count: int = Field(default=0)
    redo_failure: str | None = Field(default=None, max_length=1000)  # why the last redo failed, in plain words
    # the voice reading the page: {key, text, duration, sentences: [{text, begin, end}], provider, voice};
    # stale (and not used) once `text` here is no longer the page's text
    narration: dict[str, Any] | None = json_field()
    # Hand edits of the page's words ever asked for: only rises, so each edit has its own event id.
    edit_count: int = Field(default=0)
    text_before_edit: str | None = Field(default=None)  # the words before the latest hand edit, until the next
    created_at: datetime = created_field()
    updated_at: datetime | None = when_field()


class ImagePrediction(SQLModel, table=True):
    """The provider's id for a picture being drawn, written the moment it exists.

    A worker killed while the picture is drawn resumes this prediction instead of paying for
    a new one. `purpose` names the picture within its book: "sheet-0", "page-3", ...
    """

    __tablename__ = "image_predictions"
    __table_args__ = (UniqueConstraint("book_id", "purpose", "attempt", name="uq_image_predictions_purpose"),)

    id: str = id_field()
    book_id: str = Field(foreign_key="books.id", max_length=32, ondelete="CASCADE")
    purpose: str = Field(max_length=60)
    attempt: int = Field(default=1)  # quality regenerations and page redos draw again
    provider: str = Field(max_length=40)
    prediction_id: str = Field(max_length=20000)  # the offline illustrator's ids carry the request
    created_at: datetime = created_field()
