"""redo-page: one page drawn again (or rewritten and drawn again), the rest of the book untouched.

The new version is kept beside the old one until the user decides: keeping the new one
deletes the old picture and rebuilds the PDFs; going back restores the old one exactly.
A redo that fails goes back too, so no page is ever left waiting for a choice nobody can make.

Each redo of a page has its own number (`redo`, from the page's ever-rising redo count): it
names the redo's events, its drawing attempts and its picture's version.
"""

from __future__ import annotations

from typing import Any

from bookbug.engine import Concurrency, Context, StepFailed, workflow
from bookbug.views import page_image_url
from bookbug.workflows import assembly, illustrating, narrating, pages, reviewing
from bookbug.workflows.names import PAGE_DECIDED, PAGE_REDO, REDO_PAGE

DECISION_TIMEOUT = "14d"  # no answer by then: the new version stays (the user asked for it)


@workflow(REDO_PAGE, trigger=PAGE_REDO, subject="book_id", concurrency=Concurrency(key="event.data.book_id", limit=1),
          fair_key="event.data.user_id")
async def redo_page(ctx: Context) -> dict[str, Any]:
    data = ctx.event.data
    book_id, number, redo = data["book_id"], int(data["page"]), int(data["redo"])
    await ctx.progress(stage="redo", page=number, percent=0)
    try:
        return await _redo(ctx, book_id, number, redo, bool(data.get("rewrite_text")), str(data.get("note") or ""))
    except StepFailed as failure:
        back = await ctx.step.run("give-up", pages.give_up, book_id, number, redo, failure.failure)
        await ctx.step.run("discard-new", pages.discard, back.discard)
        raise  # the run fails with the technical reason; the page row has it in plain words


async def _redo(ctx: Context, book_id: str, number: int, redo: int, rewrite: bool, note: str) -> dict[str, Any]:
    text = await ctx.step.run("text", pages.redo_text, book_id, number, rewrite, note)
    if rewrite:  # new words are reviewed before they are drawn, as every page's are
        text = await reviewing.reviewed(ctx, number, book_id, None, text, pages.rewrite_text, book_id, number, note)
    beat = await ctx.step.run("beat", pages.redo_beat, book_id, number, text, note)
    request = await ctx.step.run("request", pages.redo_request, book_id, number, beat, text, note)
    picture = await illustrating.draw_picture(ctx, "picture", book_id, f"page-{number}", request,
                                              ["pages", f"{number:03d}-v{redo + 1}.png"],
                                              first_attempt=pages.first_attempt(redo))
    drawn = await ctx.step.run("record", pages.record_redo, book_id, number, request, text, redo, picture)
    await ctx.progress(stage="redo", page=number, percent=80, payload={
        "kind": "page", "number": number, "text": text.text, "pending": True,
        "image_url": page_image_url(book_id, number, drawn.version),
    })
    decision = await ctx.step.wait_for_event("decide", event=PAGE_DECIDED,
                                             match={"book_id": book_id, "page": number, "redo": redo},
                                             timeout=DECISION_TIMEOUT)
    keep = "new" if decision is None else str(decision.get("keep", "new"))
    settled = await ctx.step.run("settle", pages.settle, book_id, number, keep)
    await ctx.step.run("discard", pages.discard, settled.discard)
    if keep == "new":
        await ctx.step.run("rebuild-pdf", assembly.assemble, book_id)
        # new words are read aloud again before the e-book is rebuilt (the same words keep their voice)
        await narrating.narrate_page(ctx, book_id, number, text.text, first_attempt=pages.first_attempt(redo))
        await ctx.step.run("rebuild-epub", assembly.assemble_epub, book_id)
    await ctx.progress(stage="complete", page=number, percent=100, payload={
        "kind": "page", "number": number, "kept": keep,
        "image_url": page_image_url(book_id, number, settled.version),
    })
    return {"page": number, "kept": keep}
