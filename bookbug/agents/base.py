"""What an agent is: a prompt (system text + a rendering of the input) and an output schema.

Agents hold no provider code: the same agent runs on Claude or on the offline writer. Every
reply, from either provider, is validated by `Agent.parse`, with a validation context built
from the input, so rules that depend on the book (word limits, the chosen art style, which
characters exist) are enforced by the schema itself. Where a fix is harmless (stray
whitespace, repeated or surplus chips, a page a little over its band) the output models'
validators repair the reply rather than refuse it.

`Agent.tool` is the tool a model is made to call: the output model's JSON schema, completed by
the model's `tool_schema(schema, context)` when it has one, with the rules pydantic cannot
place there (those that depend on the book, or on another field). A tool's schema is all a model
sees of our rules, so it states every rule JSON Schema can; the rest are `WordedRule`s, told
in the prompt or a field description (tests/agents/test_schema_contract.py holds us to it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

I = TypeVar("I", bound=BaseModel)  # noqa: E741 - an agent's input type
O = TypeVar("O", bound=BaseModel)  # noqa: E741 - an agent's output type
M = TypeVar("M", bound=BaseModel)  # any model, in as_json's list (list[Character] is not a list[BaseModel])

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
    # The parts of the user message that come first and repeat from call to call (the brief, the
    # plot, the pages written so far, one part each, in order), so a model provider can cache
    # them; `render` then gives only the rest. None: the whole message is `render`'s.
    stable: Callable[[I], list[str]] | None = None
    # The tool's context when requests are cached: the tool comes first in a cached prefix, so it
    # must not change from call to call (a page's number, say, is then said in the prompt and
    # still checked by `parse`). None: the tool does not change anyway.
    stable_context: Callable[[I], dict[str, Any]] | None = None

    def blocks(self, input: I) -> list[str]:
        """The user message in parts: the stable ones first, the part that changes last."""
        if not isinstance(input, self.input_type):
            raise TypeError(f"agent {self.name} takes {self.input_type.__name__}, not {type(input).__name__}")
        return [*(self.stable(input) if self.stable is not None else []), self.render(input)]

    def prompt(self, input: I) -> str:
        return "\n\n".join(self.blocks(input))

    def tool(self, input: I, *, stable: bool = False) -> dict[str, Any]:
        """The tool a model is made to call for `input`: name, description and input schema
        (`stable`: the same for every call of the book, for a cached prefix)."""
        schema = self.output_type.model_json_schema()
        complete: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = getattr(
            self.output_type, "tool_schema", None)
        if complete is not None:
            context = self.stable_context if stable and self.stable_context is not None else self.context
            schema = complete(schema, context(input))
        return {"name": self.name, "description": self.description, "input_schema": schema}

    def parse(self, data: Any, input: I) -> O:
        """The reply as the output schema, repaired where harmless and checked against the book;
        raises pydantic.ValidationError."""
        if isinstance(data, BaseModel):
            data = data.model_dump(mode="json")
        return self.output_type.model_validate(data, context=self.context(input))


class ChatTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20000)
    chips: list[str] = Field(default_factory=list)


def as_json(model: BaseModel | list[M]) -> str:
    """A model (or list) as compact, readable JSON for a prompt."""
    if isinstance(model, list):
        return json.dumps([m.model_dump(mode="json", exclude_none=True) for m in model], indent=1, ensure_ascii=False)
    return model.model_dump_json(indent=1, exclude_none=True)
