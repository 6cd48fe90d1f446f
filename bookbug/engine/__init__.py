"""The durable engine: Inngest-style workflows on ARQ workers, checkpointed in the database.

Workflows are plain async functions written as straight-line code::

    from bookbug.engine import CancelOn, Concurrency, Throttle, workflow

    @workflow("fulfil-order", trigger="order/placed", subject="order_id",
              throttle=Throttle(key="event.data.customer_id", limit=3, period="1m"),
              cancel_on=[CancelOn(event="order/cancelled", match="order_id")])
    async def fulfil_order(ctx):
        order = await ctx.step.run("load-order", load_order, ctx.event.data["order_id"])
        answer = await ctx.step.wait_for_event("wait-for-payment", event="payment/received",
                                               match="order_id", timeout="24h")
        parcels = await ctx.step.parallel("parcels", {  # branches keyed by the workflow
            f"item-{item}": (lambda item=item: ctx.step.run("pack", pack, item, rate_limit="courier"))
            for item in order["items"]})
        await ctx.progress(stage="packed", percent=50)

The app starts one engine for its lifetime (bookbug/services/runtime.py), with, in embedded
mode (no REDIS_URL), an ARQ worker inside the app process. By hand, e.g. in a test::

    engine = Engine(EngineConfig(db_url=..., redis_url=""), workflows)  # default: default_registry
    async with engine, engine.worker():
        receipt = await engine.send_event("order/placed", {"order_id": o, "customer_id": c})
        async for message in engine.subscribe(f"order:{o}", after=last_event_id):
            ...                                          # {"id": 7, "type": "progress", ...}
        await engine.cancel_run(run_id); await engine.rerun(failed_run_id)
        await engine.forget_subject(o)                   # every row about the order, gone
        list_runs(db_url, status="failed"); run_steps(db_url, run_id); latest_run(db_url, o, "fulfil-order")

Production: the app only enqueues and subscribes (`async with engine:`); as many worker
processes as you like (`run_worker(worker_settings(config, workflows))`) share Redis and the
database. On SIGTERM a worker stops taking work, lets its running steps finish (for
`shutdown_grace`) and hands each run straight back to the queue (worker.py). With `http_port`
each worker serves /metrics and /healthz (monitor.py, metrics.py; `check_worker(port)` is the
orchestrator's health check). When calls to a service are short, runs take turns by the
workflow's `fair_key` (fairness.py).

Guarantees. Every run is a row and every completed step a row holding its JSON output,
written in the same transaction that marks the step done. Each execution replays the
workflow from the top: completed steps return their stored output without running again
(exactly once, once completed). Every write an execution makes is fenced by the run's
generation (checkpoints.py): an execution presumed dead while it was only slow can no longer
write anything once another has taken over, so a completed step's output never changes. A
step that was running when its worker died runs again on another worker (at least once): its
effect may happen twice. A step that calls a paid API should therefore record the provider's
request id as early as it can so that a retry picks up the same request instead of paying
for a second one; a step's own database write can be made conditional on its execution with
`step_fence(conn)`. Waits and sleeps hold nothing in memory: the run is suspended and an
event, a timer job or the sweep resumes it. Retries wait their back-off (or the Retry-After
a provider asked for) measured on the database's clock, inside `parallel` too. The database is
the source of truth: if Redis loses everything or a worker is killed, the sweep rebuilds the
queue from the rows (see sweep.py). The engine owns its tables (tables.py, with migrations of
its own in engine/migrations/) and knows nothing of what its workflows are about.
"""

from bookbug.engine.config import EngineConfig, RetryPolicy
from bookbug.engine.engine import RUN_FAILED, Engine
from bookbug.engine.errors import Defer, StepFailed, WorkflowChanged
from bookbug.engine.events import EventReceipt
from bookbug.engine.flow import Flow, NotGiven, Value
from bookbug.engine.queries import (
    FailureView, RunView, StepView, count_runs_by_status, get_run, latest_run, latest_runs, list_runs, received,
    recent_failures, run_steps, unfinished_runs,
)
from bookbug.engine.steps import (
    Context, EventInfo, StepInfo, current_step, forget_subject, pause_service, spend, step_fence,
)
from bookbug.engine.tables import RunStatus, StepStatus
from bookbug.engine.workflow import (
    CancelOn, Concurrency, RateLimit, Registry, Throttle, Workflow, default_registry, workflow,
)
from bookbug.engine.metrics import EngineCollector
from bookbug.engine.monitor import check as check_worker
from bookbug.engine.worker import run_worker, worker_settings

__all__ = [
    "RUN_FAILED", "CancelOn", "Concurrency", "Context", "Defer", "Engine", "EngineCollector", "EngineConfig", "EventInfo",
    "EventReceipt", "Flow", "NotGiven", "Value", "check_worker", "run_worker",
    "FailureView", "RateLimit", "Registry", "RetryPolicy", "RunStatus", "RunView", "StepFailed", "StepInfo", "StepStatus",
    "StepView", "Throttle", "Workflow", "WorkflowChanged", "count_runs_by_status", "current_step",
    "default_registry", "forget_subject", "get_run", "latest_run", "latest_runs", "list_runs", "pause_service", "received", "recent_failures",
    "run_steps", "spend", "step_fence", "unfinished_runs", "worker_settings", "workflow",
]
