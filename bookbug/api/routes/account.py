"""Your data: download all of it as a zip ("Download my data"), or delete your account and all of it."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from bookbug.api.deps import CurrentUser
from bookbug.api.routes.files import FILE_RESPONSES, serve
from bookbug.services.book_files import StoredFile
from bookbug.api.schemas import AUTH_ERRORS, INPUT_ERRORS, ErrorResponse
from bookbug.services import privacy
from bookbug.views import ExportView

router = APIRouter(prefix="/api/account", tags=["your data"])

EXPORT_ERRORS: dict[int | str, dict[str, object]] = {
    **AUTH_ERRORS, 404: {"model": ErrorResponse, "description": "No such export of yours."},
}


class ExportList(BaseModel):
    items: list[ExportView]


class DeleteAccount(BaseModel):
    confirm: str = Field(description=f'Type "{privacy.CONFIRM_PHRASE}" to confirm.',
                         examples=[privacy.CONFIRM_PHRASE])


class Deleting(BaseModel):
    status: str = "deleting"
    message: str


@router.post("/exports", status_code=status.HTTP_202_ACCEPTED, response_model=ExportView, responses=AUTH_ERRORS)
async def start_export(user: CurrentUser) -> ExportView:
    """Start preparing a zip of everything you have here: your books (PDFs, page pictures, their
    words), your conversations with Bookbug and your account record. Follow it with GET; while
    one is being prepared, asking again answers with that one."""
    return await privacy.request_export(user.id)


@router.get("/exports", response_model=ExportList, responses=AUTH_ERRORS)
def list_exports(user: CurrentUser) -> ExportList:
    """Your latest exports, newest first."""
    return ExportList(items=privacy.list_exports(user.id))


@router.get("/exports/{export_id}", response_model=ExportView, responses=EXPORT_ERRORS)
def get_export(user: CurrentUser, export_id: str) -> ExportView:
    """Where one export is: preparing (with percent), ready (with download_url) or failed."""
    return privacy.get_export(user.id, export_id)


@router.get("/exports/{export_id}/download", responses={**FILE_RESPONSES, **EXPORT_ERRORS},
            response_class=Response)
async def download_export(user: CurrentUser, export_id: str) -> Response:
    """The ready zip (a download; on S3 / R2 a redirect to a short-lived link)."""
    file = await asyncio.to_thread(privacy.export_file, user.id, export_id)
    return await asyncio.to_thread(serve, StoredFile(file.key, file.filename), attachment=True)


@router.post("/delete", status_code=status.HTTP_202_ACCEPTED, response_model=Deleting,
             responses={**AUTH_ERRORS, **INPUT_ERRORS})
async def delete_account(user: CurrentUser, body: DeleteAccount) -> Deleting:
    """Delete your account and everything of it: books, conversations, pictures and PDFs, exports,
    sessions and API tokens. You are signed out everywhere at once; the rest is deleted in the
    background within minutes, and cannot be undone."""
    await privacy.request_account_deletion(user.id, body.confirm)
    return Deleting(message="Your account is being deleted. You have been signed out everywhere.")
