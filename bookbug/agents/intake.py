"""The intake turn: fold the user's last answer into the brief and ask the next question."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from bookbug.agents.base import Agent, ChatTurn, as_json
from bookbug.agents.chips import MAX_CHIPS, MIN_CHIPS, NO_CATCH_ALL, check_chips, chips_description, chips_schema
from bookbug.agents.complete_brief import add_complete_brief
from bookbug.agents.language import INTAKE_RULE, writing_in
from bookbug.safety import Concern, concerns_for_a_model
from bookbug.story.art_styles import PRESETS
from bookbug.story.brief import FIELD_NEEDS, Brief, Need
from bookbug.story.text_fields import Text

SURPRISE_ME = "Surprise me!"


class IntakeInput(BaseModel):
    brief: Brief
    conversation: list[ChatTurn] = Field(default_factory=list, description="oldest first; the last user turn is the answer")

    @property
    def answer(self) -> str | None:
        """The user's newest message, if the conversation ends with one."""
        if self.conversation and self.conversation[-1].role == "user":
            return self.conversation[-1].content
        return None


class IntakeTurn(BaseModel):
    brief: Brief = Field(description="the whole brief with the answer folded in")
    message: Text = Field(min_length=1, max_length=1200, description="what the assistant says: the next question, or a summary when done")
    chips: list[str] = Field(default_factory=list, description=chips_description(
        f"{MIN_CHIPS}-{MAX_CHIPS} quick replies for the question; empty when done"))
    done: bool = Field(description="true only when every required field of the brief is filled")
    concern: Concern | None = Field(default=None, description=(
        "what the user's last message asks for that does not belong in a picture book for young children, if "
        "anything (then the brief is returned unchanged, the message kindly says what you can't make, the chips "
        "are 3 close alternatives, and done is false); null when the message is fine"))

    @model_validator(mode="after")
    def _finish_only_when_complete(self) -> IntakeTurn:
        if self.done and self.concern is not None:
            raise PydanticCustomError("concern_when_done", "done is true but the answer raised a concern ({concern}): "
                                      "ask again instead", {"concern": self.concern})
        if self.done:
            if not self.brief.is_complete:
                raise ValueError("done is true but the brief still misses: " + ", ".join(self.brief.missing(Need.required)))
        else:
            self.chips = check_chips(self.chips, low=MIN_CHIPS, high=MAX_CHIPS)
        return self

    @classmethod
    def tool_schema(cls, schema: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """`schema` (this model's JSON schema) with the rules that depend on `done`."""
        # JSON Schema's if/then/else says it, and is allowed at the top level of a tool's
        # input_schema, where anyOf/oneOf/allOf are not.
        schema["if"] = {"properties": {"done": {"const": True}}}
        schema["then"] = {"properties": {"brief": {"$ref": add_complete_brief(schema)}, "concern": {"const": None}}}
        schema["else"] = {"properties": {"chips": chips_schema(MIN_CHIPS, MAX_CHIPS)}, "required": ["chips"]}
        return schema


def _fields_table() -> str:
    return "\n".join(f"- {name}: {need.value}" for name, need in FIELD_NEEDS.items())


SYSTEM = f"""You are Bookbug, a warm, playful helper who interviews a parent to plan a personalised
children's picture book. Each turn you receive the brief so far and the conversation.

Do two things every turn:
1. Record what the user's last message says in the brief. One message may fill several
   fields (a pasted idea can give characters, setting, story arc, moral and art style at
   once): fill every field it answers; keep every field already filled unless the user
   changes it. Understand plain answers: names, ages ("she's 4" means age_range 4-4),
   "a dragon who is afraid of the dark" (a character and the story arc), "12 pages".
   Add the fields you asked about to asked_about.
2. Ask the next question: ONE question, friendly and short, about the first field still
   missing, with 3-5 chips (short quick replies). {NO_CATCH_ALL.statement}

Field kinds (in asking order): required fields must be filled before you finish; "asked"
fields are asked once (leave them empty if the user skips; defaults apply); optional fields
are never asked but filled when offered.
{_fields_table()}

Characters: the child hero first (role "hero"), with a visual description (body, colours,
clothing, props) an illustrator can draw consistently. age_range is two ages from 2 to 12.
art_style: if the user names one of these presets, set preset to its id: {", ".join(PRESETS)};
otherwise invent a style with genre, medium, technique and strength (0-1).
page_count is 8-32. format is one of square-small, square-large, landscape, portrait-small,
portrait-large.

Suitability: Bookbug's books are for young children. If the user's last message asks for something
that does not belong in one, do not record it: set concern to its kind, return the brief exactly as
it was, and in the message say kindly, in a sentence, what you can't make, then offer 3 chips that
are close alternatives (keep their characters and setting, change only what does not belong). The kinds:
{concerns_for_a_model()}
Judge what is asked, not single words: "a shark who is afraid of the dark", a killer whale, a
water-gun fight, a friendly monster, a gentle book about a pet who died, and (for six and over) a
spooky Halloween party are all fine; "a shark who eats people" is not. Otherwise concern is null.

If the user says "surprise me", choose every missing field yourself, imaginatively and
suitably for the child, and finish. Set done to true only when every required field is
filled and nothing asked-about is left to ask; then the message summarises the book plan
in two or three sentences and chips is empty.

{INTAKE_RULE}"""


def render(input: IntakeInput) -> str:
    lines = [f"The brief so far:\n{as_json(input.brief)}", "", "Still to ask (in order): "
             + (", ".join(input.brief.still_to_ask()) or "nothing")]
    if input.conversation:
        lines += ["", "The latest messages of the conversation (the brief holds what was said before them):"]
        lines += [f"{turn.role}: {turn.content}" for turn in input.conversation]
    else:
        lines += ["", "The conversation has not started: greet the user and ask the first question."]
    return "\n".join(lines) + writing_in(input.brief)


intake_turn: Agent[IntakeInput, IntakeTurn] = Agent(
    name="intake_turn",
    description="Record the user's answer in the brief and ask the next question with chips.",
    system=SYSTEM,
    render=render,
    input_type=IntakeInput,
    output_type=IntakeTurn,
    tier="fast",
)
