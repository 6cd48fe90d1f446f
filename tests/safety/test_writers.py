"""The table through both writers: the offline writer reads each request with the maintained list;
the Claude path (the real anthropic SDK against the stand-in, answering as the offline writer does)
carries the intake's and the plot review's `concern` through the tool schema and the parse. A
declined request changes nothing in the brief and is answered kindly with three close ideas."""

from __future__ import annotations

import pytest

from bookbug.agents import (
    ChatTurn, IntakeInput, PlotProposalInput, PlotReviewInput, intake_turn, plot_proposal, plot_review,
)
from bookbug.providers.text.claude import ClaudeWriter, InvalidReplyError
from bookbug.providers.text.offline import OfflineWriter
from bookbug.safety import screen
from bookbug.settings import Settings
from bookbug.story import AgeRange, Brief, Character, VisualDescription, get_preset
from tests.safety.requests import CHANGES, REQUESTS, Request
from tests.standins.claude_offline import carry_inputs, offline_claude

QUESTION = ChatTurn(role="assistant", content="What should happen in the story?",
                    chips=["A dragon who is afraid of the dark", "A shy fox who wants a friend", "Surprise me!"])
HERO = Character(name="Noor", role="hero", visual=VisualDescription(body="girl with a yellow raincoat"))


def asked(row: Request) -> IntakeInput:
    """The intake asking for the story idea, for a child whose age is known (when the row says)."""
    brief = Brief(characters=[HERO], asked_about=["characters", "age_range", "story_arc"],
                  age_range=AgeRange(min=row.youngest, max=row.youngest) if row.youngest else None)
    return IntakeInput(brief=brief, conversation=[QUESTION, ChatTurn(role="user", content=row.text)])


def check_turn(row: Request, input: IntakeInput, reply) -> None:  # type: ignore[no-untyped-def]
    assert reply.concern == row.concern, reply.message
    if row.concern is None:
        assert not reply.message.startswith("I'm sorry")
        return
    assert reply.brief == input.brief, "a declined request changes nothing in the brief"
    assert not reply.done and len(reply.chips) == 3
    assert reply.message.startswith("I'm sorry") and "leave out" in reply.message
    for chip in reply.chips:
        assert screen(chip, youngest=row.youngest) is None


@pytest.mark.parametrize("row", REQUESTS, ids=lambda row: row.text[:40])
def test_the_offline_intake_passes_or_declines_each_request(row: Request) -> None:
    input = asked(row)
    reply = OfflineWriter().run(intake_turn, input).output
    check_turn(row, input, reply)


def test_the_age_in_the_same_message_decides_what_is_too_frightening() -> None:
    writer = OfflineWriter()
    for text, concern in (("My son is 4. A spooky haunted house adventure", "frightening"),
                          ("My son is 8. A spooky haunted house adventure", None)):
        input = IntakeInput(brief=Brief(), conversation=[QUESTION, ChatTurn(role="user", content=text)])
        assert writer.run(intake_turn, input).output.concern == concern


@pytest.fixture(scope="module")
def complete_brief() -> Brief:
    return Brief(characters=[HERO], age_range=AgeRange(min=5, max=6), story_arc="Noor builds a kite",
                 setting="a windy hill", art_style=get_preset("watercolor"))


@pytest.mark.parametrize("row", CHANGES, ids=lambda row: row.text[:40])
def test_the_offline_plot_review_keeps_the_plot_when_a_change_is_declined(row: Request, complete_brief: Brief) -> None:
    writer = OfflineWriter()
    brief = complete_brief.model_copy(update={"age_range": AgeRange(min=row.youngest or 5, max=row.youngest or 5)})
    plot = writer.run(plot_proposal, PlotProposalInput(brief=brief)).output.plot
    review = writer.run(plot_review, PlotReviewInput(brief=brief, plot=plot, reply=row.text)).output
    assert review.concern == row.concern
    if row.concern is not None:
        assert review.plot == plot and review.brief == brief and not review.approved
        assert all(screen(chip, youngest=2) is None for chip in review.change_chips)


def claude_at(standin) -> ClaudeWriter:  # type: ignore[no-untyped-def]
    return ClaudeWriter(Settings(anthropic_api_key="sk-ant-test", anthropic_base_url=standin.url), timeout=10)


async def test_the_claude_path_carries_each_concern_answer_through_the_tool_schema(anthropic_standin) -> None:
    anthropic_standin.responder = offline_claude
    claude = claude_at(anthropic_standin)
    with carry_inputs():
        for row in REQUESTS:
            input = asked(row)
            reply = (await claude.generate(intake_turn, input)).output
            check_turn(row, input, reply)
    tools = [request.body["tools"][0] for request in anthropic_standin.messages_requests()]
    concern = tools[0]["input_schema"]["properties"]["concern"]
    assert {"violence", "real_person", "frightening"} <= set(concern["anyOf"][0]["enum"])
    assert "shark who eats people" in anthropic_standin.messages_requests()[0].body["system"]


async def test_the_claude_path_carries_a_declined_plot_change(anthropic_standin, complete_brief: Brief) -> None:
    anthropic_standin.responder = offline_claude
    plot = OfflineWriter().run(plot_proposal, PlotProposalInput(brief=complete_brief)).output.plot
    with carry_inputs():
        review = (await claude_at(anthropic_standin).generate(plot_review, PlotReviewInput(
            brief=complete_brief, plot=plot, reply="make the dragon eat the villagers"))).output
    assert review.concern == "violence" and review.plot == plot and not review.approved


async def test_claude_cannot_finish_the_intake_on_an_answer_it_declined(anthropic_standin) -> None:
    input = asked(Request("a shark who eats people", 5, "violence"))
    brief = Brief(characters=[HERO], age_range=AgeRange(min=5, max=5), story_arc="a shark who eats people",
                  setting="the sea", art_style=get_preset("watercolor"))
    finished = {"brief": brief.model_dump(mode="json"), "message": "Done!", "chips": [], "done": True,
                "concern": "violence"}
    anthropic_standin.reply_tool("intake_turn", finished)
    anthropic_standin.reply_tool("intake_turn", finished)
    with pytest.raises(InvalidReplyError) as refused:
        await claude_at(anthropic_standin).generate(intake_turn, input)
    assert "concern_when_done" in str(refused.value)
    repair = str(anthropic_standin.messages_requests()[1].body["messages"][-1]["content"])
    assert "raised a concern (violence)" in repair, "Claude was told why in its repair request"
