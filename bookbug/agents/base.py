"""What an agent is: a prompt (system text + a rendering of the input) and an output schema.

Agents hold no provider code: the same agent runs on Claude or on the offline writer. Every
reply, from either provider, is validated by `Agent.parse`, with a validation context built
from the input, so rules that depend on the book (word limits, the chosen art style, which
characters exist) are enforced by the schema itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

I = TypeVar("I", bound=BaseModel)
O = TypeVar("O", bound=BaseModel)

Tier = Literal["main", "fast"]


def _no_context(_: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Agent(Generic[I, O]):
    name: str  # also the tool name Claude is asked to call: letters, digits, underscores
    description: str
    system: str
    render: Callable[[I], str]  # the user message for one input
    input_type: type[I]
    output_type: type[O]
    context: Callable[[I], dict[str, Any]] = field(default=_no_context)
    tier: Tier = "main"  # "fast" agents run on the cheaper model
    max_tokens: int = 4096

    def prompt(self, input: I) -> str:
        if not isinstance(input, self.input_type):
            raise TypeError(f"agent {self.name} takes {self.input_type.__name__}, not {type(input).__name__}")
        return self.render(input)

    def parse(self, data: Any, input: I) -> O:
        """The reply as the output schema, checked against the book; raises pydantic.ValidationError."""
        if isinstance(data, BaseModel):
            data = data.model_dump(mode="json")
        return self.output_type.model_validate(data, context=self.context(input))


class ChatTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20000)
    chips: list[str] = Field(default_factory=list)


# Chips are quick replies; the free-text box is always there, so a catch-all chip is noise.
_CATCH_ALL = {"other", "none", "something else", "none of these", "none of the above"}
MIN_CHIPS, MAX_CHIPS = 3, 5


def check_chips(chips: list[str], *, low: int = MIN_CHIPS, high: int = MAX_CHIPS) -> list[str]:
    cleaned = [" ".join(chip.split()) for chip in chips]
    if any(not chip for chip in cleaned):
        raise ValueError("a chip cannot be empty")
    if not low <= len(cleaned) <= high:
        raise ValueError(f"offer {low}-{high} chips, not {len(cleaned)}")
    catch_all = [c for c in cleaned if re.sub(r"[^a-z ]", "", c.lower()).strip() in _CATCH_ALL]
    if catch_all:
        raise ValueError(f"no catch-all chips like {catch_all}: the user can always type their own answer")
    if len({c.lower() for c in cleaned}) != len(cleaned):
        raise ValueError("chips must all differ")
    return cleaned


def as_json(model: BaseModel | list[BaseModel]) -> str:
    """A model (or list) as compact, readable JSON for a prompt."""
    if isinstance(model, list):
        return json.dumps([m.model_dump(mode="json", exclude_none=True) for m in model], indent=1, ensure_ascii=False)
    return model.model_dump_json(indent=1, exclude_none=True)
