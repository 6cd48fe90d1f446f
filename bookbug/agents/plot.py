"""Plot proposal and plot review: propose the beats, then read the user's reply as approval or changes."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator, model_validator

from bookbug.agents.base import Agent, ChatTurn, as_json, check_chips
from bookbug.story.brief import Brief
from bookbug.story.plot import MAX_BEATS, MIN_BEATS, BeatPurpose, Plot


class PlotProposalInput(BaseModel):
    brief: Brief


class PlotProposal(BaseModel):
    plot: Plot
    message: str = Field(min_length=1, max_length=1500, description="presents the plot and asks for approval or changes")
    change_chips: list[str] = Field(description="2-4 short change suggestions, e.g. 'Make it funnier'")
    approval_chip: str = Field(min_length=2, max_length=60, description="the approval quick reply, e.g. 'Love it - write the book!'")

    @field_validator("change_chips")
    @classmethod
    def _change_chips(cls, chips: list[str]) -> list[str]:
        return check_chips(chips, low=2, high=4)

    @property
    def chips(self) -> list[str]:
        """Quick replies as shown: the change suggestions, and the approval chip always last."""
        return check_chips([*self.change_chips, self.approval_chip])


class PlotReviewInput(BaseModel):
    brief: Brief
    plot: Plot
    reply: str = Field(min_length=1, max_length=4000, description="the user's answer to the proposed plot")
    conversation: list[ChatTurn] = Field(default_factory=list)


class PlotReview(PlotProposal):
    approved: bool = Field(description="true when the reply approves the plot as it is")
    brief: Brief = Field(description="the brief, updated when the reply changes a character or the premise")

    @model_validator(mode="after")
    def _complete_brief(self) -> "PlotReview":
        self.brief.require_complete()
        return self


_PURPOSES = ", ".join(p.value for p in BeatPurpose)

_PLOT_RULES = f"""A plot has {MIN_BEATS}-{MAX_BEATS} beats. Each beat has a purpose ({_PURPOSES}) and exactly one
sentence. Start with setup, end with payoff or button. The child hero solves the problem
through their own actions and choices: no adult, magic or luck fixes it for them. Show the
moral through what happens; never state it as a lesson. Keep everything gentle and suitable
for the readers' ages: no peril that would frighten them, no violence. Use the brief's
characters, setting, interests and any plot beats the user asked for."""

PROPOSAL_SYSTEM = f"""You are Bookbug, a children's picture-book author. Propose a plot for the brief.
{_PLOT_RULES}
Write the message as a short, warm note to the parent that lists the beats and asks whether
to write it or change something. Offer 2-4 change_chips (specific ideas such as
"Add a funny moment") and an approval_chip; never "Other" or "None"."""

REVIEW_SYSTEM = f"""You are Bookbug, a children's picture-book author. The parent has replied to the plot
you proposed. Decide whether the reply approves it ("yes", "looks great", "write it", the
approval chip) or asks for changes ("make the dragon friendly", "change beat 3", "add a
picnic").
- Approval: approved is true; return the plot and brief unchanged with a short happy message.
- Changes: approved is false; revise the plot (and the brief when a character or the
  premise changes, e.g. add the trait "friendly" to the dragon), then present the revised
  beats and ask again, with 2-4 change_chips and an approval_chip.
{_PLOT_RULES}"""


def render_proposal(input: PlotProposalInput) -> str:
    return f"The brief:\n{as_json(input.brief)}\n\nThe book has {input.brief.pages} pages. Propose the plot."


def render_review(input: PlotReviewInput) -> str:
    return (f"The brief:\n{as_json(input.brief)}\n\nThe proposed plot:\n{input.plot.title}\n{input.plot.outline()}"
            f"\n\nThe parent's reply:\n{input.reply}")


plot_proposal: Agent[PlotProposalInput, PlotProposal] = Agent(
    name="plot_proposal",
    description="Propose the plot beats for a complete brief.",
    system=PROPOSAL_SYSTEM,
    render=render_proposal,
    input_type=PlotProposalInput,
    output_type=PlotProposal,
)

plot_review: Agent[PlotReviewInput, PlotReview] = Agent(
    name="plot_review",
    description="Read the parent's reply to a plot as approval or changes, and revise.",
    system=REVIEW_SYSTEM,
    render=render_review,
    input_type=PlotReviewInput,
    output_type=PlotReview,
)
