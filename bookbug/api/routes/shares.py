"""The owner's share links of a book: make one (its token shown once), list them, revoke one."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from bookbug.api.deps import CurrentUser
from bookbug.api.schemas import BOOK_ERRORS, INPUT_ERRORS, ErrorResponse
from bookbug.services import sharing
from bookbug.services.sharing import MAX_SHARE_DAYS, NewShare, ShareView

router = APIRouter(prefix="/api/books", tags=["sharing"])

NOT_NOW: dict[int | str, dict[str, object]] = {409: {"model": ErrorResponse, "description": "The book is not complete, or has too many links."}}


class CreateShare(BaseModel):
    expires_in_days: int | None = Field(None, ge=1, le=MAX_SHARE_DAYS,
                                        description="Omit for a link that lasts until it is revoked.")


class ShareList(BaseModel):
    items: list[ShareView]


@router.post("/{book_id}/shares", status_code=status.HTTP_201_CREATED, response_model=NewShare,
             responses={**BOOK_ERRORS, **INPUT_ERRORS, **NOT_NOW})
async def create_share(user: CurrentUser, book_id: str, body: CreateShare | None = None) -> NewShare:
    """A read-only link to the finished book for anyone who has it (no account needed).

    Its `token` is in this answer only; the public reader is at `path` on this server."""
    days = body.expires_in_days if body else None
    return await asyncio.to_thread(sharing.create_share, user.id, book_id, expires_in_days=days)


@router.get("/{book_id}/shares", response_model=ShareList, responses=BOOK_ERRORS)
async def list_shares(user: CurrentUser, book_id: str) -> ShareList:
    """The book's links that are not revoked (expired ones marked), newest first."""
    return ShareList(items=await asyncio.to_thread(sharing.list_shares, user.id, book_id))


@router.delete("/{book_id}/shares/{share_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               responses=BOOK_ERRORS)
async def revoke_share(user: CurrentUser, book_id: str, share_id: str) -> Response:
    """Revoke a link: it, its pictures and its PDF answer 404 from now on."""
    await asyncio.to_thread(sharing.revoke_share, user.id, book_id, share_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
