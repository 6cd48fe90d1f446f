"""`bookbug edit BOOK_ID PAGE WORDS`: change a finished page's words by hand, then wait for the
PDF to be rebuilt with them. No model is asked; the server screens the words like any request."""

from __future__ import annotations

import sys
import time
from typing import Any

from bookbug.cli.client import Api
from bookbug.cli.commands import Context
from bookbug.cli.errors import CliError, Exit

WAIT_SECONDS = 300.0
POLL_SECONDS = 0.5


def edit(ctx: Context, book_id: str, page: int, words: str) -> int:
    if words == "-":
        words = sys.stdin.read()
    with ctx.api() as api:
        api.edit_page_text(book_id, page, words)
        status = None if ctx.as_json else ctx.out.status(f"Saving page {page} and rebuilding the PDF…")
        if status:
            status.start()
        try:
            book = _saved(api, book_id)
        finally:
            if status:
                status.stop()
    shown: dict[str, Any] = next((p for p in book.get("pages") or [] if p["number"] == page), {})
    if ctx.as_json:
        ctx.emit({"id": book_id, "page": page, "text": shown.get("text"),
                  "text_before_edit": shown.get("text_before_edit")})
    else:
        ctx.say(f"Page {page} now reads: {shown.get('text', '')}", style="green")
        ctx.say(f"The PDF is rebuilt (`bookbug download {book_id}`).")
    return Exit.OK


def _saved(api: Api, book_id: str) -> dict[str, Any]:
    """The book once its edit is saved; CliError when saving it failed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        book = api.book(book_id)
        edit = book.get("edit")
        if edit is None:
            return book
        if edit.get("phase") == "failed":
            raise CliError(edit.get("error") or "The new words could not be saved; the page is as it was.")
        time.sleep(POLL_SECONDS)
    raise CliError("The new words are still being saved; run `bookbug status` in a moment to see them.")
