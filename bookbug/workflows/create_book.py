"""create-book: from the first question to the finished PDF, as straight-line durable steps.

    intake loop      ask, wait for the answer (24 h), fold it into the brief, until complete
    plot review      propose, wait, approve or revise and ask again
    manuscript       prose setup, then each page in order with everything so far in view, each
                     reviewed for its readers before it is drawn (one rewrite if it is not right)
    art direction    style guide, a character sheet per character, a beat per page
    pictures         each page drawn as soon as its beat exists, at most N at a time per book
    narration        each page read aloud once it is drawn (espeak-ng offline, or Replicate)
    book             the read-along EPUB, then the print and screen PDFs; the book is complete

Every step is memoized by the engine: a worker killed anywhere resumes at the step it was
in, and no finished page is written or drawn again.
"""

from __future__ import annotations

from typing import Any

from bookbug.db import BookStatus
from bookbug.engine import CancelOn, Concurrency, Context, workflow
from bookbug.story import Brief, Plot, page_plan
from bookbug.workflows import assembly, drawing, illustrating, narrating, records, reviewing, writing
from bookbug.workflows.handoff import Handoff
from bookbug.workflows.names import BOOK_CANCEL, BOOK_CREATED, CHAT_MESSAGE, CREATE_BOOK

ANSWER_TIMEOUT = "24h"  # after this the book is set aside as abandoned
RETURN_TIMEOUT = "30d"  # how long an abandoned book can still be picked up again


async def say(ctx: Context, chat: dict[str, Any], stage: str, percent: float) -> None:
    await ctx.progress(stage=stage, percent=percent, payload={"kind": "chat", "message": chat})


async def wait_for_answer(ctx: Context, book_id: str, turn: int, phase: str) -> dict[str, Any] | None:
    """The user's answer to `turn`; if none comes in 24 h the book waits, abandoned, for 30 days,
    then goes back to `phase` (the intake or the plot review) when the user returns."""
    match = {"book_id": book_id, "turn": turn}
    answer = await ctx.step.wait_for_event(f"wait-for-user-{turn}", event=CHAT_MESSAGE, match=match,
                                           timeout=ANSWER_TIMEOUT)
    if answer is not None:
        return answer
    await ctx.step.run(f"set-aside-{turn}", records.set_status, book_id, BookStatus.abandoned.value)
    await ctx.progress(stage="abandoned", percent=0)
    answer = await ctx.step.wait_for_event(f"wait-for-return-{turn}", event=CHAT_MESSAGE, match=match,
                                           timeout=RETURN_TIMEOUT)
    if answer is not None:
        await ctx.step.run(f"pick-up-again-{turn}", records.set_status, book_id, phase)
    return answer


