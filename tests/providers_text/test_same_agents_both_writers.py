"""Each agent is a prompt and a schema: what one writer returns, the other accepts the same way."""

import pytest

from bookbug.agents import PlotProposalInput, PlotReviewInput, StyleGuideInput, plot_proposal, plot_review, style_guide
from bookbug.agents import ProseSetupInput, prose_setup
from bookbug.providers.text.claude import ClaudeWriter
from bookbug.providers.text.offline import OfflineWriter
from bookbug.settings import Settings

from tests.providers_text.helpers import converse

SCRIPT = ["My son Leo", "6-8 years", "a robot who wants to learn to dance", "A busy little harbour", "claymation"]


@pytest.fixture(scope="module")
def brief():
    return converse(OfflineWriter(), [*SCRIPT, "surprise me"])[0][-1].brief


async def test_every_book_agent_reply_of_the_offline_writer_parses_through_claude(anthropic_standin, brief):
    offline = OfflineWriter()
    proposal = offline.run(plot_proposal, PlotProposalInput(brief=brief)).output
    review_input = PlotReviewInput(brief=brief, plot=proposal.plot, reply="make the robot braver")
    setup_input = ProseSetupInput(brief=brief, plot=proposal.plot)
    setup = offline.run(prose_setup, setup_input).output
    guide_input = StyleGuideInput(brief=brief, plot=proposal.plot, setup=setup)
    cases = [(plot_proposal, PlotProposalInput(brief=brief)), (plot_review, review_input), (prose_setup, setup_input),
             (style_guide, guide_input)]
    claude = ClaudeWriter(Settings(anthropic_api_key="sk-test", anthropic_base_url=anthropic_standin.url,
                                   anthropic_model="claude-sonnet-4-6"), timeout=10)
    for agent, input in cases:
        expected = offline.run(agent, input).output
        anthropic_standin.reply_tool(agent.name, expected.model_dump(mode="json"))
        assert (await claude.generate(agent, input)).output == expected
    assert len(anthropic_standin.messages_requests()) == len(cases)


async def test_a_preset_replaces_the_style_claude_invents(anthropic_standin, brief):
    invented = {"art_style": {"label": "Oil", "genre": "baroque", "medium": "oil on canvas", "technique": "chiaroscuro",
                              "strength": 1.0},
                "setting": "a harbour", "lighting": "dusk", "colour_script": "dark to light", "mood": "grand",
                "avoid": []}
    anthropic_standin.reply_tool("style_guide", invented)
    offline = OfflineWriter()
    plot = offline.run(plot_proposal, PlotProposalInput(brief=brief)).output.plot
    setup = offline.run(prose_setup, ProseSetupInput(brief=brief, plot=plot)).output
    claude = ClaudeWriter(Settings(anthropic_api_key="sk-test", anthropic_base_url=anthropic_standin.url,
                                   anthropic_model="claude-sonnet-4-6"), timeout=10)
    guide = (await claude.generate(style_guide, StyleGuideInput(brief=brief, plot=plot, setup=setup))).output
    assert guide.art_style.preset == "claymation" and guide.art_style.medium != "oil on canvas"
    assert "scary or menacing imagery" in guide.avoid
