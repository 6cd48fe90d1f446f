"""The REST API: a FastAPI app mounted into Reflex through `api_transformer`.

Routes live in `routes/`, one module per concern; they parse, authorise (the `CurrentUser`
dependency), call a service function and shape the answer. Every refusal is the JSON
envelope from `errors.py`.
"""

from __future__ import annotations

from fastapi import FastAPI

from bookbug.api import errors
from bookbug.api.routes import account, auth, books, chat, files, jobs, monitoring, pages, session, shared, shares
from bookbug.edge import protect
from bookbug.settings import get_settings

DESCRIPTION = """
Bookbug turns a conversation into an illustrated picture book.

1. `POST /api/auth/token` with your e-mail and password gives a personal API token; send it as
   `Authorization: Bearer <token>` on every other request. (The web app's own pages use an
   HttpOnly session cookie instead; requests carrying it are refused from other sites' pages.)
2. `POST /api/books` starts a book. Follow `GET /api/jobs/{book_id}/stream` (Server-Sent Events):
   each `chat` event means Bookbug asked something (read it with `GET /api/chat/{book_id}/history`),
   answer with `POST /api/chat/{book_id}/message`, approve the plot with `POST /api/chat/{book_id}/approve`.
3. `progress` and `page` events follow; after `complete`, `GET /api/books/{book_id}/pdf`.
4. Share a finished book read-only: `POST /api/books/{book_id}/shares` gives a link (`/shared/<token>`)
   anyone can open without an account; `DELETE /api/books/{book_id}/shares/{share_id}` revokes it.
5. Your data is yours: `POST /api/account/exports` prepares a zip of everything (follow it with
   `GET /api/account/exports/{export_id}`), and `POST /api/account/delete` deletes it all.

Errors are `{"error": {"code", "message", "field"}}`; 429 answers carry `Retry-After`. Request
bodies larger than the server's limit (256 KiB by default) are refused with 413.
"""


def build_api() -> FastAPI:
    api = FastAPI(title="Bookbug API", version="1.0", description=DESCRIPTION, docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    errors.install(api)

    @api.get("/api/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (books, chat, jobs, files, pages, shares, shared, auth, session, account, monitoring):
        api.include_router(module.router)
    protect(api, get_settings())
    return api
