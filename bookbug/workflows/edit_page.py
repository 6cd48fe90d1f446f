"""edit-page: a page's words changed by hand by the book's owner (no model is asked), then every
file made from the book rebuilt. The service screened the words and counted the edit before
sending the event; the edit's number (`edit`) names its event, so asking twice edits once."""

from __future__ import annotations

from typing import Any

from bookbug.engine import Concurrency, Context, workflow
from bookbug.workflows import assembly, narrating, pages
from bookbug.workflows.names import EDIT_PAGE, PAGE_EDIT


@workflow(EDIT_PAGE, trigger=PAGE_EDIT, subject="book_id", concurrency=Concurrency(key="event.data.book_id", limit=1),
          fair_key="event.data.user_id")
async def edit_page(ctx: Context) -> dict[str, Any]:
    data = ctx.event.data
    book_id, number, edit = data["book_id"], int(data["page"]), int(data["edit"])
    await ctx.progress(stage="edit", page=number, percent=0)
    applied = await ctx.step.run("apply-text", pages.apply_edit, book_id, number, edit, str(data["text"]))
    await ctx.step.run("rebuild-files", assembly.assemble, book_id)
    # the new words are read aloud before the e-book is rebuilt with them
    await narrating.narrate_page(ctx, book_id, number, applied.text, first_attempt=pages.first_edit_attempt(edit))
    await ctx.step.run("rebuild-epub", assembly.assemble_epub, book_id)
    await ctx.progress(stage="complete", page=number, percent=100, payload={
        "kind": "page", "number": number, "text": applied.text, "edited": True,
    })
    return {"page": number, "edit": edit}
