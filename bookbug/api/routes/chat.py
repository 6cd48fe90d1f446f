"""The conversation: answer Bookbug's questions, read the history, approve the plot.

Answers are accepted (202) and the assistant's reply arrives on the job stream and in the
history, because the workflow, not this request, writes it.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from bookbug.api.deps import CurrentUser
from bookbug.api.schemas import BOOK_ERRORS, INPUT_ERRORS, ErrorResponse, History, MessageView, SendMessage
from bookbug.services import books

router = APIRouter(prefix="/api/chat", tags=["chat"])

WRONG_PHASE: dict[int | str, dict[str, object]] = {409: {"model": ErrorResponse,
                                                         "description": "Not the moment: no open question, a reply in flight, or the conversation is over."}}


@router.post("/{book_id}/message", status_code=status.HTTP_202_ACCEPTED, response_model=MessageView,
             responses={**BOOK_ERRORS, **INPUT_ERRORS, **WRONG_PHASE})
async def send_message(user: CurrentUser, book_id: str, body: SendMessage) -> MessageView:
    """Answer Bookbug's latest question, or ask for changes to the proposed plot."""
    return await books.send_message(user.id, book_id, body.content)


@router.get("/{book_id}/history", response_model=History, responses=BOOK_ERRORS)
def history(user: CurrentUser, book_id: str) -> History:
    """The whole conversation, oldest first, with each question's chips and phase."""
    return History(messages=books.history(user.id, book_id))


@router.post("/{book_id}/approve", status_code=status.HTTP_202_ACCEPTED, response_model=MessageView,
             responses={**BOOK_ERRORS, **WRONG_PHASE})
async def approve(user: CurrentUser, book_id: str) -> MessageView:
    """Approve the proposed plot: the pages are written, illustrated and bound into a PDF."""
    return await books.approve(user.id, book_id)
