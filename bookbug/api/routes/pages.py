"""One page again: ask for a new version of a page, then keep it or go back to the old one; or
change a page's words by hand.

Both answer 202: the redo-page workflow draws the new version (a `page` event with
`pending: true` on the job stream, which stays open while the redo is going on) and, after the
decision, rebuilds the PDF. A redo that fails leaves the page as it was; the book's `redo`
then says why (phase `failed`), until another redo starts or the owner dismisses the message.
"""

from __future__ import annotations

from typing import Annotated, Literal

import asyncio

from fastapi import APIRouter, Body, Response, status
from pydantic import BaseModel, Field

from bookbug.api.deps import CurrentUser
from bookbug.api.schemas import BOOK_ERRORS, INPUT_ERRORS, ErrorResponse, PageNumber
from bookbug.services import page_edits, redos

router = APIRouter(prefix="/api/books", tags=["pages"])

NOT_NOW: dict[int | str, dict[str, object]] = {409: {"model": ErrorResponse,
                                                     "description": "The book is not complete, or the page already has a new version waiting."}}


class RedoPage(BaseModel):
    rewrite_text: bool = Field(False, description="write the page's words again too, not only its picture")
    note: str | None = Field(None, max_length=500, description="what to change, e.g. 'make Mia laugh': the "
                             "art director plans the new picture with it, and the writer reads it too with "
                             "rewrite_text")


class PageDecision(BaseModel):
    keep: Literal["new", "old"] = Field(description="keep the new version, or go back to the old one")


class PageText(BaseModel):
    # Length, emptiness and the age band's limits are the service's rules (one set for every door).
    text: str = Field(description="the page's new words, as they will be printed (at most 600 characters, and "
                      "within the words and sentences a page has for the book's ages)")


class PageAccepted(BaseModel):
    book_id: str
    page: int
    status: Literal["redrawing", "keeping new", "going back", "saving"]


@router.post("/{book_id}/pages/{page}/redo", status_code=status.HTTP_202_ACCEPTED, response_model=PageAccepted,
             responses={**BOOK_ERRORS, **INPUT_ERRORS, **NOT_NOW})
async def redo_page(user: CurrentUser, book_id: str, page: PageNumber,
                    body: Annotated[RedoPage | None, Body()] = None) -> PageAccepted:
    """Draw one page again (and rewrite it, with `rewrite_text`); the rest of the book stays."""
    body = body or RedoPage()
    await redos.redo_page(user.id, book_id, page, rewrite_text=body.rewrite_text, note=body.note)
    return PageAccepted(book_id=book_id, page=page, status="redrawing")


@router.post("/{book_id}/pages/{page}/decision", status_code=status.HTTP_202_ACCEPTED, response_model=PageAccepted,
             responses={**BOOK_ERRORS, **INPUT_ERRORS, **NOT_NOW})
async def decide_page(user: CurrentUser, book_id: str, page: PageNumber, body: PageDecision) -> PageAccepted:
    """Keep the redone page, or go back to the one before."""
    await redos.decide_page(user.id, book_id, page, keep=body.keep)
    return PageAccepted(book_id=book_id, page=page, status="keeping new" if body.keep == "new" else "going back")


@router.delete("/{book_id}/pages/{page}/redo/failure", status_code=status.HTTP_204_NO_CONTENT,
               response_class=Response, responses={**BOOK_ERRORS, **INPUT_ERRORS})
async def dismiss_redo_failure(user: CurrentUser, book_id: str, page: PageNumber) -> Response:
    """Put away the message about this page's failed redo (the page itself stayed as it was)."""
    await asyncio.to_thread(redos.dismiss_redo_failure, user.id, book_id, page)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{book_id}/pages/{page}/text", status_code=status.HTTP_202_ACCEPTED, response_model=PageAccepted,
            responses={**BOOK_ERRORS, **INPUT_ERRORS, **NOT_NOW})
async def edit_page_text(user: CurrentUser, book_id: str, page: PageNumber, body: PageText) -> PageAccepted:
    """Change a finished page's words by hand (no model is asked). Screened like every request:
    unsuitable words are a 422 (`unsuitable`) and change nothing. The PDF is then rebuilt; until
    it is, the book's `edit` says `saving`. The words before stay in the page's `text_before_edit`."""
    await page_edits.edit_page_text(user.id, book_id, page, body.text)
    return PageAccepted(book_id=book_id, page=page, status="saving")
