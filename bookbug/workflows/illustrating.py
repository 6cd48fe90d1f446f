"""Drawing one picture as durable steps, one bill per step, inside any workflow.

    start (pay) → wait → fetch and check → score (Claude's eye, where configured) → ... → keep

Up to `quality_tries` pictures are fetched while the checks fail, and the best is kept. A
prediction that fails (a model error, the safety filter, a timeout) is followed by a new one
with a new seed, in gentler words after a safety refusal, up to `redraws` times in a row;
then the page fails with the reason in structure. A failed prediction is never waited on
again, and Retry of the failed book gives each picture without one a fresh set of redraws
(`ctx.reruns`), while every checkpointed prediction, download and score stays as it was.
"""

from __future__ import annotations

from bookbug.engine import Concurrency, Context
from bookbug.providers.images import IllustrationRequest
from bookbug.workflows import drawing
from bookbug.workflows.values import Candidate, Picture


async def draw_picture(ctx: Context, name: str, book_id: str, purpose: str, request: IllustrationRequest,
                       key_parts: list[str], *, first_attempt: int = 1,
                       concurrency: Concurrency | None = None) -> Picture:
    """Draw `request` and keep the best try under `key_parts`; returns the kept picture.

    Attempts are numbered from `first_attempt` (a page's redo numbers its own) and name the
    prediction, its seed and its candidate file. With `concurrency`, the picture holds one of its
    slots from the first prediction to the kept file."""
    if concurrency is None:
        return await _draw(ctx, name, book_id, purpose, request, key_parts, first_attempt)
    async with ctx.step.hold(f"{name}-slot", concurrency):
        return await _draw(ctx, name, book_id, purpose, request, key_parts, first_attempt)


async def _draw(ctx: Context, name: str, book_id: str, purpose: str, request: IllustrationRequest,
                key_parts: list[str], first_attempt: int) -> Picture:
    budget = await ctx.step.run(f"{name}-budget", drawing.drawing_budget)
    redraws = budget.redraws * (ctx.reruns + 1)  # a Retry of the book gives failed pictures more tries
    attempt = first_attempt - 1
    candidates: list[Candidate] = []
    gentle = False
    for _ in range(budget.quality_tries):
        failed_in_a_row = 0
        while True:
            attempt += 1
            started = await ctx.step.run(f"{name}-start-{attempt}", drawing.start_prediction, book_id, purpose,
                                         request, attempt, gentle)
            outcome = await ctx.step.run(f"{name}-wait-{attempt}", drawing.wait_prediction, book_id,
                                         started.prediction_id)
            if outcome.succeeded:
                break
            failed_in_a_row += 1
            gentle = gentle or outcome.refused
            if failed_in_a_row > redraws:
                await ctx.step.run(f"{name}-give-up-{ctx.reruns}", drawing.give_up, purpose, outcome, failed_in_a_row)
        fetched = await ctx.step.run(f"{name}-fetch-{attempt}", drawing.fetch_prediction, book_id,
                                     started.prediction_id, outcome, request.format_name,
                                     drawing.candidate_key(book_id, key_parts, attempt))
        quality = fetched.quality
        if budget.vision and quality.passed:
            scored = await ctx.step.run(f"{name}-score-{attempt}", drawing.score_picture, book_id, fetched.key,
                                        drawing.beat_words(request), drawing.sheet_keys(request))
            quality = scored.applied_to(quality)
        candidates.append(fetched.model_copy(update={"quality": quality, "attempt": attempt}))
        if quality.passed:
            break
    return await ctx.step.run(f"{name}-keep", drawing.keep_picture, book_id, candidates, key_parts)
