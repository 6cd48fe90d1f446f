"""Reading one page aloud as durable steps, inside any workflow:

    plan → start (pay) → wait → ... → keep

A reading that fails is followed by a new one, up to the operators' redraws in a row (more on a
Retry of the book), then the page fails with the reason in structure, as a picture does.
Retryable errors (429, overload, a dropped connection) are retried by the engine, on
Replicate's shared rate limit. Without a voice (NARRATION_PROVIDER=off, or espeak-ng not
installed) the plan says why and the book is made without narration.
"""

from __future__ import annotations

from bookbug.engine import Context
from bookbug.workflows import narration
from bookbug.workflows.values import Narration


async def narrate_page(ctx: Context, book_id: str, number: int, text: str, *,
                       first_attempt: int = 1) -> Narration | None:
    """The page's narration, or None when the page is not read aloud (see the plan's why)."""
    plan = await ctx.step.run("voice-plan", narration.narration_plan, book_id, number, text)
    if plan.provider is None:
        return None
    redraws = plan.redraws * (ctx.reruns + 1)
    attempt, failed = first_attempt - 1, 0
    while True:
        attempt += 1
        started = await ctx.step.run(f"voice-start-{attempt}", narration.start_narration, book_id, number, text,
                                     attempt)
        outcome = await ctx.step.run(f"voice-wait-{attempt}", narration.wait_narration, book_id,
                                     started.prediction_id)
        if outcome.succeeded:
            break
        failed += 1
        if failed > redraws:
            await ctx.step.run(f"voice-give-up-{ctx.reruns}", narration.give_up, number, outcome, failed)
    return await ctx.step.run(f"voice-keep-{attempt}", narration.keep_narration, book_id, number, text,
                              started.prediction_id, outcome, attempt)
