"""The narration steps: one bill per step, as the drawing steps (drawing.py).

`start_narration` pays for one page's voice and records a paid prediction's id the moment it
exists (in image_predictions, purpose "voice-N": a retried step finds it instead of paying again);
`wait_narration` waits for it to end; `keep_narration` downloads it, stores the MP3 beside the
page's picture and records when each sentence is said.
"""

from __future__ import annotations

import logging

from sqlmodel import select

from bookbug.db import ImagePrediction, RenderedPage, session_scope, utcnow
from bookbug.providers.images.models import PredictionOutcome
from bookbug.providers.storage import book_key
from bookbug.providers.voice import MissingVoice, NarrationRequest
from bookbug.resilience.errors import FatalError
from bookbug.config import app_config
from bookbug.workflows import providers, records
from bookbug.workflows.values import Narration, NarrationPlan, Started

log = logging.getLogger(__name__)


def purpose(number: int) -> str:
    return f"voice-{number}"


def narration_plan(book_id: str, number: int, text: str) -> NarrationPlan:
    """Whether the page is read aloud, by whom, and how hard it is tried (read once per page)."""
    with session_scope() as session:
        row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                      RenderedPage.page_number == number)).first()
        told = (row.narration or {}) if row is not None else {}
    if told.get("key") and told.get("text") == text:
        return NarrationPlan(provider=None, why="the page is narrated already")
    try:
        narrator = providers.narrator()
    except MissingVoice as missing:
        log.warning("page %s of book %s is not narrated: %s", number, book_id, missing.message)
        return NarrationPlan(provider=None, why=missing.message)
    return NarrationPlan(provider=narrator.name, redraws=app_config.current().picture_redraws)


def _request(book_id: str, number: int, text: str) -> NarrationRequest:
    """The reading asked for, in the book's language (the voice follows it)."""
    brief = records.load_book(book_id).brief or {}
    return NarrationRequest(book_id=book_id, page=number, text=text, language=str(brief.get("language") or "en"))


def _known_prediction(book_id: str, number: int, attempt: int) -> str | None:
    with session_scope() as session:
        row = session.exec(select(ImagePrediction).where(
            ImagePrediction.book_id == book_id, ImagePrediction.purpose == purpose(number),
            ImagePrediction.attempt == attempt)).first()
        return row.prediction_id if row else None


async def start_narration(book_id: str, number: int, text: str, attempt: int) -> Started:
    """Pay for one reading of the page (attempt `attempt`); returns its id."""
    narrator = providers.narrator(book_id)
    known = _known_prediction(book_id, number, attempt)
    if known is not None:  # started before a crash: the same prediction, not a second bill
        return Started(prediction_id=known, provider=narrator.name)
    prediction_id = await narrator.start(_request(book_id, number, text))
    if narrator.service is not None:  # a paid call: remembered, and in the book's ledger (a local voice costs nothing)
        with session_scope() as session:
            session.add(ImagePrediction(book_id=book_id, purpose=purpose(number), attempt=attempt,
                                        provider=narrator.name, prediction_id=prediction_id))
        records.add_usage(book_id, {"provider": f"{narrator.name}-voice", "calls": 1})
    return Started(prediction_id=prediction_id, provider=narrator.name)


async def wait_narration(book_id: str, prediction_id: str) -> PredictionOutcome:
    """How the reading ended (a failure is an answer here, not an error)."""
    return await providers.narrator().wait(prediction_id)


async def keep_narration(book_id: str, number: int, text: str, prediction_id: str, outcome: PredictionOutcome,
                         attempt: int) -> Narration:
    """Download the reading, store it as the page's MP3 and record each sentence's timing."""
    narrator = providers.narrator()
    result = await narrator.fetch(_request(book_id, number, text), prediction_id, outcome)
    files = providers.storage()
    key = book_key(book_id, "audio", f"{number:03d}-{attempt}.mp3")
    files.put(key, result.mp3, "audio/mpeg")
    told = {"key": key, "text": text, "duration": result.duration, "provider": narrator.name, "voice": result.voice,
            "timing": result.timing, "sentences": [s.model_dump(mode="json") for s in result.sentences]}
    with session_scope() as session:
        row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                      RenderedPage.page_number == number)).one()
        old = (row.narration or {}).get("key")
        row.narration, row.updated_at = told, utcnow()
    if old and old != key:
        files.delete(str(old))
    return Narration.model_validate({k: v for k, v in told.items() if k != "sentences"})


def give_up(number: int, outcome: PredictionOutcome, tries: int) -> None:
    """No reading of this page succeeded: the page fails, saying why in structure."""
    ended = outcome
    raise FatalError(f"voice-{number}: {tries} readings in a row {ended.status} ({ended.error or 'no reason given'})",
                     service=None, kind="content_refused" if ended.refused else "internal")
