"""Narration: every page read aloud as durable steps, offline with espeak-ng or through a
text-to-speech model on Replicate (the real SDK against the stand-in), and the EPUB reading
along with it; without a voice the book and its EPUB are made all the same."""

from __future__ import annotations

import io
import math
import struct
import wave
import zipfile

import pytest
from sqlmodel import col, select

from bookbug.db import Book, ImagePrediction, LedgerEntry, RenderedPage, session_scope
from bookbug.providers.storage import get_storage
from bookbug.providers.voice import espeak_path
from bookbug.services import books
from bookbug.config import app_config
from bookbug.settings import reset_settings
from tests.conftest import IN_CI, make_user
from tests.epubcheck import epubcheck
from tests.standins.replicate import TOKEN, ReplicateStandIn
from tests.workflows.conversation import answer_intake, wait_for_status

TTS_MODEL = "standin/kokoro"


def need_espeak() -> None:
    if espeak_path() is None:
        message = "espeak-ng is not installed (apt-get install espeak-ng): the offline narrator needs it"
        if IN_CI:
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)")
        pytest.skip(message)


async def make_a_book(pages: int = 8) -> tuple[str, str]:
    user = make_user()
    summary = await books.create_book(user.id, page_count=pages)
    await answer_intake(user.id, summary.id)
    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id, timeout=240)
    assert book.status == "complete", book.error
    return user.id, summary.id


def stored(book_id: str) -> tuple[Book, list[RenderedPage]]:
    with session_scope() as session:
        book = session.get(Book, book_id)
        pages = list(session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id)
                                  .order_by(col(RenderedPage.page_number))).all())
        return book, pages


def epub_files(book: Book) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(get_storage().get(book.epub_key))) as epub:
        return {name: epub.read(name) for name in epub.namelist()}


def _tone_wav(seconds: float = 2.0, rate: int = 24000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 330 * i / rate)))
                                   for i in range(round(seconds * rate))))
    return out.getvalue()


async def test_offline_every_page_is_read_aloud_sentence_by_sentence_and_the_epub_reads_along(
        narrated, book_backend, tmp_path) -> None:
    need_espeak()
    user_id, book_id = await make_a_book()
    book, pages = stored(book_id)
    files = get_storage()
    for page in pages:
        told = page.narration
        assert told and told["provider"] == "espeak-ng" and told["text"] == page.text and told["timing"] == "measured"
        sound = files.get(told["key"])
        assert sound[0] == 0xFF and sound[1] & 0xE0 == 0xE0  # an MP3: it starts with a frame
        spans = [(s["begin"], s["end"]) for s in told["sentences"]]
        assert all(begin < end for begin, end in spans) and spans[-1][1] <= told["duration"] + 0.01
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # in order, never overlapping
    detail = books.get_book(user_id, book_id)
    assert all(p.audio_url and p.audio_seconds for p in detail.pages)
    inside = epub_files(book)
    assert sorted(n for n in inside if n.endswith(".smil")) == [f"OEBPS/page-{n:03d}.smil" for n in range(1, 9)]
    assert b"synchronizedAudioText" in inside["OEBPS/package.opf"]
    with session_scope() as session:  # a local voice is nothing paid for: no prediction kept, no ledger line
        assert not session.exec(select(ImagePrediction).where(ImagePrediction.purpose.startswith("voice-"))).all()
    assert "espeak-ng-voice" not in (book.usage or {})
    assert epubcheck(get_storage().get(book.epub_key), tmp_path) == []


