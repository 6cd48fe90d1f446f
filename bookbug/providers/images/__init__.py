"""Illustrations: one protocol, the offline painter by default, Replicate with a token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bookbug.providers.images.models import (
    CharacterLook, IllustrationRequest, IllustrationResult, ReferenceImage, Scene, STYLE_IDS,
)
from bookbug.providers.images.offline.illustrator import OfflineIllustrator
from bookbug.providers.images.protocol import Illustrator, illustrate
from bookbug.providers.images.quality import QualityReport, check_image
from bookbug.providers.spending import Meter
from bookbug.providers.storage.protocol import Storage
from bookbug.settings import Settings, get_settings

__all__ = [
    "CharacterLook", "IllustrationRequest", "IllustrationResult", "Illustrator", "OfflineIllustrator",
    "QualityReport", "ReferenceImage", "STYLE_IDS", "Scene", "check_image", "get_illustrator", "illustrate",
]


def get_illustrator(settings: Settings | None = None, *, storage: Storage | None = None,
                    before_create: Callable[[], Awaitable[None]] | None = None,
                    on_throttled: Callable[[float], Awaitable[None]] | None = None,
                    meter: Meter | None = None) -> Illustrator:
    """Replicate when REPLICATE_API_TOKEN is set, else the offline illustrator.

    `storage` (a Storage) lets Replicate read reference images given as storage keys;
    `before_create` is awaited before each paid request (the engine's rate limiting); `meter`
    hears of each one (bookbug/providers/spending.py).
    """
    settings = settings or get_settings()
    if settings.replicate_api_token:
        from bookbug.providers.images.replicate_illustrator import ReplicateIllustrator

        return ReplicateIllustrator(settings, read_stored=storage.get if storage is not None else None,
                                    poll_interval=settings.replicate_poll_seconds, before_create=before_create,
                                    on_throttled=on_throttled, meter=meter)
    return OfflineIllustrator()
