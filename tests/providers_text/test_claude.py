"""The Claude writer through the real anthropic SDK, against the scripted Messages API stand-in."""

import json

import anthropic
import pytest

from bookbug.agents import IntakeInput, intake_turn, prose_page
from bookbug.providers.text.claude import ClaudeWriter, InvalidReplyError
from bookbug.providers.text.pricing import estimate_cost
from bookbug.resilience import FatalError, classify
from bookbug.settings import Settings
from bookbug.story import Brief

from tests.standins.anthropic import AnthropicStandIn
from tests.support.stories import HERO, PAGE_INPUT

TURN = {"brief": {"characters": [HERO.model_dump()], "asked_about": ["age_range"]},
        "message": "Lovely! How old is Mia?", "chips": ["2-3 years", "4-5 years", "6-8 years"], "done": False}
GOOD_PAGE = {"page_number": 1, "summary": "Mia looks for Teddy",
             "text": "Mia looked under the hay and behind the big red barn door.", "image_concept": "Mia in a barn"}


def _writer(standin: AnthropicStandIn, **overrides) -> ClaudeWriter:
    settings = Settings(anthropic_api_key="sk-test", anthropic_base_url=standin.url, anthropic_model="claude-sonnet-4-6",
                        anthropic_fast_model="claude-haiku-4-5", **overrides)
    return ClaudeWriter(settings, timeout=10)


async def test_structured_output_is_parsed_from_the_forced_tool_call(anthropic_standin):
    anthropic_standin.reply_tool("intake_turn", TURN, input_tokens=1200, output_tokens=300)
    result = await _writer(anthropic_standin).generate(
        intake_turn, IntakeInput(brief=Brief(), conversation=[{"role": "user", "content": "It's for Mia"}]))
    assert result.output.brief.hero is not None and result.output.brief.hero.name == "Mia"
    assert result.output.chips == TURN["chips"]
    [request] = anthropic_standin.messages_requests()
    body = request.body
    # anthropic 2.x sends the key as a bearer token (1.x used x-api-key)
    assert "sk-test" in request.headers.get("authorization", "") + request.headers.get("x-api-key", "")
    assert body["model"] == "claude-haiku-4-5"  # intake is a fast agent; the model comes from settings
    assert body["tool_choice"] == {"type": "tool", "name": "intake_turn"}
    assert body["tools"][0]["name"] == "intake_turn" and "properties" in body["tools"][0]["input_schema"]
    assert body["system"] == intake_turn.system
    assert "user: It's for Mia" in body["messages"][0]["content"]


async def test_token_usage_and_its_cost_are_recorded_per_call(anthropic_standin):
    anthropic_standin.reply_tool("prose_page", GOOD_PAGE, input_tokens=2000, output_tokens=150, cache_read=1000)
    result = await _writer(anthropic_standin).generate(prose_page, PAGE_INPUT)
    usage = result.usage
    assert (usage.provider, usage.model, usage.calls) == ("claude", "claude-sonnet-4-6", 1)
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (2000, 150, 1000)
    assert usage.cost_usd == pytest.approx(estimate_cost("claude-sonnet-4-6", 2000, 150, 1000))
    assert usage.cost_usd == pytest.approx((2000 * 3 + 150 * 15 + 1000 * 0.3) / 1e6)
    assert result.to_json()["usage"]["input_tokens"] == 2000


async def test_invalid_json_is_repaired_once(anthropic_standin):
    anthropic_standin.reply_tool("intake_turn", '{"brief": {"characters": [', input_tokens=100, output_tokens=10)
    anthropic_standin.reply_tool("intake_turn", TURN, input_tokens=150, output_tokens=60)
    result = await _writer(anthropic_standin).generate(intake_turn, IntakeInput(brief=Brief()))
    assert result.output.message == TURN["message"]
    first, repair = anthropic_standin.messages_requests()
    assert len(repair.body["messages"]) == 3
    assert repair.body["messages"][1]["role"] == "assistant"
    feedback = repair.body["messages"][2]["content"][0]
    assert feedback["type"] == "tool_result" and feedback["is_error"] is True
    assert "not valid JSON" in feedback["content"]
    assert (result.usage.calls, result.usage.input_tokens, result.usage.output_tokens) == (2, 250, 70)


async def test_a_reply_breaking_the_book_rules_is_sent_back_with_the_reason(anthropic_standin):
    anthropic_standin.reply_tool("prose_page", {**GOOD_PAGE, "text": "Mia ran."})
    anthropic_standin.reply_tool("prose_page", GOOD_PAGE)
    result = await _writer(anthropic_standin).generate(prose_page, PAGE_INPUT)
    assert result.output.text == GOOD_PAGE["text"]
    feedback = anthropic_standin.messages_requests()[1].body["messages"][2]["content"][0]["content"]
    assert "has 2 words; ages 2-4 need 10-20" in feedback


