"""The Claude writer: every agent through the Messages API, with a forced tool call as the schema.

- Structured output: the agent's tool (`Agent.tool`: its output schema, stating the book's
  rules for this input) is offered as the only tool and Claude must call it; the tool input
  goes through `Agent.parse`, the one parse the offline writer's replies go through too: the
  same harmless repairs, the same book rules.
- A reply that fails validation gets ONE repair attempt (the errors are sent back as the
  tool result); if that fails too, `InvalidReplyError` (a `FatalError`) carries the message.
- The SDK never retries (`max_retries=0`): the engine's retry policy and rate limits own every
  attempt, so SDK exceptions (429, 529, 401, timeouts...) propagate unchanged for
  `bookbug.resilience.classify` to judge.
- Token usage of every call, repairs included, comes back with the output, with a cost estimate;
  each request is also reported to the writer's `Meter` as its reply arrives, before the reply
  is read, so a call whose reply is refused is on the ledger too (bookbug/providers/spending.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from anthropic.types import Message
from pydantic import BaseModel, ValidationError

from bookbug.agents.base import Agent
from bookbug.providers.spending import Meter, Spent, metered, tokens_at_most
from bookbug.providers.text.pricing import estimate_cost
from bookbug.providers.text.protocol import AgentResult, TokenUsage
from bookbug.resilience import FatalError, RetryableError
from bookbug.providers.anthropic_client import anthropic_client
from bookbug.settings import Settings, get_settings

I = TypeVar("I", bound=BaseModel)  # noqa: E741 - an agent's input type
O = TypeVar("O", bound=BaseModel)  # noqa: E741 - an agent's output type

DEFAULT_TIMEOUT_S = 120.0


class InvalidReplyError(RetryableError):
    """Claude's reply still broke the schema after the repair attempt. Another attempt (a fresh
    conversation) usually answers in shape, so it is retryable, within the step's attempts.
    `usage` is what it cost."""

    def __init__(self, message: str, usage: TokenUsage) -> None:
        super().__init__(message, service="anthropic", kind="invalid_reply")
        self.usage = usage


class _Unreadable(Exception):
    """The reply holds no tool call and no JSON we could read."""


class ClaudeWriter:
    name = "claude"
    service = "anthropic"  # the rate limit its calls count against

    def __init__(self, settings: Settings | None = None, *, timeout: float = DEFAULT_TIMEOUT_S,
                 before_request: Callable[[], Awaitable[None]] | None = None,
                 on_throttled: Callable[[float], Awaitable[None]] | None = None,
                 meter: Meter | None = None, caching: bool = False) -> None:
        # `caching` marks the stable start of each request (tools, system, the agent's stable
        # blocks) for Anthropic's prompt cache; `meter` hears of every paid request before it goes and after it is answered;
        # `before_request` runs right before every request (a repair included): the workflows
        # pass the engine's rate limiting here, so each request, not each step, counts;
        # `on_throttled` hears of a 429 at once (see providers/anthropic_client.py)
        settings = settings or get_settings()
        if not settings.anthropic_api_key:
            raise FatalError("the Claude writer needs ANTHROPIC_API_KEY; without it Bookbug uses the offline writer",
                             service="anthropic")
        self._models = {"main": settings.anthropic_model, "fast": settings.anthropic_fast_model}
        self.meter = meter
        self.caching = caching
        self.client = anthropic_client(settings, timeout=timeout, before_request=before_request,
                                       on_throttled=on_throttled)

    def model_for(self, agent: Agent[Any, Any]) -> str:
        return self._models[agent.tier]

    async def generate(self, agent: Agent[I, O], input: I) -> AgentResult[O]:
        model = self.model_for(agent)
        tool = agent.tool(input, stable=self.caching)
        messages: list[dict[str, Any]] = [{"role": "user", "content": user_content(agent, input, self.caching)}]
        reply = await self._send(agent, model, tool, messages)
        usage = _usage(model, reply)
        try:
            return AgentResult(_read(agent, input, reply), usage)
        except (ValidationError, _Unreadable) as error:
            messages += [{"role": "assistant", "content": _replayable(reply)},
                         {"role": "user", "content": _repair_request(agent, reply, _explain(error))}]
        reply = await self._send(agent, model, tool, messages)
        usage = usage + _usage(model, reply)
        try:
            return AgentResult(_read(agent, input, reply), usage)
        except (ValidationError, _Unreadable) as error:
            # the operators' words say where and which rule, never the values: they are a family's
            # words and names, and this message is logged and kept with the run
            raise InvalidReplyError(
                f"Claude's {agent.name} reply failed validation after one repair attempt: {_where_and_why(error)}",
                usage) from error

    async def _send(self, agent: Agent[Any, Any], model: str, tool: dict[str, Any],
                    messages: list[dict[str, Any]]) -> Message:
        most = Spent(self.service, model, agent.name, input_tokens=tokens_at_most(agent.system, messages, tool),
                     output_tokens=agent.max_tokens)
        async with metered(self.meter, most) as bill:
            # messages and the tool are plain dicts, not the SDK's TypedDicts
            reply = await self.client.messages.create(  # type: ignore[call-overload]
                model=model,
                max_tokens=agent.max_tokens,
                system=agent.system,
                messages=messages,
                tools=[tool],
                tool_choice={"type": "tool", "name": agent.name},
            )
            bill(**spent_tokens(reply))
        return reply

    async def aclose(self) -> None:
        await self.client.close()


def user_content(agent: Agent[I, Any], input: I, caching: bool) -> str | list[dict[str, Any]]:
    """The request's user message. With caching, one text block per part of the agent's message,
    the last stable part marked as the end of the cached prefix (tools, system and every part up
    to it): the next request of the same agent that starts the same way reads it from the cache
    rather than paying for it again, as each page of a book repeats the pages before it. The
    API finds the longest cached prefix ending at an earlier block too, so page n + 1 reads what
    page n wrote."""
    blocks = agent.blocks(input)
    if not caching or len(blocks) < 2:
        return "\n\n".join(blocks)
    content: list[dict[str, Any]] = [{"type": "text", "text": block} for block in blocks]
    content[-2]["cache_control"] = {"type": "ephemeral"}
    if len(blocks) > 2:  # the first part too (the book's brief, plot and setup), shared by every page
        content[0]["cache_control"] = {"type": "ephemeral"}
    return content


def spent_tokens(reply: Message) -> dict[str, int]:
    """A reply's usage as the ledger counts it (input_tokens excludes what the cache served)."""
    used = reply.usage
    return {"input_tokens": used.input_tokens, "output_tokens": used.output_tokens,
            "cache_read_tokens": used.cache_read_input_tokens or 0,
            "cache_write_tokens": used.cache_creation_input_tokens or 0}


