"""Who uses Bookbug: users (local or Clerk), their sign-in sessions and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field, SQLModel

from bookbug.db.types import created_field, id_field, when_field


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = id_field()
    email: str = Field(max_length=320, unique=True, index=True)
    display_name: str = Field(default="", max_length=200)
    # local accounts keep an argon2 hash; Clerk users keep their Clerk id instead
    password_hash: str | None = Field(default=None, max_length=255)
    clerk_id: str | None = Field(default=None, max_length=255, unique=True)
    role: str = Field(default="user", max_length=20)  # user | operator
    created_at: datetime = created_field()


class UserSession(SQLModel, table=True):
    """A browser sign-in. Only the hash of its token is stored; revoking sets revoked_at."""

    __tablename__ = "user_sessions"

    id: str = id_field()
    user_id: str = Field(foreign_key="users.id", index=True, max_length=32, ondelete="CASCADE")
    token_hash: str = Field(max_length=128, unique=True)
    user_agent: str = Field(default="", max_length=500)
    created_at: datetime = created_field()
    last_seen_at: datetime | None = when_field()
    expires_at: datetime | None = when_field()
    revoked_at: datetime | None = when_field()


class ApiToken(SQLModel, table=True):
    """A personal API token for the REST API and the CLI, shown once, stored hashed."""

    __tablename__ = "api_tokens"

    id: str = id_field()
    user_id: str = Field(foreign_key="users.id", index=True, max_length=32, ondelete="CASCADE")
    name: str = Field(default="", max_length=200)
    token_hash: str = Field(max_length=128, unique=True)
    prefix: str = Field(default="", max_length=16)  # shown in lists so a user can tell tokens apart
    created_at: datetime = created_field()
    last_used_at: datetime | None = when_field()
    expires_at: datetime | None = when_field()
    revoked_at: datetime | None = when_field()


class SignInAttempt(SQLModel, table=True):
    """A password sign-in that has not succeeded: what the sign-in limits count.

    A row is written before the password is checked, so guesses sent in parallel are counted
    too; a successful sign-in deletes its own row. The e-mail is kept only as a hash: an
    address typed at the sign-in form may belong to nobody here, or be someone's typo.
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_email_created", "email_key", "created_at"),
        Index("ix_sign_in_attempts_client_created", "client", "created_at"),
        Index("ix_sign_in_attempts_created", "created_at"),
    )

    id: str = id_field()
    # None once the e-mail's owner signed in: the row then counts for its client address only
    email_key: str | None = Field(default=None, max_length=64)
    client: str = Field(default="", max_length=100)  # the caller's address, where the door knows it
    created_at: datetime = created_field()


class SignInTicket(SQLModel, table=True):
    """A sign-in the server has checked, waiting for the browser to collect it.

    The web app checks a password (or a Clerk token) over its socket, which cannot set an
    HttpOnly cookie; the browser then posts the ticket to an HTTP route that opens the session
    and sets the cookie. A ticket is used once and lives a minute; only its hash is stored.
    """

    __tablename__ = "sign_in_tickets"

    id: str = id_field()
    user_id: str = Field(foreign_key="users.id", index=True, max_length=32, ondelete="CASCADE")
    ticket_hash: str = Field(max_length=128, unique=True)
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    used_at: datetime | None = when_field()
