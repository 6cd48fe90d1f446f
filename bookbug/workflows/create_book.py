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

from functools import partial
from typing import Any

from bookbug.db import BookStatus
from bookbug.engine import CancelOn, Concurrency, Context, Value, workflow
from bookbug.providers.images import ReferenceImage
from bookbug.story import PagePlan, ProsePage, ProseSetup, StyleGuide, page_plan
from bookbug.views import MessageView
from bookbug.workflows import assembly, drawing, illustrating, narrating, records, reviewing, writing
from bookbug.workflows.names import BOOK_CANCEL, BOOK_CREATED, CHAT_MESSAGE, CREATE_BOOK
from bookbug.workflows.values import Sheet

ANSWER_TIMEOUT = "24h"  # after this the book is set aside as abandoned
RETURN_TIMEOUT = "30d"  # how long an abandoned book can still be picked up again


async def say(ctx: Context, chat: MessageView | None, stage: str, percent: float) -> None:
    message = chat.model_dump(mode="json") if chat is not None else None
    await ctx.progress(stage=stage, percent=percent, payload={"kind": "chat", "message": message})


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
        brief, turn = reply.brief, reply.turn
        if reply.done:
            break
        await say(ctx, reply.chat, "intake", 0)
        if await wait_for_answer(ctx, book_id, turn, BookStatus.intake.value) is None:
            return {"status": "abandoned"}

    # 2. plot review: propose, then approve or revise until approved
    proposal = await ctx.step.run("propose-plot", writing.propose_plot, book_id, brief, reply.message, turn)
    plot, turn = proposal.plot, proposal.turn
    await say(ctx, proposal.chat, "plot", 5)
    while True:
        answer = await wait_for_answer(ctx, book_id, turn, BookStatus.plot.value)
        if answer is None:
            return {"status": "abandoned"}
        if answer.get("approve"):
            break
        review = await ctx.step.run(f"review-plot-{turn}", writing.review_plot, book_id, brief, plot,
                                    str(answer.get("content", "")), turn)
        brief, plot, turn = review.brief, review.plot, review.turn
        if review.approved:
            break
        await say(ctx, review.chat, "plot", 5)

    # 3. from here on everything overlaps as far as its inputs allow
    await ctx.progress(stage="writing", percent=8)
    limits = await ctx.step.run("book-limits", drawing.book_limits)
    # the operators' caps on paid work per book: pages, and characters drawn on a sheet of their own
    plans = page_plan(plot, min(brief.pages, limits.pages_per_book or 32))
    cast = drawing.main_characters(brief)[:limits.characters_per_book or 99]
    slots = Concurrency(key=f"book:{book_id}:pictures", limit=limits.page_concurrency)
    done: list[int] = []

    # what each branch gives the others; a branch awaits a value only where it needs it
    book = ctx.step.flow("book")
    setup: Value[ProseSetup] = book.value("prose setup")
    guide: Value[StyleGuide] = book.value("style guide")
    words: dict[int, Value[ProsePage]] = {p.page_number: book.value(f"page {p.page_number}'s words") for p in plans}
    sheets: list[Value[Sheet]] = [book.value(f"sheet {i}") for i in range(len(cast))]
    hero: Value[ReferenceImage] = book.value("hero page")  # page 1, a reference for every later picture

    async def write_pages() -> None:
        # 5. prose in order: each page is written with every page before it in view, and reviewed
        # for its readers before anything draws it (reviewing.py)
        opening = setup.set(await ctx.step.run("prose-setup", writing.write_setup, book_id, brief, plot))
        so_far: list[ProsePage] = []
        for plan in plans:
            page = await reviewing.write_page(ctx, book_id, brief, plot, opening, plan, list(so_far))
            so_far.append(words[plan.page_number].set(page))

    async def art_direction() -> None:
        guide.set(await ctx.step.run("style-guide", writing.direct_art, book_id, brief, plot, await setup))

    async def character_sheet(index: int) -> None:
        # 4. a sheet per character (front, three-quarter, side, back), reused on every page
        drawn = await illustrating.draw_picture(ctx, "sheet", book_id, f"sheet-{index}",
                                                drawing.sheet_request(book_id, brief, index),
                                                ["characters", f"{index:02d}.png"])
        sheet = sheets[index].set(await ctx.step.run("record-sheet", drawing.record_sheet, book_id, brief, index,
                                                     drawn))
        await ctx.progress(stage="characters", percent=10, payload={"kind": "sheet", "name": sheet.name})

    async def picture(plan: PagePlan) -> None:
        # 6. each page drawn as soon as its words, the style guide, the sheets and the hero page exist
        number = plan.page_number
        page = await words[number]
        beat = await ctx.step.run("beat", writing.direct_page, book_id, brief, await guide, plan, page, None)
        references = [ReferenceImage(label=f"character sheet: {s.name}", key=s.key) for s in [await s for s in sheets]]
        if number != 1:
            references.append(await hero)
        request = drawing.page_request(book_id, brief, await guide, beat, page, references)
        drawn = await illustrating.draw_picture(ctx, "picture", book_id, f"page-{number}", request,
                                                ["pages", f"{number:03d}.png"], concurrency=slots)
        await ctx.step.run("record-page", drawing.record_page, book_id, request, page.text, drawn)
        if number == 1:
            hero.set(ReferenceImage(label="hero page", key=drawn.key))
        await ctx.step.run("print-ready", drawing.prepare_print, book_id, number, drawn, request.format_name)
        done.append(number)
        await ctx.progress(stage="pages", page=number, percent=15 + 80 * len(done) / len(plans), payload={
            "kind": "page", "number": number, "text": page.text, "total": len(plans),
            "image_url": f"/api/books/{book_id}/pages/{number}/image?v=1",
        })
        # 7. the page read aloud, once its words and picture are kept
        await narrating.narrate_page(ctx, book_id, number, page.text)

    # each branch is named, so a checkpoint always returns to its own page or character
    book.branch("art-direction", art_direction, gives=[guide])
    book.branch("prose", write_pages, gives=[setup, *words.values()])
    for i in range(len(cast)):
        book.branch(f"sheet-{i}", partial(character_sheet, i), gives=[sheets[i]])
    for plan in plans:
        book.branch(f"page-{plan.page_number}", partial(picture, plan), gives=[hero] if plan.page_number == 1 else [])
    await book.run()

    # 8. the book
    await ctx.progress(stage="assembling", percent=96)
    epub = await ctx.step.run("assemble-epub", assembly.assemble_epub, book_id)
    files = await ctx.step.run("assemble-pdf", assembly.assemble, book_id)  # the book is complete
    await ctx.progress(stage="complete", percent=100, payload={"kind": "book", "pdf_url": f"/api/books/{book_id}/pdf",
                                                               "epub_url": f"/api/books/{book_id}/epub"})
    return {"status": "complete", **files.model_dump(mode="json"), **epub.model_dump(mode="json")}