async def test_a_reply_still_invalid_after_the_repair_names_the_rule_it_broke_and_not_the_words(anthropic_standin):
    anthropic_standin.reply_text("Sure! Here is the page: Mia ran.")
    anthropic_standin.reply_tool("prose_page", {**GOOD_PAGE, "text": "Mia gave Teddy away, for sharing is caring."})
    with pytest.raises(InvalidReplyError) as caught:
        await _writer(anthropic_standin).generate(prose_page, PAGE_INPUT)
    error = caught.value
    # where and which rule, for operators; never the book's own words (they are logged and kept)
    assert "after one repair attempt" in error.message and "page_text_band" in error.message
    assert "sharing is caring" not in error.message
    assert error.usage.calls == 2
    assert len(anthropic_standin.messages_requests()) == 2  # one repair, no more
    assert anthropic_standin.messages_requests()[1].body["messages"][2]["content"][0]["type"] == "text"
    # another attempt (a fresh conversation) usually answers in shape: the engine may try again
    assert classify(error).retryable is True and classify(error).kind == "invalid_reply"


async def test_429_surfaces_at_once_as_retryable_with_its_retry_after(anthropic_standin):
    anthropic_standin.reply_error(429, "rate_limit_error", "Number of requests has exceeded your rate limit",
                                  headers={"retry-after": "7"})
    with pytest.raises(anthropic.RateLimitError) as caught:
        await _writer(anthropic_standin).generate(intake_turn, IntakeInput(brief=Brief()))
    verdict = classify(caught.value)
    assert verdict.retryable and verdict.retry_after == 7 and verdict.status == 429
    assert len(anthropic_standin.messages_requests()) == 1  # max_retries=0: the SDK did not retry


async def test_529_overloaded_surfaces_at_once_as_retryable(anthropic_standin):
    anthropic_standin.reply_error(529, "overloaded_error", "Overloaded")
    with pytest.raises(anthropic.InternalServerError) as caught:
        await _writer(anthropic_standin).generate(intake_turn, IntakeInput(brief=Brief()))
    assert caught.value.status_code == 529
    assert classify(caught.value).retryable
    assert len(anthropic_standin.messages_requests()) == 1


async def test_the_engine_not_the_sdk_owns_every_attempt(anthropic_standin):
    """Each failure reaches our code after one request, classified with the server's wait; the
    engine's retry (not the SDK's) asks again."""
    anthropic_standin.reply_error(429, "rate_limit_error", "slow down", headers={"retry-after": "3"})
    anthropic_standin.reply_error(529, "overloaded_error", "Overloaded")
    anthropic_standin.reply_tool("intake_turn", TURN)
    writer = _writer(anthropic_standin)
    verdicts = []
    for _ in range(2):
        with pytest.raises(anthropic.APIStatusError) as caught:
            await writer.generate(intake_turn, IntakeInput(brief=Brief()))
        verdicts.append(classify(caught.value))
    result = await writer.generate(intake_turn, IntakeInput(brief=Brief()))
    assert result.output.message == TURN["message"]
    assert len(anthropic_standin.messages_requests()) == 3  # one request per attempt
    assert all(v.retryable for v in verdicts) and verdicts[0].retry_after == 3  # Retry-After carried


async def test_401_is_fatal_at_once_with_a_clear_message(anthropic_standin):
    anthropic_standin.reply_error(401, "authentication_error", "invalid x-api-key")
    with pytest.raises(anthropic.AuthenticationError) as caught:
        await _writer(anthropic_standin).generate(intake_turn, IntakeInput(brief=Brief()))
    verdict = classify(caught.value)
    assert not verdict.retryable
    assert "rejected the API key (401)" in verdict.reason and "ANTHROPIC_API_KEY" in verdict.reason
    assert len(anthropic_standin.messages_requests()) == 1


def test_the_claude_writer_needs_an_api_key():
    with pytest.raises(FatalError, match="ANTHROPIC_API_KEY"):
        ClaudeWriter(Settings(anthropic_api_key=""))


async def test_json_written_as_text_instead_of_a_tool_call_is_still_read(anthropic_standin):
    anthropic_standin.reply_text("```json\n" + json.dumps(TURN) + "\n```")
    result = await _writer(anthropic_standin).generate(intake_turn, IntakeInput(brief=Brief()))
    assert result.output.chips == TURN["chips"]
    assert len(anthropic_standin.messages_requests()) == 1


async def test_the_standin_fails_loudly_when_a_test_forgot_to_script_a_reply(anthropic_standin):
    with pytest.raises(anthropic.InternalServerError, match="no scripted reply left"):
        await _writer(anthropic_standin).generate(intake_turn, IntakeInput(brief=Brief()))
