"""A Messages API stand-in that answers like Claude for whole books: every request is answered by
the offline writer, running the same agent on the same input, through the real anthropic SDK.

The Claude writer's prompts are for a model to read, not for a program to parse back; so in
the tests the agents' prompts also carry their input as JSON (`carry_inputs`), which this
responder reads to run the offline writer's agent of the same name. Everything between (the
SDK, HTTP, the tool schema, the reply's validation and repair, retries, rate limits) is the
real Claude path. Vision scoring requests get a passing score.

    with AnthropicStandIn() as claude, carry_inputs():
        claude.responder = offline_claude
    # separate worker processes: set BOOKBUG_STANDIN_CARRY_INPUTS=1; the test workers call
    # carry_inputs_if_asked() at start-up
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bookbug import agents
from bookbug.agents.base import Agent
from bookbug.providers.text.offline import OfflineWriter
from tests.standins.anthropic import CARRIED, Recorded, Scripted, message_body, tool_use_block

MARKER = CARRIED
ENVIRONMENT = "BOOKBUG_STANDIN_CARRY_INPUTS"


def _agents() -> dict[str, Agent[Any, Any]]:
    return {a.name: a for a in vars(agents).values() if isinstance(a, Agent)}


_ORIGINAL_BLOCKS = Agent.blocks


def _carrying_blocks(self: Agent[Any, Any], input: Any) -> list[str]:
    *stable, last = _ORIGINAL_BLOCKS(self, input)
    return [*stable, last + MARKER + input.model_dump_json()]


@contextmanager
def carry_inputs() -> Iterator[None]:
    """While open, every agent's prompt ends with its input as JSON (for `offline_claude`)."""
    Agent.blocks = _carrying_blocks  # type: ignore[method-assign]
    try:
        yield
    finally:
        Agent.blocks = _ORIGINAL_BLOCKS  # type: ignore[method-assign]


def carry_inputs_if_asked() -> None:
    """For worker processes started by a test: carry inputs for the rest of the process."""
    if os.environ.get(ENVIRONMENT) == "1":
        Agent.blocks = _carrying_blocks  # type: ignore[method-assign]


def _first_text(body: dict[str, Any]) -> str:
    content = body["messages"][0]["content"]
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content if isinstance(block, dict))


def offline_claude(recorded: Recorded) -> Scripted:
    body = recorded.body if isinstance(recorded.body, dict) else {}
    tools = body.get("tools") or [{}]
    name = tools[0].get("name", "")
    if name == "score_illustration":
        scores = {"character_consistency": 90, "environment_consistency": 90, "artefacts": 95,
                  "unwanted_text": 100, "notes": ""}
        return Scripted(200, message_body([tool_use_block(name, scores)], stop_reason="tool_use"))
    agent = _agents().get(name)
    text = _first_text(body) if body.get("messages") else ""
    if agent is None or MARKER not in text:
        return Scripted(400, {"type": "error", "error": {
            "type": "invalid_request_error", "message": f"the offline Claude cannot answer {name!r} here"}})
    input = agent.input_type.model_validate(json.loads(text.split(MARKER, 1)[1]))
    result = asyncio.run(OfflineWriter(seed=len(text)).generate(agent, input))
    output = result.output.model_dump(mode="json")
    return Scripted(200, message_body([tool_use_block(name, output)], stop_reason="tool_use",
                                      input_tokens=max(1, len(text) // 4), output_tokens=len(json.dumps(output)) // 4))
