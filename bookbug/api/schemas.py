"""Request and response bodies of the REST API. Responses reuse the services' views, so the
web pages, the API and the CLI describe a book the same way; OpenAPI documents them all."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, Field

from bookbug.views import BookDetail, BookPage, BookSummary, JobView, MessageView

__all__ = [
    "ApiTokenOut", "BookDetail", "BookPage", "BookSummary", "CreateBook", "ErrorBody", "ErrorResponse",
    "History", "JobView", "MessageView", "NewApiTokenOut", "SendMessage", "TokenRequest", "UserOut",
]


class ErrorBody(BaseModel):
    code: str = Field(description="A stable machine-readable reason, e.g. `not_found`, `wrong_phase`.")
    message: str = Field(description="A sentence fit to show a person.")
    field: str | None = Field(None, description="The input at fault, for bad input.")
    concern: str | None = Field(None, description=(
        "With code `unsuitable`: what kind of thing a young child's book leaves out (violence, sexual, self_harm, "
        "hate, drugs, real_person, frightening)."))
    suggestions: list[str] | None = Field(None, description="With code `unsuitable`: close ideas to offer instead.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class CreateBook(BaseModel):
    format: str | None = Field(None, description="A book format id; the operator's default when omitted.",
                               examples=["square-large"])
    page_count: int | None = Field(None, description="8 to 32 pages; the conversation decides when omitted.")


class SendMessage(BaseModel):
    # Length and emptiness are the service's rules (one message for web and API), not repeated here.
    content: str = Field(description="Your answer to Bookbug's latest question (at most 4,000 characters).")


class History(BaseModel):
    messages: list[MessageView]


class TokenRequest(BaseModel):
    email: str
    password: str
    name: str = Field("bookbug CLI", description="How the token is listed, so you can recognise it later.")
    expires_in_days: int | None = Field(None, ge=1, le=3650, description="Omit for a token that does not expire.")


class NewApiTokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    token: str = Field(description="The token itself. It is shown this once and never again.")
    expires_at: datetime | None = None


class ApiTokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    expired: bool


class UserOut(BaseModel):
    id: str
    email: str
    display_name: str
    role: str


# Documented on every route that needs a signed-in caller.
AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "No token, or an unknown, expired or revoked one."},
}
BOOK_ERRORS: dict[int | str, dict[str, object]] = {
    **AUTH_ERRORS,
    404: {"model": ErrorResponse, "description": "No such book, or someone else's (they look the same)."},
}
INPUT_ERRORS: dict[int | str, dict[str, object]] = {
    422: {"model": ErrorResponse, "description": "Bad input; `field` names it."},
}


# Every number in a path or a query has both bounds, so no value reaches a service (or the
# database, whose integers are 64-bit) that it cannot hold: out of range is a 422 naming it.
MAX_PAGE_NUMBER = 64  # books have 8 to 32 pages; room to spare, nothing more
MAX_VERSION = 1_000_000
MAX_CHARACTER_INDEX = 99
PageNumber = Annotated[int, Path(ge=1, le=MAX_PAGE_NUMBER, description="the story page, from 1")]
CharacterIndex = Annotated[int, Path(ge=0, le=MAX_CHARACTER_INDEX, description="the character's place in the book's list, from 0")]
PageVersion = Annotated[int | None, Query(ge=1, le=MAX_VERSION, description="The page's version; a cache key.")]
