"""Text generation behind one protocol: Claude (anthropic SDK) or the offline writer."""

from bookbug.providers.text.factory import get_text_provider
from bookbug.providers.text.protocol import AgentResult, TextProvider, TokenUsage

__all__ = ["AgentResult", "TextProvider", "TokenUsage", "get_text_provider"]
