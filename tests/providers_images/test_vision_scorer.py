"""The Claude vision scorer through the real anthropic SDK against the Messages stand-in."""

from __future__ import annotations

import base64

import pytest

from bookbug.providers.images.vision import TOOL, ClaudeVisionScorer
from bookbug.resilience import FatalError, RetryableError, classify
from bookbug.settings import Settings
from tests.providers_images.conftest import picture_png
from tests.standins.anthropic import AnthropicStandIn, anthropic_standin  # noqa: F401 - fixture

SCORES = {"character_consistency": 88, "environment_consistency": 92, "artefacts": 75, "unwanted_text": 100,
          "notes": "Pip's wing is a little small."}


def scorer(standin: AnthropicStandIn) -> ClaudeVisionScorer:
    return ClaudeVisionScorer(Settings(anthropic_api_key="test-key", anthropic_base_url=standin.url,
                                       anthropic_vision_model="claude-vision-standin"))


async def test_scores_come_back_and_the_page_and_sheets_are_sent(anthropic_standin: AnthropicStandIn) -> None:
    anthropic_standin.reply_tool(TOOL, SCORES)
    page, sheets = picture_png((2000, 2000)), [picture_png((800, 400)), picture_png((600, 600))]
    score = await scorer(anthropic_standin).score(page, "Mia meets Pip under the oak tree at dawn.", sheets)

    assert score.overall == 75 and score.passed and score.notes == SCORES["notes"]
    (request,) = anthropic_standin.messages_requests()
    body = request.body
    assert body["model"] == "claude-vision-standin"
    assert body["tool_choice"] == {"type": "tool", "name": TOOL}
    blocks = body["messages"][0]["content"]
    images = [block for block in blocks if block["type"] == "image"]
    assert len(images) == 3  # two sheets, then the page
    assert "Mia meets Pip under the oak tree at dawn." in blocks[-1]["text"]
    from io import BytesIO

    from PIL import Image

    page_sent = Image.open(BytesIO(base64.b64decode(images[-1]["source"]["data"])))
    assert max(page_sent.size) <= 1024


async def test_a_low_criterion_fails_the_page(anthropic_standin: AnthropicStandIn) -> None:
    anthropic_standin.reply_tool(TOOL, {**SCORES, "unwanted_text": 20, "notes": "a garbled sign on the house"})
    score = await scorer(anthropic_standin).score(picture_png(), "beat", [])
    assert not score.passed and score.overall == 20


async def test_scores_out_of_range_are_a_retryable_error(anthropic_standin: AnthropicStandIn) -> None:
    anthropic_standin.reply_tool(TOOL, {**SCORES, "artefacts": 140})
    with pytest.raises(RetryableError, match="not usable"):
        await scorer(anthropic_standin).score(picture_png(), "beat", [])


async def test_rate_limits_propagate_for_the_engine(anthropic_standin: AnthropicStandIn) -> None:
    anthropic_standin.reply_error(429, "rate_limit_error", "slow down", headers={"retry-after": "9"})
    with pytest.raises(Exception) as caught:
        await scorer(anthropic_standin).score(picture_png(), "beat", [])
    verdict = classify(caught.value)
    assert verdict.retryable and verdict.retry_after == 9
    assert len(anthropic_standin.messages_requests()) == 1  # the SDK did not retry on its own


def test_no_key_is_a_clear_error() -> None:
    with pytest.raises(FatalError, match="ANTHROPIC_API_KEY"):
        ClaudeVisionScorer(Settings(anthropic_api_key=""))
