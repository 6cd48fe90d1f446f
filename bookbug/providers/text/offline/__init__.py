"""The offline writer: every agent answered locally, with no network, deterministically.

The same brief, input and seed always give the same reply (the random generator is seeded
from a digest of all three), and every reply goes through `Agent.parse` like Claude's, so
the rest of Bookbug cannot tell the writers apart except by the words.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from bookbug.agents.base import Agent
from bookbug.providers.text.offline import art, intake, plotting, suitability, writing
from bookbug.providers.text.protocol import AgentResult, TokenUsage

I = TypeVar("I", bound=BaseModel)  # noqa: E741 - an agent's input type
O = TypeVar("O", bound=BaseModel)  # noqa: E741 - an agent's output type

MODEL = "bookbug-offline-writer"


class OfflineWriter:
    name = "offline"
    service = None  # writes here: no outside service, no rate limit

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._handlers: dict[str, Callable[[Any, random.Random], BaseModel]] = {
            "intake_turn": intake.take_turn,
            "plot_proposal": lambda input, rng: plotting.propose(input, self.seed, rng),
            "plot_review": lambda input, rng: plotting.review(input, self.seed, rng),
            "prose_setup": lambda input, rng: writing.write_setup(input),
            "prose_page": writing.write_page,
            "page_review": suitability.review_page,
            "style_guide": art.style_guide,
            "illustration_beat": art.illustration_beat,
        }

    async def generate(self, agent: Agent[I, O], input: I) -> AgentResult[O]:
        return self.run(agent, input)

    def run(self, agent: Agent[I, O], input: I) -> AgentResult[O]:
        """The synchronous core of `generate` (the offline writer never waits on anything)."""
        handler = self._handlers.get(agent.name)
        if handler is None:
            raise ValueError(f"the offline writer does not know the agent {agent.name!r}")
        agent.prompt(input)  # checks the input type, exactly as the Claude writer would
        reply = handler(input, self._rng(agent, input))
        return AgentResult(agent.parse(reply, input), TokenUsage(provider=self.name, model=MODEL, calls=1))

    def _rng(self, agent: Agent[Any, Any], input: BaseModel) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}\n{agent.name}\n{input.model_dump_json()}".encode()).hexdigest()
        return random.Random(int(digest[:16], 16))
