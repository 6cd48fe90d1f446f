"""Claude's replies and the offline writer's go through one parse: the same repairs, the same rules.

The tool Claude is sent is `Agent.tool(input)`, so what the model sees and what the contract
test (tests/agents/test_schema_contract.py) draws replies from are the same schema.
"""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from bookbug.agents import Agent, PlotProposalInput, plot_proposal, prose_page
from bookbug.providers.text.claude import ClaudeWriter
from bookbug.providers.text.offline import OfflineWriter
from bookbug.settings import Settings

from tests.agents.samples import PLOT, PRESCHOOL, SAMPLES
from tests.standins.anthropic import AnthropicStandIn


def _writer(standin: AnthropicStandIn) -> ClaudeWriter:
    return ClaudeWriter(Settings(anthropic_api_key="sk-test", anthropic_base_url=standin.url,
                                 anthropic_model="claude-sonnet-4-6", anthropic_fast_model="claude-haiku-4-5"),
                        timeout=10)


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The name of the agent every time Agent.parse runs."""
    seen: list[str] = []
    parse = Agent.parse

    def spy(self, data, input):
        seen.append(self.name)
        return parse(self, data, input)

    monkeypatch.setattr(Agent, "parse", spy)
    return seen


@pytest.mark.parametrize("index", range(len(SAMPLES)), ids=[f"{a.name}-{n}" for n, (a, _) in enumerate(SAMPLES)])
async def test_both_writers_read_every_agent_reply_through_the_one_parse(anthropic_standin, parses, index):
    agent, input = SAMPLES[index]
    offline = OfflineWriter().run(agent, input).output
    assert parses == [agent.name]
    reply = offline.model_dump(mode="json")
    assert Draft202012Validator(agent.tool(input)["input_schema"]).is_valid(reply)  # offline replies fit the schema too
    anthropic_standin.reply_tool(agent.name, reply)
    assert (await _writer(anthropic_standin).generate(agent, input)).output == offline
    assert parses == [agent.name, agent.name]
    [request] = anthropic_standin.messages_requests()
    assert request.body["tools"] == [agent.tool(input)]  # the schema the contract test draws from, as sent


async def test_a_reply_with_repeated_and_surplus_chips_is_repaired_without_asking_claude_again(anthropic_standin):
    anthropic_standin.reply_tool("plot_proposal", {
        "plot": PLOT.model_dump(mode="json"), "message": "Here is the plot.\n", "approval_chip": "Write it!",
        "change_chips": ["Make it funnier", " make it funnier", "Add a picnic", "Change beat 2", "Add a song",
                         "Add a dog"]})
    result = await _writer(anthropic_standin).generate(plot_proposal, PlotProposalInput(brief=PRESCHOOL))
    assert result.output.change_chips == ["Make it funnier", "Add a picnic", "Change beat 2", "Add a song"]
    assert result.output.message == "Here is the plot."
    assert len(anthropic_standin.messages_requests()) == 1 and result.usage.calls == 1


async def test_a_reply_with_too_few_chips_is_sent_back_with_the_rule_and_not_padded(anthropic_standin):
    proposal = {"plot": PLOT.model_dump(mode="json"), "message": "Here is the plot.", "approval_chip": "Write it!",
                "change_chips": ["Make it funnier"]}
    anthropic_standin.reply_tool("plot_proposal", proposal)
    anthropic_standin.reply_tool("plot_proposal", {**proposal, "change_chips": ["Make it funnier", "Add a picnic"]})
    result = await _writer(anthropic_standin).generate(plot_proposal, PlotProposalInput(brief=PRESCHOOL))
    assert result.output.change_chips == ["Make it funnier", "Add a picnic"]
    first, repair = anthropic_standin.messages_requests()
    schema = first.body["tools"][0]["input_schema"]["properties"]["change_chips"]
    assert (schema["minItems"], schema["maxItems"], schema["uniqueItems"]) == (2, 4, True)  # Claude was told
    assert "offer 2-4 chips, not 1" in repair.body["messages"][2]["content"][0]["content"]


async def test_a_page_a_sentence_over_its_band_is_trimmed_without_asking_claude_again(anthropic_standin):
    input = next(input for agent, input in SAMPLES if agent is prose_page)  # ages 4-5: 2-3 sentences, 20-40 words
    text = ("Mia held the jar up high and the fireflies began to glow. Ember peeked out from behind the big fern. "
            "He blinked at the soft golden light. Then he smiled.")
    anthropic_standin.reply_tool("prose_page", {"page_number": 3, "summary": "The lantern glows", "text": text,
                                                "image_concept": "Mia holding a jar of fireflies"})
    result = await _writer(anthropic_standin).generate(prose_page, input)
    assert result.output.text == text.removesuffix(" Then he smiled.")
    [request] = anthropic_standin.messages_requests()
    told = request.body["tools"][0]["input_schema"]["properties"]
    assert told["page_number"]["const"] == 3 and "2-3 sentences and 20-40 words" in told["text"]["description"]
