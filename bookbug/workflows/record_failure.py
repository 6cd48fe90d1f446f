"""record-failure: when making a book fails, the book says so too (its status agrees with its run).

The engine sends an event whenever a run fails; this workflow picks up the create-book ones.
It marks the book failed only while that run is still the failed one: a Retry that started in
the meantime is not overruled.
"""

from __future__ import annotations

from typing import Any

from bookbug.engine import RUN_FAILED, Context, workflow
from bookbug.workflows import records
from bookbug.workflows.names import CREATE_BOOK, RECORD_FAILURE


@workflow(RECORD_FAILURE, trigger=RUN_FAILED, subject="subject")
async def record_failure(ctx: Context) -> dict[str, Any]:
    data = ctx.event.data
    if data.get("workflow") != CREATE_BOOK or not data.get("subject"):
        return {"recorded": False}
    marked = await ctx.step.run("mark-failed", records.mark_failed, str(data["subject"]), str(data["run_id"]))
    return {"recorded": marked}
