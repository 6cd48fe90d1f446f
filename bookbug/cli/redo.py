"""`bookbug redo BOOK_ID PAGE`: draw one page of a finished book again, then keep it or go back.

The new version is watched for on the book's event stream. The stream of a finished book
replays what a client missed (after the Last-Event-ID it sends) and then ends instead of
waiting, so the command resumes it after the newest event it saw, once a second, until the
page's new version shows up; nothing is missed between two connections.

Running the same command again after an interruption picks up where it stopped: a redo still
being drawn is the same redo (the server takes a repeated request as the same one), and a
new version already waiting goes straight to the choice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.panel import Panel
from rich.text import Text

from bookbug.cli import prompts
from bookbug.cli.client import Api, Event
from bookbug.cli.commands import Context, need_terminal
from bookbug.cli.errors import CliError, Exit

READY_WITHIN = 15 * 60  # seconds for a new version to be drawn (a busy illustrator can be slow)
SETTLED_WITHIN = 5 * 60  # seconds for the choice to be applied and the PDF rebuilt
POLL_SECONDS = 1.0


def redo(ctx: Context, book_id: str, page: int, *, note: str | None, rewrite_text: bool, keep: str | None) -> int:
    if keep is None:
        need_terminal("`bookbug redo` without --keep new|old")
    decided = False
    try:
        with ctx.api() as api:
            book = api.book(book_id)
            before = _page_of(book, page)
            last = newest_event_id(api, book_id)
            if before.get("pending"):
                ctx.say(f"Page {page} already has a new version waiting from an earlier redo; "
                        "choose between it and the old one first.")
                new = before
            else:
                new, last = _start_and_wait(ctx, api, book_id, page, last, note=note, rewrite_text=rewrite_text)
            _show(ctx, book_id, before, new)
            choice = keep or prompts.choose_version(page)
            api.decide_page(book_id, page, choice)
            decided = True
            _wait(ctx, api, book_id, last, lambda e: _is_page(e, page) and "kept" in e.data,
                  within=SETTLED_WITHIN, doing=f"Finishing page {page}…", page=page)
            after = _page_of(api.book(book_id), page)
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


def newest_event_id(api: Api, book_id: str) -> int:
    """The id of the book's newest event. A finished book's stream stops at each final event it
    replays (a retried book has more than one), so ask again after it until nothing is newer."""
    last = 0
    while True:
        newest = max((e.id for e in api.events(book_id, after=last) if e.id is not None), default=last)
        if newest <= last:
            return last
        last = newest


def _start_and_wait(ctx: Context, api: Api, book_id: str, page: int, last: int, *, note: str | None,
                    rewrite_text: bool) -> tuple[dict[str, Any], int]:
    try:
        api.redo_page(book_id, page, rewrite_text=rewrite_text, note=note)
    except CliError as error:
        if error.reason != "wrong_phase":
            raise
        current = _page_of(api.book(book_id), page)  # e.g. a version came meanwhile, from elsewhere
        if not current.get("pending"):
            raise
        ctx.say(f"Page {page} already has a new version waiting; choose between it and the old one first.")
        return current, last
    what = "Rewriting and redrawing" if rewrite_text else "Redrawing"
    ready, last = _wait(ctx, api, book_id, last, lambda e: _is_page(e, page) and bool(e.data.get("pending")),
                        within=READY_WITHIN, doing=f"{what} page {page}…", page=page)
    return {**ready.data, "image_url": ready.data.get("image_url") or ""}, last


def _is_page(event: Event, page: int) -> bool:
    return event.event == "page" and event.data.get("number") == page


def _wait(ctx: Context, api: Api, book_id: str, after: int, wanted: Callable[[Event], bool], *, within: float,
          doing: str, page: int) -> tuple[Event, int]:
    """The first event after `after` that is `wanted`, and the newest id seen by then."""
    deadline = time.monotonic() + within
    last = after
    status = None if ctx.as_json else ctx.out.status(doing)
    if status:
        status.start()
    try:
        while True:
            for event in api.events(book_id, after=last):
                last = max(last, event.id or 0)
                if wanted(event):
                    return event, last
                if event.event == "redo" and event.data.get("status") == "failed":
                    _raise_if_this_redo_failed(api, book_id, page)
            if time.monotonic() > deadline:
                raise CliError(f"Page {page} is still not ready after {within / 60:.0f} minutes; it may still "
                               "come: run the same command again later.")
            time.sleep(POLL_SECONDS)
    finally:
        if status:
            status.stop()


def _raise_if_this_redo_failed(api: Api, book_id: str, page: int) -> None:
    # the event does not name its page: the book's latest redo does
    redo = api.book(book_id).get("redo") or {}
    if redo.get("phase") == "failed" and redo.get("page") == page:
        raise CliError(f"Redoing page {page} failed: {redo.get('error') or 'no reason given'}. "
                       "The page is as it was; try again later.")


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