@workflow(
    CREATE_BOOK,
    trigger=BOOK_CREATED,
    subject="book_id",
    cancel_on=[CancelOn(event=BOOK_CANCEL, match="book_id")],
    fair_key="event.data.user_id",  # when quotas are short, users take turns, whatever their number of books
)
async def create_book(ctx: Context) -> dict[str, Any]:
    book_id = ctx.event.data["book_id"]

    # 1. intake: one question at a time until the brief is complete
    brief = await ctx.step.run("start-intake", writing.starting_brief, book_id)
    await ctx.progress(stage="intake", percent=0)
    turn = 0
    while True:
        reply = await ctx.step.run(f"intake-turn-{turn}", writing.intake, book_id, brief, turn)
        brief, turn = reply["brief"], reply["turn"]
        if reply["done"]:
            break
        await say(ctx, reply["chat"], "intake", 0)
        if await wait_for_answer(ctx, book_id, turn, BookStatus.intake.value) is None:
            return {"status": "abandoned"}

    # 2. plot review: propose, then approve or revise until approved
    proposal = await ctx.step.run("propose-plot", writing.propose_plot, book_id, brief, reply["message"], turn)
    plot, turn = proposal["plot"], proposal["turn"]
    await say(ctx, proposal["chat"], "plot", 5)
    while True:
        answer = await wait_for_answer(ctx, book_id, turn, BookStatus.plot.value)
        if answer is None:
            return {"status": "abandoned"}
        if answer.get("approve"):
            break
        review = await ctx.step.run(f"review-plot-{turn}", writing.review_plot, book_id, brief, plot,
                                    str(answer.get("content", "")), turn)
        brief, plot, turn = review["brief"], review["plot"], review["turn"]
        if review["approved"]:
            break
        await say(ctx, review["chat"], "plot", 5)

    # 3. from here on everything overlaps as far as its inputs allow
    await ctx.progress(stage="writing", percent=8)
    limits = await ctx.step.run("book-limits", drawing.book_limits)
    # the operators' caps on paid work per book: pages, and characters drawn on a sheet of their own
    pages = min(Brief.model_validate(brief).pages, int(limits.get("pages_per_book") or 32))
    plans = [p.model_dump(mode="json") for p in page_plan(Plot.model_validate(plot), pages)]
    total = len(plans)
    cast = drawing.main_characters(Brief.model_validate(brief))[:int(limits.get("characters_per_book") or 99)]
    setup: Handoff[dict[str, Any]] = Handoff()
    guide: Handoff[dict[str, Any]] = Handoff()
    sheets: list[Handoff[dict[str, Any]]] = [Handoff() for _ in cast]
    written: dict[int, Handoff[dict[str, Any]]] = {p["page_number"]: Handoff() for p in plans}
    hero: Handoff[dict[str, str]] = Handoff()
    slots = Concurrency(key=f"book:{book_id}:pictures", limit=limits["page_concurrency"])
    done: list[int] = []

    async def art_direction() -> None:
        await guide.produce(ctx.step.run("style-guide", writing.direct_art, book_id, brief, plot,
                                         await setup.get()))

    async def character_sheet(index: int) -> None:
        # 4. a sheet per character (front, three-quarter, side, back), reused on every page
        async def draw_sheet() -> dict[str, Any]:
            drawn = await illustrating.draw_picture(ctx, "sheet", book_id, f"sheet-{index}",
                                                    drawing.sheet_request(book_id, brief, index),
                                                    ["characters", f"{index:02d}.png"])
            return await ctx.step.run("record-sheet", drawing.record_sheet, book_id, brief, index, drawn)

        sheet = await sheets[index].produce(draw_sheet())
        await ctx.progress(stage="characters", percent=10, payload={"kind": "sheet", "name": sheet["name"]})

    async def write_pages() -> None:
        # 5. prose in order: each page is written with every page before it in view
        so_far: list[dict[str, Any]] = []
        try:
            opening = await setup.produce(ctx.step.run("prose-setup", writing.write_setup, book_id, brief, plot))
            for plan in plans:  # each page is reviewed before anything draws it (reviewing.py)
                page = await written[plan["page_number"]].produce(
                    reviewing.write_page(ctx, book_id, brief, plot, opening, plan, list(so_far)))
                so_far.append(page)
        except BaseException as exc:  # the pages still to be written will not come in this execution
            for handoff in written.values():
                handoff.fail(exc)
            raise

    async def picture(plan: dict[str, Any]) -> None:
        # each page drawn as soon as its words, the style guide, the sheets and the hero page exist;
        # page 1 is the hero page, which every later picture takes as a reference
        number = plan["page_number"]
        try:
            page = await written[number].get()
            beat = await ctx.step.run("beat", writing.direct_page, book_id, brief, await guide.get(), plan, page,
                                      None)
            references = [{"label": f"character sheet: {s['name']}", "key": s["key"]}
                          for s in [await sheet.get() for sheet in sheets]]
            if number != 1:
                references.append(await hero.get())
            request = drawing.page_request(book_id, brief, await guide.get(), beat, page, references)
            drawn = await illustrating.draw_picture(ctx, "picture", book_id, f"page-{number}", request,
                                                    ["pages", f"{number:03d}.png"], concurrency=slots)
            await ctx.step.run("record-page", drawing.record_page, book_id, request, page["text"], drawn)
        except BaseException as exc:
            if number == 1:
                hero.fail(exc)
            raise
        if number == 1:
            hero.set({"label": "hero page", "key": drawn["key"]})
        await ctx.step.run("print-ready", drawing.prepare_print, book_id, number, drawn, request["format_name"])
        done.append(number)
        await ctx.progress(stage="pages", page=number, percent=15 + 80 * len(done) / total, payload={
            "kind": "page", "number": number, "text": page["text"], "total": total,
            "image_url": f"/api/books/{book_id}/pages/{number}/image?v=1",
        })
        # 6. the page read aloud, once its words and picture are kept
        await narrating.narrate_page(ctx, book_id, number, page["text"])

    # each branch is named, so a checkpoint always returns to its own page or character
    await ctx.step.parallel("book", {
        "art-direction": art_direction,
        "prose": write_pages,
        **{f"sheet-{i}": (lambda i=i: character_sheet(i)) for i in range(len(cast))},
        **{f"page-{p['page_number']}": (lambda p=p: picture(p)) for p in plans},
    })

    # 7. the book
    await ctx.progress(stage="assembling", percent=96)
    epub = await ctx.step.run("assemble-epub", assembly.assemble_epub, book_id)
    book = await ctx.step.run("assemble-pdf", assembly.assemble, book_id)  # the book is complete
    await ctx.progress(stage="complete", percent=100, payload={"kind": "book", "pdf_url": f"/api/books/{book_id}/pdf",
                                                               "epub_url": f"/api/books/{book_id}/epub"})
    return {"status": "complete", **book, **epub}

