"""Choose the text provider: Claude when ANTHROPIC_API_KEY is set, else the offline writer."""

from __future__ import annotations

from bookbug.providers.text.protocol import TextProvider
from bookbug.settings import Settings, get_settings


def get_text_provider(settings: Settings | None = None, *, seed: int = 0) -> TextProvider:
    settings = settings or get_settings()
    if settings.anthropic_api_key:
        from bookbug.providers.text.claude import ClaudeWriter  # imports the SDK only when used

        return ClaudeWriter(settings)
    from bookbug.providers.text.offline import OfflineWriter

    return OfflineWriter(seed=seed)
