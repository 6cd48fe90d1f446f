"""`bookbug redo BOOK_ID PAGE`: draw one page of a finished book again, then keep it or go back.

The new version is watched for on the book's event stream: while a page of a finished book is
redone, its stream follows that redo (from the redo's first event) until the new version waits
for a choice, the redo fails, or the choice is applied, and then ends.

Running the same command again after an interruption picks up where it stopped: a redo still
being drawn is the same redo (the server takes a repeated request as the same one), and a
new version already waiting goes straight to the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.panel import Panel
from rich.text import Text

from bookbug.cli import prompts
from bookbug.cli.client import Api, Event
from bookbug.cli.commands import Context, need_terminal
from bookbug.cli.errors import CliError, Exit


def redo(ctx: Context, book_id: str, page: int, *, note: str | None, rewrite_text: bool, keep: str | None) -> int:
    if keep is None:
        need_terminal("`bookbug redo` without --keep new|old")
    decided = False
    try:
        with ctx.api() as api:
            book = api.book(book_id)
            before = _page_of(book, page)
            if before.get("pending"):
                ctx.say(f"Page {page} already has a new version waiting from an earlier redo; "
                        "choose between it and the old one first.")
                new = before
            else:
                new = _start_and_wait(ctx, api, book_id, page, note=note, rewrite_text=rewrite_text)
            _show(ctx, book_id, before, new)
            choice = keep or prompts.choose_version(page)
            api.decide_page(book_id, page, choice)
            decided = True
            _follow(ctx, api, book_id, lambda e: _is_page(e, page) and "kept" in e.data,
                    doing=f"Finishing page {page}…")
            after = _page_of(api.book(book_id), page)
            if after.get("pending"):
                raise CliError(f"Your choice for page {page} is recorded but not applied yet; "
                               "run `bookbug status` in a moment to see it.")
    except KeyboardInterrupt:
        if decided:
            raise CliError("Stopped. Your choice is recorded and the page is being finished.", Exit.INTERRUPTED) from None
        raise CliError("Stopped. The redo goes on without you: run the same command again to see it and choose.",
                       Exit.INTERRUPTED) from None
    if ctx.as_json:
        ctx.emit({"id": book_id, "page": page, "kept": choice, "version": after["version"], "text": after["text"],
                  "image_url": ctx.server + after["image_url"]})
    elif choice == "new":
        ctx.say(f"Kept the new page {page}; the PDF is updated (`bookbug download {book_id}`).", style="green")
    else:
        ctx.say(f"Went back to the old page {page}.", style="green")
    return Exit.OK


def _page_of(book: dict[str, Any], page: int) -> dict[str, Any]:
    if book.get("status") != "complete":
        raise CliError(f"Pages can be redone once the book is complete; this one is {book.get('status')}.")
    pages = {p["number"]: p for p in book.get("pages") or []}
    if page not in pages:
        raise CliError(f"This book has no page {page}: its pages are 1 to {max(pages, default=0)}.", Exit.NOT_FOUND)
    return pages[page]


def _start_and_wait(ctx: Context, api: Api, book_id: str, page: int, *, note: str | None,
                    rewrite_text: bool) -> dict[str, Any]:
    try:
        api.redo_page(book_id, page, rewrite_text=rewrite_text, note=note)
    except CliError as error:
        if error.reason != "wrong_phase":
            raise
        current = _page_of(api.book(book_id), page)  # e.g. a version came meanwhile, from elsewhere
        if not current.get("pending"):
            raise
        ctx.say(f"Page {page} already has a new version waiting; choose between it and the old one first.")
        return current
    what = "Rewriting and redrawing" if rewrite_text else "Redrawing"
    ready = _follow(ctx, api, book_id, lambda e: _is_page(e, page) and bool(e.data.get("pending")),
                    doing=f"{what} page {page}…")
    if ready is not None:
        return {**ready.data, "image_url": ready.data.get("image_url") or ""}
    book = api.book(book_id)
    _raise_if_this_redo_failed(book, page)
    current = _page_of(book, page)
    if current.get("pending"):  # it came, though the stream did not show it (an expired backlog)
        return current
    raise CliError(f"The redo of page {page} stopped without a new version; run the same command again.")


def _is_page(event: Event, page: int) -> bool:
    return event.event == "page" and event.data.get("number") == page


def _follow(ctx: Context, api: Api, book_id: str, wanted: Callable[[Event], bool], *, doing: str) -> Event | None:
    """The first `wanted` event on the book's stream, or None if the stream ended first (it ends
    when the redo waits for a choice, failed, or had its choice applied)."""
    status = None if ctx.as_json else ctx.out.status(doing)
    if status:
        status.start()
    try:
        return next((event for event in api.events(book_id) if wanted(event)), None)
    finally:
        if status:
            status.stop()


def _raise_if_this_redo_failed(book: dict[str, Any], page: int) -> None:
    redo = book.get("redo") or {}
    if redo.get("phase") == "failed" and redo.get("page") == page:
        raise CliError(redo.get("error") or f"Redoing page {page} failed; the page is as it was. Try again later.")


def _show(ctx: Context, book_id: str, before: dict[str, Any], new: dict[str, Any]) -> None:
    console = ctx.err if ctx.as_json else ctx.out  # stdout stays pure JSON with --json
    old_text = before.get("previous_text") if before.get("pending") else before.get("text")
    new_text = str(new.get("text") or "")
    if old_text and old_text != new_text:
        console.print(Panel(Text(str(old_text)), title="The words before", title_align="left", border_style="dim"))
    console.print(Panel(Text(new_text), title=f"New page {before['number']}", title_align="left",
                        border_style="magenta"))
    ctx.say(f"The new picture: {ctx.server}{new.get('image_url', '')}")
    ctx.say(f"The whole book: {ctx.book_link(book_id)}")