def _usage(model: str, reply: Message) -> TokenUsage:
    used = reply.usage
    cache_read = used.cache_read_input_tokens or 0
    cache_write = used.cache_creation_input_tokens or 0
    return TokenUsage(
        provider="claude", model=model, calls=1, input_tokens=used.input_tokens, output_tokens=used.output_tokens,
        cache_read_tokens=cache_read, cache_write_tokens=cache_write,
        cost_usd=estimate_cost(model, used.input_tokens, used.output_tokens, cache_read, cache_write),
    )


def _read(agent: Agent[I, O], input: I, reply: Message) -> O:
    return agent.parse(_tool_input(agent, reply), input)


def _tool_input(agent: Agent[Any, Any], reply: Message) -> Any:
    for block in reply.content:
        if block.type == "tool_use" and block.name == agent.name:
            data = block.input
            return _json(data) if isinstance(data, str) else data
    text = "".join(block.text for block in reply.content if block.type == "text").strip()
    if not text:
        raise _Unreadable(f"the reply did not call the {agent.name} tool")
    return _json(text)


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def _json(text: str) -> Any:
    try:
        return json.loads(_FENCE.sub("", text.strip()))
    except json.JSONDecodeError as error:
        raise _Unreadable(f"the reply is not valid JSON ({error.msg} at character {error.pos})") from None


def _explain(error: Exception) -> str:
    if isinstance(error, ValidationError):
        parts = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            parts.append(f"{where}: {item['msg']}" if where else item["msg"])
        return "; ".join(parts)
    return str(error)


def _where_and_why(error: Exception) -> str:
    """`_explain` without the values: each problem's place and the rule it broke."""
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(str(part) for part in item['loc']) or 'the reply'}: {item['type']}"
                         for item in error.errors())
    return str(error)  # _Unreadable says what was missing, never what was there


def _replayable(reply: Message) -> list[dict[str, Any]]:
    """The assistant's reply as request content, so the repair request continues the conversation."""
    blocks: list[dict[str, Any]] = []
    for block in reply.content:
        if block.type == "text" and block.text:
            blocks.append({"type": "text", "text": block.text})
        elif block.type == "tool_use":
            blocks.append({"type": "tool_use", "id": block.id, "name": block.name,
                           "input": block.input if isinstance(block.input, dict) else {}})
    return blocks or [{"type": "text", "text": "(empty reply)"}]


def _repair_request(agent: Agent[Any, Any], reply: Message, problems: str) -> list[dict[str, Any]]:
    note = (f"That reply is not valid: {problems}. Call the {agent.name} tool again with a complete, "
            f"corrected input that fixes every problem and keeps everything else.")
    tool_calls = [block for block in reply.content if block.type == "tool_use"]
    if tool_calls:
        return [{"type": "tool_result", "tool_use_id": tool_calls[0].id, "is_error": True, "content": note}]
    return [{"type": "text", "text": note}]
