"""A family's data leaving with them: exports of everything, and accounts being deleted."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bookbug.db.types import created_field, id_field, json_field, when_field


class ExportStatus(str, enum.Enum):
    preparing = "preparing"
    ready = "ready"
    failed = "failed"


class DataExport(SQLModel, table=True):
    """"Download my data": a zip of the user's books, chats and account, made in the background."""

    __tablename__ = "data_exports"
    __table_args__ = (Index("ix_data_exports_user_created", "user_id", "created_at"),)

    id: str = id_field()
    user_id: str = Field(foreign_key="users.id", max_length=32, ondelete="CASCADE")
    status: str = Field(default=ExportStatus.preparing.value, max_length=20)
    percent: float = Field(default=0.0)
    book_ids: list[Any] | None = json_field()  # the books packed, in order, fixed when packing starts
    storage_key: str | None = Field(default=None, max_length=500)  # the zip, once ready
    size_bytes: int | None = Field(default=None)
    error: str | None = Field(default=None, max_length=500)  # why it failed, in plain words
    created_at: datetime = created_field()
    finished_at: datetime | None = when_field()
    expires_at: datetime | None = when_field(index=True)  # a ready zip is deleted then


class AccountDeletion(SQLModel, table=True):
    """An account being deleted: what the deletion workflow needs to find everything, kept until
    it is done, and then deleted itself (nothing about the person remains, this row included).

    It has no foreign key to the user: the user's row is deleted before this one. `subjects`
    collects every book and export id seen, so runs, events and files are found even once the
    rows that named them are gone. The deletion's own run and event carry only this row's id."""

    __tablename__ = "account_deletions"

    id: str = id_field()
    user_id: str = Field(max_length=32, unique=True)
    email_key: str = Field(default="", max_length=64)  # its sign-in attempts' key (services/sign_in_limits.py)
    subjects: dict[str, Any] | None = json_field()  # {"books": [ids], "exports": [ids]}
    requested_at: datetime = created_field()
