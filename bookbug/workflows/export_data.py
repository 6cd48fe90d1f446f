"""export-data: "Download my data" as a background job with progress (see packing.py).

    plan → pack each book → seal → ready to download (for 7 days)

A crash repacks at most the book it was in; a failure leaves the export marked failed with a
plain sentence, and its part files deleted.
"""

from __future__ import annotations

from typing import Any

from bookbug.engine import Context, StepFailed, workflow
from bookbug.workflows import packing
from bookbug.workflows.names import EXPORT_DATA, EXPORT_REQUESTED


@workflow(EXPORT_DATA, trigger=EXPORT_REQUESTED, subject="export_id")
async def export_data(ctx: Context) -> dict[str, Any]:
    export_id = ctx.event.data["export_id"]
    try:
        return await _export(ctx, export_id)
    except StepFailed as failure:
        await ctx.step.run("mark-failed", packing.fail, export_id, failure.failure)
        raise


async def _export(ctx: Context, export_id: str) -> dict[str, Any]:
    await ctx.progress(stage="packing", percent=0)
    books = (await ctx.step.run("plan", packing.plan, export_id)).books
    for index in range(books):
        await ctx.step.run(f"pack-{index}", packing.pack_book, export_id, index)
        await ctx.progress(stage="packing", percent=round(2 + 93 * (index + 1) / books, 1))
    sealed = await ctx.step.run("seal", packing.seal, export_id)
    await ctx.progress(stage="ready", percent=100)
    return {"status": "ready", "books": books, "bytes": sealed.bytes}
