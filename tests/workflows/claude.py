"""Point the app at the Anthropic Messages stand-in, so the workflows' text is written by "Claude"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bookbug.settings import reset_settings
from tests.standins.anthropic import AnthropicStandIn


@contextmanager
def claude_writes(monkeypatch) -> Iterator[AnthropicStandIn]:  # type: ignore[no-untyped-def]
    """The app's settings pointed at a Messages API stand-in, so the book is written by "Claude"."""
    with AnthropicStandIn() as claude:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.url)
        reset_settings()
        yield claude
