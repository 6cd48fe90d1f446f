"""The agents: each one a prompt plus an output schema, runnable on any text provider."""

from bookbug.agents.art_direction import IllustrationBeatInput, StyleGuideInput, illustration_beat, style_guide
from bookbug.agents.base import Agent, ChatTurn
from bookbug.agents.intake import SURPRISE_ME, IntakeInput, IntakeTurn, intake_turn
from bookbug.agents.plot import PlotProposal, PlotProposalInput, PlotReview, PlotReviewInput, plot_proposal, plot_review
from bookbug.agents.prose import ProsePageInput, ProseSetupInput, prose_page, prose_setup

ALL_AGENTS: tuple[Agent, ...] = (intake_turn, plot_proposal, plot_review, prose_setup, prose_page, style_guide,
                                 illustration_beat)

__all__ = [
    "ALL_AGENTS", "Agent", "ChatTurn", "IllustrationBeatInput", "IntakeInput", "IntakeTurn", "PlotProposal",
    "PlotProposalInput", "PlotReview", "PlotReviewInput", "ProsePageInput", "ProseSetupInput", "SURPRISE_ME",
    "StyleGuideInput", "illustration_beat", "intake_turn", "plot_proposal", "plot_review", "prose_page", "prose_setup",
    "style_guide",
]
