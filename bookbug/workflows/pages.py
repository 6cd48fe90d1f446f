"""Steps for redoing one page: new words (optionally), a new beat, a new picture, then settling."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import select

from bookbug.db import RenderedPage, session_scope, utcnow
from bookbug.providers.storage import Storage
from bookbug.agents import ProsePageInput, prose_page
from bookbug.story import Brief, PagePlan, Plot, ProsePage, ProseSetup, page_plan
from bookbug.workflows import drawing, records, writing
from bookbug.workflows.providers import storage


def _story(book_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    book = records.load_book(book_id)
    prose = book.prose or {}
    return book.brief or {}, book.plot or {}, prose.get("setup") or {}, list(prose.get("pages") or []), book.style_guide or {}


def _plan(brief: dict[str, Any], plot: dict[str, Any], number: int) -> dict[str, Any]:
    plans = page_plan(Plot.model_validate(plot), Brief.model_validate(brief).pages)
    return plans[number - 1].model_dump(mode="json")


async def redo_text(book_id: str, number: int, rewrite: bool, note: str) -> dict[str, Any]:
    brief, plot, setup, written, _ = _story(book_id)
    current = next(p for p in written if p["page_number"] == number)
    if not rewrite:
        return current
    asked = Brief.model_validate(brief)
    if note:
        extra = f"For page {number}: {note}"
        asked.custom_instructions = f"{asked.custom_instructions}\n{extra}" if asked.custom_instructions else extra
    page = await writing.generate(book_id, prose_page, ProsePageInput(
        brief=asked, plot=Plot.model_validate(plot), setup=ProseSetup.model_validate(setup),
        page=PagePlan.model_validate(_plan(brief, plot, number)),
        pages_so_far=[ProsePage.model_validate(p) for p in written if p["page_number"] < number]))
    return page.model_dump(mode="json")


async def redo_beat(book_id: str, number: int, page: dict[str, Any]) -> dict[str, Any]:
    brief, plot, _, _, guide = _story(book_id)
    return await writing.direct_page(book_id, brief, guide, _plan(brief, plot, number), page, None)


async def redraw(book_id: str, number: int, beat: dict[str, Any], page: dict[str, Any], redo: int) -> dict[str, Any]:
    """Draw the page again and keep it as the pending version; the old one stays until settled."""
    brief, _, _, _, guide = _story(book_id)
    book = records.load_book(book_id)
    references = [{"label": f"character sheet: {s.get('name', '')}", "key": s["sheet_key"]}
                  for s in (book.characters or []) if isinstance(s, dict) and s.get("sheet_key")]
    with session_scope() as session:
        hero = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                       RenderedPage.page_number == 1)).first()
        if hero is not None and number != 1:
            references.append({"label": "hero page", "key": hero.previous_key or hero.storage_key})
    request = drawing.page_request(book_id, brief, guide, beat, page, references)
    drawn = await drawing.draw_page(book_id, request, page["text"], redo=redo)
    drawn = {**drawn, **await asyncio.to_thread(drawing.print_copy, book_id, number, drawn,
                                                request["format_name"], redo)}
    with session_scope() as session:
        row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                      RenderedPage.page_number == number)).one()
        if row.storage_key != drawn["key"]:  # a re-run of this step finds it done already
            meta = dict(row.image_meta or {})
            meta["previous"] = {"text": row.text, "version": row.version, "meta": {k: v for k, v in meta.items()
                                                                                 if k != "previous"}}
            meta.update({k: v for k, v in drawn.items() if k != "key"})
            row.previous_key, row.storage_key = row.storage_key, drawn["key"]
            row.text, row.version, row.image_meta, row.updated_at = page["text"], row.version + 1, meta, utcnow()
        return {**drawn, "version": row.version}


def settle(book_id: str, number: int, keep: str) -> dict[str, Any]:
    """Keep the new version (the old picture is deleted) or go back to the old one."""
    files = storage()
    with session_scope() as session:
        row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                      RenderedPage.page_number == number)).one()
        if row.previous_key is None:
            return {"version": row.version}
        meta = dict(row.image_meta or {})
        previous = meta.pop("previous", {})
        if keep == "new":
            files.delete(row.previous_key)
            _delete_print(files, previous.get("meta") or {})
        else:
            files.delete(row.storage_key)
            _delete_print(files, meta)
            row.storage_key, row.text = row.previous_key, previous.get("text", row.text)
            row.version = int(previous.get("version", row.version - 1))
            meta = dict(previous.get("meta") or meta)
            _restore_prose(book_id, number, row.text)
        row.previous_key, row.image_meta, row.updated_at = None, meta, utcnow()
        if keep == "new":
            _restore_prose(book_id, number, row.text)
        return {"version": row.version}


def _restore_prose(book_id: str, number: int, text: str) -> None:
    book = records.load_book(book_id)
    prose = dict(book.prose or {})
    prose["pages"] = [{**p, "text": text} if p.get("page_number") == number else p for p in prose.get("pages") or []]
    records.update_book(book_id, prose=prose)


def _delete_print(files: Storage, meta: dict[str, Any]) -> None:
    if meta.get("print_key"):
        files.delete(str(meta["print_key"]))

