"""The one text-provider protocol: run an agent on an input, get its validated output and usage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, Field

from bookbug.agents.base import Agent

I = TypeVar("I", bound=BaseModel)  # noqa: E741 - an agent's input type
O = TypeVar("O", bound=BaseModel)  # noqa: E741 - an agent's output type


class TokenUsage(BaseModel):
    """Tokens spent by one agent call (repair attempts included) and what they cost."""

    provider: str
    model: str
    calls: int = Field(default=0, ge=0)
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cache_read_tokens: int = Field(default=0, ge=0)
    cache_write_tokens: int = Field(default=0, ge=0)
    cost_usd: float = Field(default=0.0, ge=0.0, description="an estimate from list prices")

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            provider=self.provider,
            model=self.model if self.model == other.model else f"{self.model}+{other.model}",
            calls=self.calls + other.calls,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            cost_usd=round(self.cost_usd + other.cost_usd, 6),
        )


@dataclass(frozen=True)
class AgentResult(Generic[O]):
    output: O
    usage: TokenUsage

    def to_json(self) -> dict[str, Any]:
        """A checkpoint-friendly form: the output and the usage as plain JSON."""
        return {"output": self.output.model_dump(mode="json"), "usage": self.usage.model_dump(mode="json")}


class TextProvider(Protocol):
    name: str

    @property
    def service(self) -> str | None:
        """The rate limit its calls count against; None: a local writer, no limit. (Read-only here,
        so a writer may declare it as `str` or `None`.)"""
        ...

    async def generate(self, agent: Agent[I, O], input: I) -> AgentResult[O]:
        """Run `agent` on `input`. Raises bookbug.resilience.FatalError when the reply cannot be
        made valid; transport errors propagate as the provider's own exceptions."""
        ...
