"""Plot proposal and plot review: propose the beats, then read the user's reply as approval or changes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from bookbug.agents.base import Agent, ChatTurn, as_json
from bookbug.agents.chips import DISTINCT, NO_CATCH_ALL, Chips, chip_key, chips_description, is_catch_all
from bookbug.agents.complete_brief import add_complete_brief
from bookbug.agents.language import writing_in
from bookbug.safety import Concern, concerns_for_a_model
from bookbug.story.brief import Brief
from bookbug.story.plot import MAX_BEATS, MIN_BEATS, ONE_SENTENCE, BeatPurpose, Plot
from bookbug.story.text_fields import Line, Text

MIN_CHANGE_CHIPS, MAX_CHANGE_CHIPS = 2, 4


class PlotProposalInput(BaseModel):
    brief: Brief


class PlotProposal(BaseModel):
    plot: Plot
    message: Text = Field(min_length=1, max_length=1500, description="presents the plot and asks for approval or changes")
    change_chips: Annotated[list[str], Chips(MIN_CHANGE_CHIPS, MAX_CHANGE_CHIPS)] = Field(description=chips_description(
        f"{MIN_CHANGE_CHIPS}-{MAX_CHANGE_CHIPS} short change suggestions, e.g. 'Make it funnier'"))
    approval_chip: Line = Field(min_length=2, max_length=60, description=(
        "the approval quick reply, e.g. 'Love it - write the book!'; it is shown after the change chips and "
        "differs from them"))

    @model_validator(mode="after")
    def _approval_chip_stands_apart(self) -> PlotProposal:
        if is_catch_all(self.approval_chip):
            raise NO_CATCH_ALL.broken(f"the approval chip {self.approval_chip!r} is a catch-all")
        # A change chip that repeats the approval chip is dropped: the approval chip is shown anyway.
        changes = [chip for chip in self.change_chips if chip_key(chip) != chip_key(self.approval_chip)]
        if len(changes) < MIN_CHANGE_CHIPS:
            raise DISTINCT.broken(f"the approval chip {self.approval_chip!r} repeats a change chip, leaving "
                                  f"{len(changes)} change chips of the {MIN_CHANGE_CHIPS}-{MAX_CHANGE_CHIPS} needed")
        self.change_chips = changes
        return self

    @property
    def chips(self) -> list[str]:
        """Quick replies as shown: the change suggestions, and the approval chip always last."""
        return [*self.change_chips, self.approval_chip]


class PlotReviewInput(BaseModel):
    brief: Brief
    plot: Plot
    reply: str = Field(min_length=1, max_length=4000, description="the user's answer to the proposed plot")
    conversation: list[ChatTurn] = Field(default_factory=list)


class PlotReview(PlotProposal):
    approved: bool = Field(description="true when the reply approves the plot as it is")
    brief: Brief = Field(description="the brief, updated when the reply changes a character or the premise")
    concern: Concern | None = Field(default=None, description=(
        "what the reply asks for that does not belong in a picture book for young children, if anything (then "
        "approved is false, the plot and brief are returned unchanged, the message kindly says what you can't "
        "change, and the change chips are close alternatives); null when the reply is fine"))

    @model_validator(mode="after")
    def _complete_brief(self) -> PlotReview:
        if self.approved and self.concern is not None:
            raise PydanticCustomError("concern_when_approved", "approved is true but the reply raised a concern "
                                      "({concern})", {"concern": self.concern})
        self.brief.require_complete()
        return self

    @classmethod
    def tool_schema(cls, schema: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """`schema` (this model's JSON schema) asking for a complete brief, and no concern on approval."""
        schema["properties"]["brief"]["$ref"] = add_complete_brief(schema)
        schema["if"] = {"properties": {"approved": {"const": True}}}
        schema["then"] = {"properties": {"concern": {"const": None}}}
        schema["else"] = {}
        return schema


_PURPOSES = ", ".join(p.value for p in BeatPurpose)

_PLOT_RULES = f"""A plot has {MIN_BEATS}-{MAX_BEATS} beats. Each beat has a purpose ({_PURPOSES}).
{ONE_SENTENCE.statement} Start with setup, end with payoff or button. The child hero solves the problem
through their own actions and choices: no adult, magic or luck fixes it for them. Show the
moral through what happens; never state it as a lesson. Keep everything gentle and suitable
for the readers' ages: no peril that would frighten them, no violence. Use the brief's
characters, setting, interests and any plot beats the user asked for."""

PROPOSAL_SYSTEM = f"""You are Bookbug, a children's picture-book author. Propose a plot for the brief.
{_PLOT_RULES}
Write the message as a short, warm note to the parent that lists the beats and asks whether
to write it or change something. Offer 2-4 change_chips (specific ideas such as
"Add a funny moment") and an approval_chip. {NO_CATCH_ALL.statement}"""

REVIEW_SYSTEM = f"""You are Bookbug, a children's picture-book author. The parent has replied to the plot
you proposed. Decide whether the reply approves it ("yes", "looks great", "write it", the
approval chip) or asks for changes ("make the dragon friendly", "change beat 3", "add a
picnic").
- Approval: approved is true; return the plot and brief unchanged with a short happy message.
- Changes: approved is false; revise the plot (and the brief when a character or the
  premise changes, e.g. add the trait "friendly" to the dragon), then present the revised
  beats and ask again, with 2-4 change_chips and an approval_chip. {NO_CATCH_ALL.statement}
- A change that does not belong in a picture book for young children: approved is false,
  concern names its kind, the plot and brief stay exactly as they were, the message kindly
  says what you can't change, and the change_chips are close alternatives. The kinds:
{concerns_for_a_model()}
  Judge what is asked, not single words ("make the shark afraid of the dark" is fine).
{_PLOT_RULES}"""


def render_proposal(input: PlotProposalInput) -> str:
    return (f"The brief:\n{as_json(input.brief)}\n\nThe book has {input.brief.pages} pages. Propose the plot."
            + writing_in(input.brief))


def render_review(input: PlotReviewInput) -> str:
    return (f"The brief:\n{as_json(input.brief)}\n\nThe proposed plot:\n{input.plot.title}\n{input.plot.outline()}"
            f"\n\nThe parent's reply:\n{input.reply}" + writing_in(input.brief))


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
