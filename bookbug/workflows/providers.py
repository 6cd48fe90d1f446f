"""Which text provider and illustrator a step uses: the settings, as operators adjusted them.

Read at every step (cheap: app_config caches briefly), so an operator's change on /settings
applies to the next step of every book without a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bookbug.engine import pause_service, spend
from bookbug.providers.images import Illustrator, OfflineIllustrator, get_illustrator
from bookbug.providers.storage import Storage, get_storage
from bookbug.providers.voice import EspeakNarrator, MissingVoice, Narrator
from bookbug.providers.text.offline import OfflineWriter
from bookbug.providers.text.protocol import TextProvider
from bookbug.config import app_config
from bookbug.settings import get_settings
from bookbug.workflows import records
from bookbug.workflows.meter import BookMeter

if TYPE_CHECKING:  # imported where used: only books Claude writes need Claude's eye
    from bookbug.providers.images.vision import ClaudeVisionScorer


def book_seed(book_id: str) -> int:
    """A stable seed per book, so the offline providers are deterministic for a book."""
    try:
        return int(book_id[:8], 16)
    except ValueError:
        return sum(map(ord, book_id))


def text_provider(book_id: str) -> TextProvider:
    config = app_config.current()
    settings = get_settings()
    if config.text_provider == "offline" or (config.text_provider == "auto" and not settings.anthropic_api_key):
        return OfflineWriter(seed=book_seed(book_id))
    from bookbug.providers.text.claude import ClaudeWriter

    tuned = settings.model_copy(update={"anthropic_model": config.anthropic_model,
                                        "anthropic_fast_model": config.anthropic_fast_model})
    # every request, a repair included, waits for Claude's shared rate limit, pause and pace
    return ClaudeWriter(tuned, before_request=lambda: spend(ClaudeWriter.service),
                        on_throttled=lambda seconds: pause_service(ClaudeWriter.service, seconds),
                        meter=meter(book_id), caching=config.prompt_caching == "on")


def meter(book_id: str) -> BookMeter:
    """Each paid call of the step: held against the spending caps, then on the ledger."""
    return BookMeter(book_id, records.owner(book_id))


def illustrator(storage: Storage, book_id: str | None = None) -> Illustrator:
    config = app_config.current()
    settings = get_settings()
    if config.image_provider == "offline" or (config.image_provider == "auto" and not settings.replicate_api_token):
        return OfflineIllustrator()
    tuned = settings.model_copy(update={"replicate_reference_model": config.replicate_reference_model,
                                        "replicate_prompt_model": config.replicate_prompt_model})
    # each paid request waits for Replicate's shared rate limit, pause and pace
    return get_illustrator(tuned, storage=storage, before_create=lambda: spend("replicate"),
                           on_throttled=lambda seconds: pause_service("replicate", seconds),
                           meter=meter(book_id) if book_id else None)


def narrator(book_id: str | None = None) -> Narrator:
    """The voice that reads the pages (NARRATION_PROVIDER), its paid readings on the book's ledger.
    Raises MissingVoice when there is none: narration is off, or espeak-ng is not installed."""
    settings = get_settings()
    if settings.narration_provider == "off":
        raise MissingVoice("narration is off (NARRATION_PROVIDER=off)")
    if settings.narration_provider == "replicate":
        from bookbug.providers.voice.replicate_narrator import ReplicateNarrator

        # each paid request waits for Replicate's shared rate limit, pause and pace, as pictures do
        return ReplicateNarrator(settings, before_create=lambda: spend("replicate"),
                                 on_throttled=lambda seconds: pause_service("replicate", seconds),
                                 meter=meter(book_id) if book_id else None)
    return EspeakNarrator(settings.espeak_voice)


def storage() -> Storage:
    return get_storage()


def vision_scorer_name() -> str | None:
    """Which vision scorer a new picture gets (None: only the offline check)."""
    scorer = vision_scorer()
    return None if scorer is None else str(scorer.name)


def vision_scorer(book_id: str | None = None) -> ClaudeVisionScorer | None:
    """Claude's eye on each page where Claude writes the book; None offline (the image check runs)."""
    config = app_config.current()
    settings = get_settings()
    if config.text_provider == "offline" or not settings.anthropic_api_key:
        return None
    from bookbug.providers.images.vision import ClaudeVisionScorer

    return ClaudeVisionScorer(settings, before_request=lambda: spend(ClaudeVisionScorer.service),
                              on_throttled=lambda seconds: pause_service(ClaudeVisionScorer.service, seconds),
                              meter=meter(book_id) if book_id else None, caching=config.prompt_caching == "on")
