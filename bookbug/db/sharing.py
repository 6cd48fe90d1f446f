"""Read-only share links to a book: only a hash of each link's token is kept."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bookbug.db.types import created_field, id_field, when_field


class BookShare(SQLModel, table=True):
    """One share link. The token itself is shown to the owner once; a lookup hashes what the
    visitor brings and finds the row by that hash, so a stolen database yields no working link."""

    __tablename__ = "book_shares"

    id: str = id_field()
    book_id: str = Field(foreign_key="books.id", max_length=32, ondelete="CASCADE", index=True)
    user_id: str = Field(foreign_key="users.id", max_length=32, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)  # sha256 hex of the token
    created_at: datetime = created_field()
    expires_at: datetime | None = when_field()
    revoked_at: datetime | None = when_field()
