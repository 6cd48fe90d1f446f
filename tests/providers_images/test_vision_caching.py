"""The vision scorer's character sheets, the same for every page of a book, are read from the
prompt cache page after page when caching is on; the stand-in reports it as the API does, and
the scorer reports it to its meter."""

from __future__ import annotations

from bookbug.providers.images.vision import TOOL, ClaudeVisionScorer
from bookbug.providers.spending import Spent
from bookbug.settings import Settings
from tests.providers_images.conftest import picture_png
from tests.standins.anthropic import IMAGE_TOKENS, AnthropicStandIn, anthropic_standin  # noqa: F401 - fixture

SCORES = {"character_consistency": 88, "environment_consistency": 92, "artefacts": 95, "unwanted_text": 100,
          "notes": ""}


class Recorder:
    """A meter that only keeps what each call spent."""

    def __init__(self) -> None:
        self.calls: list[Spent] = []

    async def reserve(self, most: Spent) -> float:
        return 0.0

    async def spent(self, spent: Spent, reserved_usd: float) -> None:
        self.calls.append(spent)

    async def release(self, reserved_usd: float) -> None:
        return None


async def _score_pages(standin: AnthropicStandIn, caching: bool) -> list[Spent]:
    recorder = Recorder()
    scorer = ClaudeVisionScorer(Settings(anthropic_api_key="k", anthropic_base_url=standin.url,
                                         anthropic_vision_model="claude-sonnet-4-6"), caching=caching, meter=recorder)
    sheets = [picture_png((800, 400)), picture_png((600, 600))]
    for number in range(3):
        standin.reply_tool(TOOL, SCORES)
        await scorer.score(picture_png((1000 + number, 1000)), f"page {number}", sheets)
    return recorder.calls


async def test_the_sheets_are_read_from_the_cache_on_every_page_after_the_first(anthropic_standin) -> None:
    anthropic_standin.count_tokens = True
    first, *later = await _score_pages(anthropic_standin, caching=True)
    assert first.cache_read_tokens == 0 and first.cache_write_tokens >= 2 * IMAGE_TOKENS
    assert all(s.cache_read_tokens == first.cache_write_tokens and s.cache_write_tokens == 0 for s in later)
    assert all(s.input_tokens < first.cache_write_tokens for s in later)  # the page and its words only


async def test_without_caching_nothing_is_marked_or_cached(anthropic_standin) -> None:
    anthropic_standin.count_tokens = True
    spent = await _score_pages(anthropic_standin, caching=False)
    assert all(s.cache_read_tokens == s.cache_write_tokens == 0 for s in spent)
    assert "cache_control" not in str(anthropic_standin.messages_requests()[0].body["messages"])
