"""delete-account: everything of a person, in one durable workflow (the steps: erasing.py).

The event and the run carry only the deletion's id; the person's id, their books and exports
are read from rows, and no step returns any of them, so once the deletion's own row is gone
nothing the engine keeps mentions them. A crash anywhere resumes at the step it was in, and
every step is safe to run again. The pause before the final pass lets work that was already
running when the books' runs were cancelled land, and then be deleted too.
"""

from __future__ import annotations

from typing import Any

from bookbug.engine import Context, workflow
from bookbug.settings import get_settings
from bookbug.workflows import erasing
from bookbug.workflows.names import ACCOUNT_DELETE, DELETE_ACCOUNT


def settle_seconds() -> float:
    return get_settings().deletion_settle_seconds


@workflow(DELETE_ACCOUNT, trigger=ACCOUNT_DELETE, subject="deletion_id")
async def delete_account(ctx: Context) -> dict[str, Any]:
    deletion_id = ctx.event.data["deletion_id"]
    await ctx.progress(stage="deleting", percent=0)
    await ctx.step.run("close-account", erasing.close, deletion_id)
    await ctx.step.run("stop-runs", erasing.stop_runs, deletion_id)
    await ctx.step.run("delete-files", erasing.delete_files, deletion_id)
    await ctx.step.run("delete-rows", erasing.delete_rows, deletion_id)
    await ctx.progress(stage="deleting", percent=80)
    settle = await ctx.step.run("settle-for", settle_seconds)  # read once: a replay waits the same
    if settle > 0:
        await ctx.step.sleep("settle", float(settle))
    await ctx.step.run("final-pass", erasing.final_pass, deletion_id)
    await ctx.step.run("close", erasing.finish, deletion_id)
    await ctx.progress(stage="deleted", percent=100)
    return {"status": "deleted"}