async def test_without_a_voice_the_book_and_a_valid_epub_are_made_without_narration(
        book_backend, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NARRATION_PROVIDER", "off")
    reset_settings()
    user_id, book_id = await make_a_book()
    book, pages = stored(book_id)
    assert all(page.narration is None for page in pages)
    assert all(p.audio_url is None for p in books.get_book(user_id, book_id).pages)
    inside = epub_files(book)
    assert not any(name.endswith((".smil", ".mp3")) for name in inside)
    assert epubcheck(get_storage().get(book.epub_key), tmp_path) == []


async def test_on_replicate_each_page_is_read_through_the_sdk_and_a_failed_or_refused_reading_is_made_again(book_backend, monkeypatch) -> None:
    with ReplicateStandIn(image=b"") as replicate:
        replicate.outputs[TTS_MODEL] = (_tone_wav(), "audio/wav")
        for name, value in {"NARRATION_PROVIDER": "replicate", "REPLICATE_API_TOKEN": TOKEN,
                            "REPLICATE_BASE_URL": replicate.base_url, "REPLICATE_POLL_SECONDS": "0.05",
                            "REPLICATE_DELIVERY_HOSTS": "127.0.0.1", "REPLICATE_TTS_MODEL": TTS_MODEL,
                            "REPLICATE_TTS_VOICE": "af_standin"}.items():
            monkeypatch.setenv(name, value)
        reset_settings()
        monkeypatch.setattr(app_config, "_cache", None)
        # the pictures stay offline: this test is about the voice
        monkeypatch.setattr(app_config, "current", lambda *_, **__: app_config.AppConfig.model_validate(
            {**app_config.defaults().model_dump(), "image_provider": "offline"}))
        replicate.throttle_creates(1, retry_after=1)  # the first reading is refused once: retried after the pause
        replicate.storm(fail_every=3)  # and every third reading fails: that page is read again
        user_id, book_id = await make_a_book()
    book, pages = stored(book_id)
    # 8 pages: 11 readings made, 3 of them failed and made again; 12 requests with the refused one
    assert (replicate.creations, replicate.failed_predictions, replicate.create_requests) == (11, 3, 12)
    assert replicate.models == [TTS_MODEL] * 11
    assert {i["text"] for i in replicate.inputs} == {p.text for p in pages}
    assert {i["voice"] for i in replicate.inputs} == {"af_standin"}
    for page in pages:
        told = page.narration
        assert told["provider"] == "replicate" and told["timing"] == "estimated"
        assert told["duration"] == pytest.approx(2.0, abs=0.01) and told["sentences"][-1]["end"] == told["duration"]
    with session_scope() as session:
        kept = session.exec(select(ImagePrediction).where(ImagePrediction.book_id == book_id,
                                                          ImagePrediction.purpose.startswith("voice-"))).all()
    assert len(kept) == 11  # every paid reading remembered: a retried step never pays twice
    assert book.usage["replicate-voice"]["calls"] == 11  # and each is in the book's usage
    with session_scope() as session:  # and on the ledger, once each (the refused request cost nothing)
        billed = session.exec(select(LedgerEntry).where(LedgerEntry.book_id == book.id,
                                                        LedgerEntry.kind == "narration")).all()
    assert len(billed) == 11 and all(row.model == TTS_MODEL and row.cost_usd > 0 for row in billed)
    assert b"media-overlay" in epub_files(book)["OEBPS/package.opf"]


def test_without_espeak_ng_there_is_no_offline_voice_and_the_reason_says_how_to_get_one(narrated, monkeypatch) -> None:
    from bookbug.providers.voice import MissingVoice, espeak
    from bookbug.workflows import providers

    monkeypatch.setattr(espeak, "espeak_path", lambda: None)
    with pytest.raises(MissingVoice, match=r"apt-get install espeak-ng"):
        providers.narrator()


@pytest.mark.parametrize(("language", "voice"), [("en", "en-us"), ("es", "es"), ("ru", "ru"), ("el", "el")])
async def test_the_offline_voice_reads_in_the_books_language(language: str, voice: str) -> None:
    need_espeak()
    from bookbug.providers.voice import EspeakNarrator, NarrationRequest

    narrator = EspeakNarrator("en-us")
    words = {"en": "Hello, Mia.", "es": "Hola, Mia.", "ru": "Привет, Мия.", "el": "Γεια σου, Μία."}[language]
    request = NarrationRequest(book_id="b", page=1, text=words, language=language)
    started = await narrator.start(request)
    result = await narrator.fetch(request, started, await narrator.wait(started))
    assert result.voice == voice and result.duration > 0
