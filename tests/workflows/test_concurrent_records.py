"""Steps of one book run side by side (a sheet per character, pages, their bills) and each
records its part of the same book row: no part may overwrite another's (a lost update dropped
a character's sheet when two were recorded at once)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from typing import Any

import pytest

from bookbug.db import Book, session_scope
from bookbug.settings import reset_settings
from bookbug.story import Brief, Character, VisualDescription
from bookbug.workflows import drawing, records
from bookbug.workflows.values import Picture, Quality
from tests.conftest import make_user

CAST = 6


def _picture(key: str) -> Picture:
    return Picture(key=key, width=8, height=8, model="offline", prediction_id="p", attempts=1,
                   quality=Quality(score=1.0, passed=True))


def _brief() -> Brief:
    cast = [Character(name=f"Friend{i}", role="hero" if i == 0 else "friend",
                      visual=VisualDescription(body=f"a creature number {i}")) for i in range(CAST)]
    return Brief(characters=cast)


def _all_at_once(calls: list[Callable[[], Any]]) -> None:
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        start.wait()
        try:
            call()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.mark.parametrize("attempt", range(3))
def test_sheets_and_bills_recorded_at_once_all_stay(schema_db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                    attempt: int) -> None:
    monkeypatch.setenv("DATABASE_URL", schema_db_url)
    reset_settings()
    user = make_user()
    with session_scope() as session:
        book = Book(user_id=user.id, title="t")
        session.add(book)
        session.flush()
        book_id = book.id
    brief = _brief()
    calls: list[Callable[[], Any]] = [
        (lambda i=i: drawing.record_sheet(book_id, brief, i, _picture(f"books/{book_id}/characters/{i:02d}.png")))
        for i in range(CAST)]
    calls += [(lambda: records.add_usage(book_id, {"provider": "replicate", "images": 1, "cost_usd": 0.5}))
              for _ in range(CAST)]
    random.Random(attempt).shuffle(calls)
    _all_at_once(calls)

    book = records.load_book(book_id)
    assert [s.get("name") for s in book.characters] == [f"Friend{i}" for i in range(CAST)]
    assert all(s.get("sheet_key") for s in book.characters)
    assert book.usage["replicate"]["images"] == CAST
    assert book.usage["replicate"]["cost_usd"] == pytest.approx(0.5 * CAST)


def test_page_texts_set_at_once_all_stay(schema_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", schema_db_url)
    reset_settings()
    user = make_user()
    with session_scope() as session:
        book = Book(user_id=user.id, title="t",
                    prose={"pages": [{"page_number": n, "text": "old"} for n in range(1, 9)]})
        session.add(book)
        session.flush()
        book_id = book.id
    _all_at_once([(lambda n=n: records.set_prose_text(book_id, n, f"new {n}")) for n in range(1, 9)])
    assert [p["text"] for p in records.load_book(book_id).prose["pages"]] == [f"new {n}" for n in range(1, 9)]
