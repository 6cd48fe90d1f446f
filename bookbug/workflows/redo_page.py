"""redo-page: one page drawn again (or rewritten and drawn again), the rest of the book untouched.

The new version is kept beside the old one until the user decides: keeping the new one
deletes the old picture and rebuilds the PDFs; going back restores the old one exactly.
"""

from __future__ import annotations

from typing import Any

from bookbug.engine import Concurrency, Context, workflow
from bookbug.workflows import assembly, pages
from bookbug.workflows.names import PAGE_DECIDED, PAGE_REDO, REDO_PAGE

DECISION_TIMEOUT = "14d"  # no answer by then: the new version stays (the user asked for it)


@workflow(REDO_PAGE, trigger=PAGE_REDO, concurrency=Concurrency(key="event.data.book_id", limit=1))
async def redo_page(ctx: Context) -> dict[str, Any]:
    data = ctx.event.data
    book_id, number, redo = data["book_id"], int(data["page"]), int(data["redo"])
    await ctx.progress(stage="redo", page=number, percent=0)
    text = await ctx.step.run("text", pages.redo_text, book_id, number, bool(data.get("rewrite_text")),
                              str(data.get("note") or ""), rate_limit="anthropic")
    beat = await ctx.step.run("beat", pages.redo_beat, book_id, number, text, rate_limit="anthropic")
    drawn = await ctx.step.run("picture", pages.redraw, book_id, number, beat, text, redo, rate_limit="replicate")
    await ctx.progress(stage="redo", page=number, percent=80, payload={
        "kind": "page", "number": number, "text": text["text"], "pending": True,
        "image_url": f"/api/books/{book_id}/pages/{number}/image?v={drawn['version']}",
    })
    decision = await ctx.step.wait_for_event("decide", event=PAGE_DECIDED,
                                             match={"book_id": book_id, "page": number, "redo": redo},
                                             timeout=DECISION_TIMEOUT)
    keep = "new" if decision is None else str(decision.get("keep", "new"))
    await ctx.step.run("settle", pages.settle, book_id, number, keep)
    if keep == "new":
        await ctx.step.run("rebuild-pdf", assembly.assemble, book_id)
    await ctx.progress(stage="complete", page=number, percent=100, payload={
        "kind": "page", "number": number, "kept": keep,
        "image_url": f"/api/books/{book_id}/pages/{number}/image?v={drawn['version'] if keep == 'new' else drawn['version'] - 1}",
    })
    return {"page": number, "kept": keep}
