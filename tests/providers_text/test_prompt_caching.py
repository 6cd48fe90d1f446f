"""Prompt caching: the Claude writer marks the stable start of each request, and the Messages
stand-in, counting tokens the way the API does, reports what was read from and written to the
cache, page after page, as the real API would."""

from __future__ import annotations

from bookbug.agents import ProsePageInput, prose_page
from bookbug.providers.text.claude import ClaudeWriter
from bookbug.settings import Settings
from bookbug.story import PagePlan, ProsePage
from tests.support.stories import BRIEF, PAGE_INPUT, PLOT
from tests.standins.anthropic import AnthropicStandIn, message_body, min_cacheable, tool_use_block
from tests.standins.claude_offline import carry_inputs, offline_claude


def _writer(standin: AnthropicStandIn, caching: bool) -> ClaudeWriter:
    settings = Settings(anthropic_api_key="sk-test", anthropic_base_url=standin.url,
                        anthropic_model="claude-sonnet-4-6", anthropic_fast_model="claude-haiku-4-5")
    return ClaudeWriter(settings, timeout=10, caching=caching)


def _page_input(number: int, so_far: list[ProsePage]) -> ProsePageInput:
    # a long setup, as a real book's brief, plot and setup are: past the model's cacheable minimum
    setup = PAGE_INPUT.setup.model_copy(update={"style_notes": "Short, bouncy sentences with a refrain. " * 24})
    brief = BRIEF.model_copy(update={"custom_instructions": "Mention the red barn, the duck pond and the hay. " * 19})
    plan = PagePlan(page_number=number, beat_number=1, beat=PLOT.beats[0], part=number, parts=4)
    return PAGE_INPUT.model_copy(update={"brief": brief, "setup": setup, "page": plan, "pages_so_far": so_far})


async def _write_pages(standin: AnthropicStandIn, caching: bool, pages: int = 4) -> list[dict]:
    writer = _writer(standin, caching)
    so_far: list[ProsePage] = []
    usages = []
    with carry_inputs():
        for number in range(1, pages + 1):
            result = await writer.generate(prose_page, _page_input(number, so_far))
            so_far.append(result.output)
            usages.append(result.usage.model_dump())
    return usages


async def test_page_after_page_reads_the_pages_before_it_from_the_cache(anthropic_standin) -> None:
    anthropic_standin.responder, anthropic_standin.count_tokens = offline_claude, True
    usages = await _write_pages(anthropic_standin, caching=True)

    first, *later = usages
    assert first["cache_read_tokens"] == 0 and first["cache_write_tokens"] >= min_cacheable("claude-sonnet-4-6")
    reads = [u["cache_read_tokens"] for u in later]
    assert all(r > 0 for r in reads) and reads == sorted(reads) and reads[-1] > reads[0]  # the cached prefix grows
    assert all(u["input_tokens"] < first["cache_write_tokens"] / 4 for u in later)  # little is paid in full
    body = anthropic_standin.messages_requests()[-1].body
    marked = [b for b in body["messages"][0]["content"] if "cache_control" in b]
    assert len(marked) == 2 and body["messages"][0]["content"][-1].get("cache_control") is None  # the page asked for is not


async def test_without_caching_every_token_is_paid_in_full_and_the_totals_agree(anthropic_standin) -> None:
    anthropic_standin.responder, anthropic_standin.count_tokens = offline_claude, True
    plain = await _write_pages(anthropic_standin, caching=False)
    assert all(u["cache_read_tokens"] == u["cache_write_tokens"] == 0 for u in plain)
    with AnthropicStandIn() as other:
        other.responder, other.count_tokens = offline_claude, True
        cached = await _write_pages(other, caching=True)
    # the same requests, counted once in full and once split between the cache and the rest (up to
    # the page's own limits, which only the uncached tool spells out: a cached tool says them in the prompt)
    totals = [u["input_tokens"] + u["cache_read_tokens"] + u["cache_write_tokens"] for u in cached]
    assert [abs(t - u["input_tokens"]) <= 0.03 * u["input_tokens"] for t, u in zip(totals, plain)] == [True] * 4


def test_a_prefix_shorter_than_the_models_minimum_is_not_cached() -> None:
    with AnthropicStandIn() as standin:
        standin.count_tokens = True
        short = {"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{"role": "user", "content": [
            {"type": "text", "text": "short " * 10, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": "question"}]}]}
        for _ in range(2):
            standin.reply(200, message_body([tool_use_block("t", {})]))
        import httpx

        usages = [httpx.post(f"{standin.url}/v1/messages", json=short).json()["usage"] for _ in range(2)]
    assert [(u["cache_read_input_tokens"], u["cache_creation_input_tokens"]) for u in usages] == [(0, 0), (0, 0)]
