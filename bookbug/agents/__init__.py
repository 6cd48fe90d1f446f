"""The agents: each one a prompt plus an output schema, runnable on any text provider."""

from bookbug.agents.art_direction import IllustrationBeatInput, StyleGuideInput, illustration_beat, style_guide
from bookbug.agents.base import Agent, ChatTurn
from bookbug.agents.intake import SURPRISE_ME, IntakeInput, IntakeTurn, intake_turn
from bookbug.agents.plot import PlotProposal, PlotProposalInput, PlotReview, PlotReviewInput, plot_proposal, plot_review
from bookbug.agents.prose import ProsePageInput, ProseSetupInput, prose_page, prose_setup
from bookbug.agents.review import PageReview, PageReviewInput, page_review

ALL_AGENTS: tuple[Agent, ...] = (intake_turn, plot_proposal, plot_review, prose_setup, prose_page, page_review,
                                 style_guide, illustration_beat)

__all__ = [
    "ALL_AGENTS", "Agent", "ChatTurn", "IllustrationBeatInput", "IntakeInput", "IntakeTurn", "PageReview",
    "PageReviewInput", "PlotProposal", "PlotProposalInput", "PlotReview", "PlotReviewInput", "ProsePageInput",
    "ProseSetupInput", "SURPRISE_ME", "StyleGuideInput", "illustration_beat", "intake_turn", "page_review",
    "plot_proposal", "plot_review", "prose_page", "prose_setup", "style_guide",
]
