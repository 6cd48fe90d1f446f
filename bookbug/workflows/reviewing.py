"""Each page's words are reviewed before the page is drawn; an unsuitable page gets one rewrite.

    write → review → (unsuitable) rewrite with the review's advice → review again → (still) stop

Every stage is a memoized step of its own, so a crash never asks the writer twice for the same
page, and a page found fine costs one review. The review is the maintained list for every
writer, then the writer's own review (bookbug/workflows/writing.py `review_page`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bookbug.engine import Context
from bookbug.story import Brief, PagePlan, Plot, ProsePage, ProseSetup
from bookbug.workflows import writing


async def reviewed(ctx: Context, number: int, book_id: str, brief: Brief | None, page: ProsePage,
                   rewrite: Callable[..., Awaitable[ProsePage]], *rewrite_args: Any) -> ProsePage:
    """`page` if its review finds it suitable, else `rewrite(*rewrite_args, verdict)` once, reviewed
    again; a page still unsuitable fails the run (content_refused, service "review")."""
    verdict = await ctx.step.run(f"review-{number}", writing.review_page, book_id, brief, page)
    if verdict.suitable:
        return page
    page = await ctx.step.run(f"rewrite-{number}", rewrite, *rewrite_args, verdict)
    again = await ctx.step.run(f"review-again-{number}", writing.review_page, book_id, brief, page)
    if not again.suitable:
        await ctx.step.run(f"refuse-{number}", writing.refuse_page, number, again)
    return page


async def write_page(ctx: Context, book_id: str, brief: Brief, plot: Plot, setup: ProseSetup, plan: PagePlan,
                     pages_so_far: list[ProsePage]) -> ProsePage:
    """One page of the book written (step "prose-N") and reviewed before anything draws it."""
    number = plan.page_number
    page = await ctx.step.run(f"prose-{number}", writing.write_page, book_id, brief, plot, setup, plan, pages_so_far)
    return await reviewed(ctx, number, book_id, brief, page, writing.rewrite_page, book_id, brief, plot, setup, plan,
                          pages_so_far)
