"""Steps for redoing one page: new words (optionally), a new beat, a new picture, then settling
(or, when the redo fails, going back to the page as it was)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from sqlmodel import Session, select

from bookbug.agents import PageReview, ProsePageInput, prose_page
from bookbug.db import RenderedPage, session_scope, utcnow
from bookbug.resilience import plain_words as failures
from bookbug.providers.images import IllustrationRequest, ReferenceImage
from bookbug.publishing.screen_sizes import ScreenSize, sized_key
from bookbug.story import Brief, IllustrationBeat, PagePlan, Plot, ProsePage, ProseSetup, StyleGuide, page_plan
from bookbug.workflows import drawing, records, writing
from bookbug.workflows.providers import storage
from bookbug.workflows.values import EditApplied, Picture, RedonePicture, Settled


class _Story:
    """The book's story as stored, each part read as its model when first used."""

    def __init__(self, book_id: str) -> None:
        book = records.load_book(book_id)
        self._brief, self._plot, self._prose, self._guide = book.brief, book.plot, book.prose or {}, book.style_guide

    @cached_property
    def brief(self) -> Brief:
        return Brief.model_validate(self._brief or {})

    @cached_property
    def plot(self) -> Plot:
        return Plot.model_validate(self._plot or {})

    @cached_property
    def setup(self) -> ProseSetup:
        return ProseSetup.model_validate(self._prose.get("setup") or {})

    @cached_property
    def pages(self) -> list[ProsePage]:
        return [ProsePage.model_validate(p) for p in self._prose.get("pages") or []]

    @cached_property
    def guide(self) -> StyleGuide:
        return StyleGuide.model_validate(self._guide or {})


def _story(book_id: str) -> _Story:
    return _Story(book_id)


def _plan(story: _Story, number: int) -> PagePlan:
    return page_plan(story.plot, story.brief.pages)[number - 1]


async def redo_text(book_id: str, number: int, rewrite: bool, note: str, review_note: str = "") -> ProsePage:
    story = _story(book_id)
    current = next(p for p in story.pages if p.page_number == number)
    if not rewrite:
        return current
    asked = story.brief
    if note:
        extra = f"For page {number}: {note}"
        asked = asked.model_copy(update={"custom_instructions": f"{asked.custom_instructions}\n{extra}"
                                         if asked.custom_instructions else extra})
    page: ProsePage = await writing.generate(book_id, prose_page, ProsePageInput(
        brief=asked, plot=story.plot, setup=story.setup, page=_plan(story, number),
        pages_so_far=[p for p in story.pages if p.page_number < number], review_note=review_note))
    return page


async def rewrite_text(book_id: str, number: int, note: str, verdict: PageReview) -> ProsePage:
    """The redone page's words written once more, after its review found them unsuitable."""
    return await redo_text(book_id, number, True, note, writing.review_note(verdict))


async def redo_beat(book_id: str, number: int, page: ProsePage, note: str = "") -> IllustrationBeat:
    story = _story(book_id)
    return await writing.direct_page(book_id, story.brief, story.guide, _plan(story, number), page, None, note)


REDO_ATTEMPTS = 1000  # the attempts of redo n of a page are numbered from n * 1000 + 1: never reused


def first_attempt(redo: int) -> int:
    return redo * REDO_ATTEMPTS + 1


# Paid work is remembered by (book, page, attempt): a hand edit's readings count from here, apart
# from any redo's, so an edit never takes a redo's reading for its own.
EDIT_ATTEMPTS_FROM = 1_000_000_000  # a million redos of a page come first


def first_edit_attempt(edit: int) -> int:
    return EDIT_ATTEMPTS_FROM + edit * REDO_ATTEMPTS + 1


def redo_request(book_id: str, number: int, beat: IllustrationBeat, page: ProsePage,
                 note: str = "") -> IllustrationRequest:
    """What the illustrator is asked to draw for redo of page `number`, with the book's sheets
    and (for later pages) the hero page as references."""
    story = _story(book_id)
    book = records.load_book(book_id)
    references = [ReferenceImage(label=f"character sheet: {s.get('name', '')}", key=s["sheet_key"])
                  for s in (book.characters or []) if isinstance(s, dict) and s.get("sheet_key")]
    with session_scope() as session:
        hero = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                       RenderedPage.page_number == 1)).first()
        if hero is not None and number != 1:
            references.append(ReferenceImage(label="hero page", key=hero.previous_key or hero.storage_key))
    return drawing.page_request(book_id, story.brief, story.guide, beat, page, references, note)


