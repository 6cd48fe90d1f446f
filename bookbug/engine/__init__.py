"""The durable engine: Inngest-style workflows on ARQ workers, checkpointed in the database.

Workflows are plain async functions written as straight-line code::

    from bookbug.engine import CancelOn, Concurrency, Throttle, workflow

    @workflow("create-book", trigger="book/create.started",
              throttle=Throttle(key="event.data.user_id", limit=3, period="1m"),
              cancel_on=[CancelOn(event="book/cancel.requested", match="book_id")])
    async def create_book(ctx):
        brief = await ctx.step.run("draft-brief", draft_brief, ctx.event.data["book_id"])
        answer = await ctx.step.wait_for_event("wait-for-user", event="chat/message.sent",
                                               match="book_id", timeout="24h")
        pages = await ctx.step.parallel("pages", *[
            lambda n=n: ctx.step.run(f"page-{n}", write_page, n, rate_limit="anthropic")
            for n in range(1, 25)])
        await ctx.progress(stage="pages", percent=50)

The app starts one engine for its lifetime (bookbug/services/runtime.py), with, in embedded
mode (no REDIS_URL), an ARQ worker inside the app process. By hand, e.g. in a test::

    engine = Engine(EngineConfig(db_url=..., redis_url=""), workflows)  # default: default_registry
    async with engine, engine.worker():
        receipt = await engine.send_event("book/create.started", {"book_id": b, "user_id": u})
        async for message in engine.subscribe(f"book:{b}", after=last_event_id):
            ...                                          # {"id": 7, "type": "progress", ...}
        await engine.cancel_run(run_id); await engine.rerun(failed_run_id)
        list_runs(db_url, status="failed"); run_steps(db_url, run_id); recent_failures(db_url)

Production: the app only enqueues and subscribes (`async with engine:`); `arq workers.WorkerSettings`
runs as many worker processes as you like, sharing the Redis and the database.

Guarantees. Every run is a row and every completed step a row holding its JSON output,
written in the same transaction that marks the step done. Each execution replays the
workflow from the top: completed steps return their stored output without running again
(exactly once, once completed). A step that was running when its worker died runs again
on another worker (at least once): its effect may happen twice. A step that calls a paid
API should therefore record the provider's request id as early as it can (its own small
step, or an idempotency key derived from the run and step ids) so that a retry picks up
the same request instead of paying for a second one. Waits and sleeps hold nothing in
memory: the run is suspended and an event, a timer job or the sweep resumes it. The
database is the source of truth: if Redis loses everything or a worker is killed, the
sweep rebuilds the queue from the rows (see sweep.py).
"""

from bookbug.engine.config import EngineConfig
from bookbug.engine.engine import Engine
from bookbug.engine.errors import StepFailed, WorkflowChanged
from bookbug.engine.events import EventReceipt
from bookbug.engine.queries import (
    FailureView, RunView, StepView, count_runs_by_status, get_run, list_runs, recent_failures, run_steps,
)
from bookbug.engine.steps import Context, EventInfo
from bookbug.engine.workflow import (
    CancelOn, Concurrency, RateLimit, Registry, Throttle, Workflow, default_registry, workflow,
)
from bookbug.engine.worker import worker_settings

__all__ = [
    "CancelOn", "Concurrency", "Context", "Engine", "EngineConfig", "EventInfo", "EventReceipt",
    "FailureView", "RateLimit", "Registry", "RunView", "StepFailed", "StepView", "Throttle", "Workflow",
    "WorkflowChanged", "count_runs_by_status", "default_registry", "get_run", "list_runs",
    "recent_failures", "run_steps", "worker_settings", "workflow",
]
