"""Driving the offline writer through a book the way the workflow will."""

from __future__ import annotations

from bookbug.agents import (
    ChatTurn, IllustrationBeatInput, IntakeInput, IntakeTurn, ProsePageInput, ProseSetupInput, StyleGuideInput,
    illustration_beat, intake_turn, prose_page, prose_setup, style_guide,
)
from bookbug.providers.text.offline import OfflineWriter
from bookbug.story import Brief, IllustrationBeat, Manuscript, Plot, StyleGuide, page_plan


def converse(writer: OfflineWriter, answers: list[str], brief: Brief | None = None,
             max_turns: int = 20) -> tuple[list[IntakeTurn], list[ChatTurn]]:
    """Answer the intake's questions in order until it is done (or the answers run out)."""
    brief, conversation, turns, answers = brief or Brief(), [], [], list(answers)
    for _ in range(max_turns):
        turn = writer.run(intake_turn, IntakeInput(brief=brief, conversation=conversation)).output
        turns.append(turn)
        conversation.append(ChatTurn(role="assistant", content=turn.message, chips=turn.chips))
        brief = turn.brief
        if turn.done or not answers:
            break
        conversation.append(ChatTurn(role="user", content=answers.pop(0)))
    return turns, conversation


def write_book(writer: OfflineWriter, brief: Brief, plot: Plot) -> tuple[Manuscript, StyleGuide, list[IllustrationBeat]]:
    setup = writer.run(prose_setup, ProseSetupInput(brief=brief, plot=plot)).output
    pages = []
    plans = page_plan(plot, brief.pages)
    for plan in plans:
        input = ProsePageInput(brief=brief, plot=plot, setup=setup, page=plan, pages_so_far=pages)
        pages.append(writer.run(prose_page, input).output)
    guide = writer.run(style_guide, StyleGuideInput(brief=brief, plot=plot, setup=setup)).output
    beats: list[IllustrationBeat] = []
    for plan, page in zip(plans, pages):
        input = IllustrationBeatInput(brief=brief, style_guide=guide, plan=plan, page=page,
                                      previous_beat=beats[-1] if beats else None)
        beats.append(writer.run(illustration_beat, input).output)
    return Manuscript(setup=setup, pages=pages), guide, beats