def record_redo(book_id: str, number: int, request: IllustrationRequest, page: ProsePage, redo: int,
                picture: Picture) -> RedonePicture:
    """Keep the new picture as the pending version (version redo + 1), print-ready; the old one
    stays until settled."""
    drawn = {**picture.model_dump(mode="json", exclude_none=True),
             **drawing.print_copy(book_id, number, picture, request.format_name, redo),
             "alt": drawing.describe_picture(request)}
    with session_scope() as session:
        row = _row(session, book_id, number)
        if row.storage_key != drawn["key"]:  # a re-run of this step finds it done already
            meta = dict(row.image_meta or {})
            meta["previous"] = {"text": row.text, "version": row.version, "prompt": row.prompt,
                                "meta": {k: v for k, v in meta.items() if k != "previous"}}
            meta.update({k: v for k, v in drawn.items() if k != "key"})
            row.previous_key, row.storage_key = row.storage_key, drawn["key"]
            row.text, row.prompt, row.version = page.text, request.prompt, redo + 1
            row.image_meta, row.updated_at = meta, utcnow()
        return RedonePicture.model_validate({**drawn, "version": row.version})


def settle(book_id: str, number: int, keep: str) -> Settled:
    """Keep the new version or go back to the old one; returns the version kept and the files no
    longer needed (deleted by `discard`, after this is committed)."""
    with session_scope() as session:
        row = _row(session, book_id, number)
        unused = [] if row.previous_key is None else _keep_new(row) if keep == "new" else _go_back(row)
        version, text = row.version, row.text
    _sync_prose(book_id, number, text)  # also on a re-run: the book's words follow the page kept
    return Settled(version=version, discard=unused)


def give_up(book_id: str, number: int, redo: int, failure: dict[str, Any] | None) -> Settled:
    """A redo that failed: its new version, if one waits, is dropped so the page is as it was, and
    why is recorded in plain words for the reader. Returns the files no longer needed."""
    with session_scope() as session:
        row = _row(session, book_id, number)
        ours = row.version == redo + 1
        unused = _go_back(row) if ours and row.previous_key is not None else []
        if row.redo_count == redo:  # a newer redo of this page speaks for itself
            kept = ours and not unused  # the new version was kept before the failure (the PDF step)
            row.redo_failure = failures.redo_failure(number, failure, kept=kept)
        version, text = row.version, row.text
    _sync_prose(book_id, number, text)
    return Settled(version=version, discard=unused)


def apply_edit(book_id: str, number: int, edit: int, text: str) -> EditApplied:
    """The page's words changed by hand (edit number `edit`, counted when it was asked for); the
    words before are kept until the next edit. A re-run of this step finds the words in place
    and changes nothing (the service refuses an edit to the words a page has already)."""
    with session_scope() as session:
        row = _row(session, book_id, number)
        if row.text != text:
            row.text_before_edit, row.text, row.updated_at = row.text, text, utcnow()
        kept = row.text
    _sync_prose(book_id, number, kept)
    return EditApplied(page=number, edit=edit, text=kept)


def discard(keys: list[str]) -> None:
    """Delete pictures no longer used, with the screen copies made of them."""
    files = storage()
    for key in keys:
        files.delete(key)
        for size in ScreenSize:
            files.delete(sized_key(key, size))


def _row(session: Session, book_id: str, number: int) -> RenderedPage:
    return session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                   RenderedPage.page_number == number)).one()


def _keep_new(row: RenderedPage) -> list[str]:
    meta = dict(row.image_meta or {})
    previous = meta.pop("previous", None) or {}
    unused = [str(row.previous_key), *_print_key(previous.get("meta") or {})]
    row.previous_key, row.image_meta, row.updated_at = None, meta, utcnow()
    return unused


def _go_back(row: RenderedPage) -> list[str]:
    meta = dict(row.image_meta or {})
    previous = meta.pop("previous", None) or {}
    unused = [row.storage_key, *_print_key(meta)]
    row.storage_key, row.previous_key = str(row.previous_key), None
    row.text = str(previous.get("text", row.text))
    row.prompt = previous.get("prompt", row.prompt)
    row.version = int(previous.get("version") or 1)
    row.image_meta, row.updated_at = dict(previous.get("meta") or {}), utcnow()
    return unused


def _sync_prose(book_id: str, number: int, text: str) -> None:
    records.set_prose_text(book_id, number, text)


def _print_key(meta: dict[str, Any]) -> list[str]:
    return [str(meta["print_key"])] if meta.get("print_key") else []
