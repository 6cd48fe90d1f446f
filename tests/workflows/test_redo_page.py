"""Redo one page: a new version beside the old until the user decides; nothing else changes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bookbug.agents import illustration_beat
from bookbug.db import Book, ImagePrediction, RenderedPage, session_scope
from bookbug.engine import RunView, list_runs
from bookbug.settings import get_settings
from bookbug.providers.images import OfflineIllustrator
from bookbug.providers.storage import get_storage
from bookbug.publishing.screen_sizes import ScreenSize, sized_key
from bookbug.resilience.errors import FatalError
from bookbug.services import books, redos
from bookbug.errors import WrongPhase
from bookbug.story import Brief, ProsePage, StyleGuide
from bookbug.workflows import drawing, names, pages
from sqlmodel import select
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, wait_for_status, wait_until
from tests.workflows.claude import claude_writes


def page_rows(book_id: str) -> dict[int, RenderedPage]:
    with session_scope() as session:
        return {p.page_number: p for p in session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id))}


async def finished_book(user_id: str) -> str:
    summary = await books.create_book(user_id, page_count=8)
    await answer_intake(user_id, summary.id)
    await books.approve(user_id, summary.id)
    book = await wait_for_status(user_id, summary.id)
    assert book.status == "complete", book.error
    return summary.id


async def test_redoing_a_page_keeps_the_old_version_until_the_new_one_is_accepted(narrated, book_backend) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)
    with session_scope() as session:
        sheets_before = session.get(Book, book_id).characters
        pdf_key = session.get(Book, book_id).pdf_key
    pdf_before = get_storage().get(pdf_key)

    await redos.redo_page(user.id, book_id, 3, rewrite_text=True, note="make Mia laugh")
    pending = await wait_until(lambda: (row := page_rows(book_id)[3]).previous_key and row, what="the new version")
    assert pending.version == 2 and pending.previous_key == before[3].storage_key
    assert get_storage().exists(before[3].storage_key), "the old picture is kept until a decision"
    with pytest.raises(WrongPhase):
        await redos.redo_page(user.id, book_id, 3)

    await redos.decide_page(user.id, book_id, 3, keep="new")
    settled = await wait_until(lambda: (row := page_rows(book_id)[3]).previous_key is None and row, what="settling")
    assert settled.storage_key != before[3].storage_key
    # the old picture is deleted by the step after the one that settled the page
    await wait_until(lambda: not get_storage().exists(before[3].storage_key), what="the old picture deleted")
    assert not any(get_storage().exists(sized_key(before[3].storage_key, size)) for size in ScreenSize)
    after = page_rows(book_id)
    for number in before:
        if number != 3:
            assert after[number].storage_key == before[number].storage_key
            assert after[number].text == before[number].text
    with session_scope() as session:
        assert session.get(Book, book_id).characters == sheets_before
    await wait_until(lambda: get_storage().get(pdf_key) != pdf_before, what="the rebuilt PDF")
    if before[3].narration:  # read aloud (espeak-ng is installed): the kept words have their own voice, in the EPUB
        def voice_in_the_epub() -> bool:
            row = page_rows(book_id)[3]
            with session_scope() as session:
                epub = get_storage().get(session.get(Book, book_id).epub_key)
            told = row.narration or {}
            with zipfile.ZipFile(io.BytesIO(epub)) as inside:
                return told.get("text") == row.text and \
                    inside.read("OEBPS/audio/page-003.mp3") == get_storage().get(told["key"])
        await wait_until(voice_in_the_epub, what="the page's new voice in the rebuilt EPUB")


async def test_going_back_restores_the_old_page_exactly(book_backend) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)[5]
    await redos.redo_page(user.id, book_id, 5)
    await wait_until(lambda: page_rows(book_id)[5].previous_key, what="the new version")
    new_key = page_rows(book_id)[5].storage_key
    await redos.decide_page(user.id, book_id, 5, keep="old")
    restored = await wait_until(lambda: (row := page_rows(book_id)[5]).previous_key is None and row, what="going back")
    assert (restored.storage_key, restored.text, restored.version) == (before.storage_key, before.text, before.version)
    await wait_until(lambda: not get_storage().exists(new_key), what="the unkept picture deleted")
    assert not any(get_storage().exists(sized_key(new_key, size)) for size in ScreenSize), "and its screen copies"
    assert all(get_storage().exists(sized_key(before.storage_key, size)) for size in ScreenSize)


def predictions(book_id: str, number: int) -> list[ImagePrediction]:
    with session_scope() as session:
        return list(session.exec(select(ImagePrediction).where(ImagePrediction.book_id == book_id,
                                                               ImagePrediction.purpose == f"page-{number}")))


def redo_runs(book_id: str) -> list[RunView]:
    return list_runs(get_settings().db_url, subject=book_id, workflow=names.REDO_PAGE)


async def test_each_redo_of_a_page_draws_a_new_picture_whatever_was_kept_before(book_backend) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    original = page_rows(book_id)[5]
    current = original
    keys, versions, pictures = {original.storage_key}, {original.version}, {get_storage().get(original.storage_key)}
    paid = {p.prediction_id for p in predictions(book_id, 5)}
    # going back, then keeping, then keeping again: each redo is a new run with a new picture
    for turn, keep in enumerate(("old", "new", "new"), start=1):
        await redos.redo_page(user.id, book_id, 5)
        pending = await wait_until(lambda: (row := page_rows(book_id)[5]).previous_key and row,
                                   what=f"redo {turn}'s new version")
        assert pending.previous_key == current.storage_key
        assert pending.storage_key not in keys and pending.version not in versions
        picture = get_storage().get(pending.storage_key)
        assert picture not in pictures, "an earlier (discarded) picture came back instead of a new one"
        drawn = {p.prediction_id for p in predictions(book_id, 5)} - paid
        assert drawn, "no new prediction: an earlier one was reused"
        paid |= drawn
        keys.add(pending.storage_key), versions.add(pending.version), pictures.add(picture)
        view = next(p for p in books.get_book(user.id, book_id).pages if p.number == 5)
        assert view.image_url.endswith(f"?v={pending.version}") and view.previous_image_url.endswith(
            f"?v={current.version}")

        await redos.decide_page(user.id, book_id, 5, keep=keep)
        settled = await wait_until(lambda: (row := page_rows(book_id)[5]).previous_key is None and row,
                                   what=f"redo {turn}'s choice")
        kept = pending if keep == "new" else current
        assert (settled.storage_key, settled.version, settled.text) == (kept.storage_key, kept.version, kept.text)
        current = settled
    await wait_until(lambda: all(r.status == "completed" for r in redo_runs(book_id)), what="every redo to end")
    assert len(redo_runs(book_id)) == 3


async def test_a_note_on_a_picture_only_redo_reaches_the_drawing(book_backend) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)[2]
    await redos.redo_page(user.id, book_id, 2, note="  make the sky stormy ")
    pending = await wait_until(lambda: (row := page_rows(book_id)[2]).previous_key and row, what="the new version")
    assert pending.text == before.text  # the words were not rewritten
    assert "make the sky stormy" in (pending.prompt or "") and "make the sky stormy" not in (before.prompt or "")
    await redos.decide_page(user.id, book_id, 2, keep="old")
    restored = await wait_until(lambda: (row := page_rows(book_id)[2]).previous_key is None and row, what="going back")
    assert restored.prompt == before.prompt  # going back restores the old prompt with the old picture

    # the offline illustrator reads a scene's words, not sentences: the note's time of day and
    # weather come first, unless the note says what not to draw
    with session_scope() as session:
        book = session.get(Book, book_id)
    page = ProsePage.model_validate(next(p for p in book.prose["pages"] if p["page_number"] == 2))
    beat = await pages.redo_beat(book_id, 2, page)

    def scene(note: str) -> dict:
        return drawing.page_request(book_id, Brief.model_validate(book.brief), StyleGuide.model_validate(book.style_guide),
                                    beat, page, [], note).scene.model_dump()

    plain, stormy = scene(""), scene("a stormy night please")
    assert (plain["time_of_day"], plain["sky"]) != ("night", "storm")
    assert (stormy["time_of_day"], stormy["sky"]) == ("night", "storm")
    assert scene("no storm, and not at night") == scene("")


async def test_the_note_reaches_claudes_art_direction_for_the_new_picture(book_backend, monkeypatch) -> None:
    user = make_user()
    book_id = await finished_book(user.id)  # written offline; Claude takes over for the redo
    with session_scope() as session:
        prose = session.get(Book, book_id).prose
    page = ProsePage.model_validate(next(p for p in prose["pages"] if p["page_number"] == 3))
    beat = await pages.redo_beat(book_id, 3, page)  # a valid beat for this page, as Claude might send
    with claude_writes(monkeypatch) as claude:
        claude.reply_tool("illustration_beat", beat.model_dump(mode="json"))
        claude.reply_tool("score_illustration", {"character_consistency": 90, "environment_consistency": 90,
                                                 "artefacts": 90, "unwanted_text": 100, "notes": ""})
        await redos.redo_page(user.id, book_id, 3, note="Mia waves at the moon")
        await wait_until(lambda: page_rows(book_id)[3].previous_key, what="the new version")
        [art_director, _] = claude.messages_requests()
    assert art_director.body["system"] == illustration_beat.system  # the art director, not the writer
    [message] = art_director.body["messages"]
    assert "Mia waves at the moon" in json.dumps(message["content"]) and "Page 3" in json.dumps(message["content"])


async def test_a_redo_whose_picture_cannot_be_drawn_leaves_the_page_as_it_was_and_can_be_tried_again(
        book_backend, monkeypatch) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)[4]

    async def refuse(self, request):  # type: ignore[no-untyped-def]
        raise FatalError("Replicate refused to start the model: 401 Unauthorized", service="replicate", status=401)

    with monkeypatch.context() as patched:
        patched.setattr(OfflineIllustrator, "start", refuse)
        await redos.redo_page(user.id, book_id, 4)
        failed = await wait_until(lambda: (b := books.get_book(user.id, book_id)).redo
                                  and b.redo.phase == "failed" and b, what="the redo to fail")
    assert failed.redo.page == 4
    assert failed.redo.error == ("Redrawing page 4 did not work: a service we rely on refused our key, and the people "
           "who run Bookbug need to fix that. The page stays as it was; you can try again.")
    after = page_rows(book_id)[4]
    assert (after.storage_key, after.version, after.previous_key) == (before.storage_key, before.version, None)

    # the illustrator is back: the same redo asked again is a new try, not the failed one again
    await redos.redo_page(user.id, book_id, 4)
    assert books.get_book(user.id, book_id).redo.phase in ("drawing", "deciding")  # the failure is gone
    pending = await wait_until(lambda: (row := page_rows(book_id)[4]).previous_key and row, what="the second try")
    await redos.decide_page(user.id, book_id, 4, keep="new")
    kept = await wait_until(lambda: (row := page_rows(book_id)[4]).previous_key is None and row, what="keeping it")
    assert kept.storage_key == pending.storage_key
    await wait_until(lambda: books.get_book(user.id, book_id).redo is None, what="the redo to end")


async def test_a_redo_failing_after_its_new_version_was_drawn_goes_back_to_the_old_page(
        book_backend, monkeypatch) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)[6]
    await redos.redo_page(user.id, book_id, 6, rewrite_text=True)
    pending = await wait_until(lambda: (row := page_rows(book_id)[6]).previous_key and row, what="the new version")

    def broken(*args: object) -> None:
        raise FatalError("the file store refused the change (403 Forbidden)", service="s3", status=403)

    monkeypatch.setattr(pages, "settle", broken)
    await redos.decide_page(user.id, book_id, 6, keep="new")
    failed = await wait_until(lambda: (b := books.get_book(user.id, book_id)).redo and b.redo.phase == "failed" and b,
                              what="the redo to fail")
    restored = page_rows(book_id)[6]
    assert (restored.storage_key, restored.text, restored.version, restored.previous_key) == (
        before.storage_key, before.text, before.version, None)
    assert not get_storage().exists(pending.storage_key)  # the new version is gone with the failed redo
    with session_scope() as session:
        prose = session.get(Book, book_id).prose
    assert next(p for p in prose["pages"] if p["page_number"] == 6)["text"] == before.text
    view = next(p for p in failed.pages if p.number == 6)
    assert not view.pending and view.image_url.endswith(f"?v={before.version}")
    assert failed.redo.error and failed.redo.error.startswith("Redrawing page 6 did not work")
    with pytest.raises(WrongPhase):
        await redos.decide_page(user.id, book_id, 6, keep="new")  # nothing waits for a choice any more

    redos.dismiss_redo_failure(user.id, book_id, 6)
    assert books.get_book(user.id, book_id).redo is None
