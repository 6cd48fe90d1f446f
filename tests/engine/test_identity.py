"""Stable identity: a deploy that changes a workflow between two replays never hands one step
another step's checkpoint. Branches are keyed by the workflow; what no longer fits the code
fails the run with a clear "workflow changed" error."""

from __future__ import annotations

from bookbug.engine import Registry, workflow
from tests.engine.conftest import wait_for_run


def _pages_workflow(registry: Registry, pages: list[int]) -> None:
    @workflow("pictures", trigger="pictures/start", registry=registry)
    async def pictures(ctx):
        async def page(number: int) -> str:
            drawn = await ctx.step.run("picture", lambda: f"picture of page {number}")
            await ctx.step.wait_for_event("approved", event="pictures/approved", match={"page": number},
                                          timeout="30s")
            return drawn

        return await ctx.step.parallel("book", {f"page-{n}": (lambda n=n: page(n)) for n in pages})


async def test_a_deploy_that_adds_a_branch_leaves_every_branch_its_own_checkpoints(embedded, make_engine):
    db_url, redis_url = embedded
    before, after = Registry(), Registry()
    _pages_workflow(before, [1, 2])
    _pages_workflow(after, [0, 1, 2])  # the new code draws a cover first
    old = make_engine(db_url, redis_url, before)
    async with old, old.worker():
        run_id = (await old.send_event("pictures/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
    new = make_engine(db_url, redis_url, after, queue_name=old.config.queue_name, key_prefix=old.config.key_prefix)
    async with new, new.worker():
        for number in (0, 1, 2):
            await new.send_event("pictures/approved", {"page": number})
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert run.output == {f"page-{n}": f"picture of page {n}" for n in (0, 1, 2)}


async def test_a_deploy_that_removes_a_branch_fails_the_run_saying_the_workflow_changed(embedded, make_engine):
    db_url, redis_url = embedded
    before, after = Registry(), Registry()
    _pages_workflow(before, [1, 2])
    _pages_workflow(after, [2])
    old = make_engine(db_url, redis_url, before)
    async with old, old.worker():
        run_id = (await old.send_event("pictures/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
    new = make_engine(db_url, redis_url, after, queue_name=old.config.queue_name, key_prefix=old.config.key_prefix)
    async with new, new.worker():
        await new.send_event("pictures/approved", {"page": 2})
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "failed"
    assert "the workflow changed while this run was in flight" in run.error and "page-1" in run.error


async def test_a_step_that_now_calls_something_else_fails_the_run_instead_of_reusing_a_result(
        embedded, make_engine):
    db_url, redis_url = embedded
    before, after = Registry(), Registry()

    def quote() -> int:
        return 42

    def charge() -> int:
        return 0

    for registry, fn in ((before, quote), (after, charge)):
        @workflow("billing", trigger="billing/start", registry=registry)
        async def billing(ctx, fn=fn):
            amount = await ctx.step.run("price", fn)
            await ctx.step.wait_for_event("go", event="billing/go", timeout="30s")
            return amount

    old = make_engine(db_url, redis_url, before)
    async with old, old.worker():
        run_id = (await old.send_event("billing/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
    new = make_engine(db_url, redis_url, after, queue_name=old.config.queue_name, key_prefix=old.config.key_prefix)
    async with new, new.worker():
        await new.send_event("billing/go", {})
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "failed"
    assert "the workflow changed" in run.error and "quote" in run.error and "charge" in run.error
