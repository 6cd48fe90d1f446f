"""The contract between the tool schema Claude is shown and the parse that checks its reply.

A tool's input_schema is all the model sees of our rules; pydantic validators do not show in
it. So every reply that fits the schema sent for an input must parse, repaired where the fix
is harmless. The only exceptions are rules JSON Schema cannot state (counting words, a moral
said word for word...): those are told in words the model sees, and a reply breaking one
fails with that rule's own kind.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

import bookbug.agents
from bookbug.agents import ALL_AGENTS, Agent
from bookbug.story.rules import worded_rule

from tests.agents.samples import SAMPLES


def _defined_agents() -> dict[str, Agent]:
    """Every Agent defined in any module of bookbug.agents, registered or not."""
    found: dict[str, Agent] = {}
    for module in pkgutil.iter_modules(bookbug.agents.__path__):
        for value in vars(importlib.import_module(f"bookbug.agents.{module.name}")).values():
            if isinstance(value, Agent):
                found[value.name] = value
    return found


def test_every_agent_is_registered_and_has_a_sample_input():
    assert set(_defined_agents()) == {agent.name for agent in ALL_AGENTS}
    assert {agent.name for agent, _ in SAMPLES} == {agent.name for agent in ALL_AGENTS}
    for agent, input in SAMPLES:
        agent.prompt(input)  # the sample is the agent's own input type


def _sent_schema(agent: Agent, input: BaseModel) -> dict[str, Any]:
    """The input_schema of the tool the Claude writer sends for this input."""
    return agent.tool(input)["input_schema"]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _told(agent: Agent, input: BaseModel) -> str:
    """Everything the model reads: the system prompt, the message, the tool and its schema."""
    tool = agent.tool(input)
    return "\n".join([agent.system, agent.prompt(input), tool["description"], *_strings(tool["input_schema"])])


def _unstated(error: ValidationError, told: str) -> list[dict[str, Any]]:
    """Errors that are neither a rule JSON Schema cannot state nor told to the model in words."""
    unstated = []
    for item in error.errors():
        rule = worded_rule(item["type"])
        if rule is None or rule.statement not in told:
            unstated.append({"loc": item["loc"], "type": item["type"], "msg": item["msg"]})
    return unstated


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each side of a top-level if/then/else as a schema of its own, its properties narrowed in place.

    hypothesis-jsonschema cannot merge a `then` that narrows a property ($ref Brief narrowed to
    $ref CompleteBrief) into that property, so from the sent schema alone it almost never draws
    a finished intake. Every reply drawn from a branch is still checked against the sent schema.
    """
    if "if" not in schema:
        return []
    branches = []
    for side, condition in (("then", schema["if"]), ("else", {"properties": {
            name: _negated(rule) for name, rule in schema["if"]["properties"].items()}})):
        branch = copy.deepcopy({key: value for key, value in schema.items() if key not in ("if", "then", "else")})
        for rules in (condition, schema[side]):
            for name, rule in rules.get("properties", {}).items():
                branch["properties"][name] = {**branch["properties"][name], **rule}
            branch["required"] = [*branch.get("required", []), *rules.get("required", [])]
        branches.append(branch)
    return branches


def _negated(rule: dict[str, Any]) -> dict[str, Any]:
    # hypothesis-jsonschema can draw True for {"type": "boolean", "not": {"const": True}}
    if isinstance(rule.get("const"), bool):
        return {"const": not rule["const"]}
    return {"not": rule}


@cache
def _replies(index: int) -> st.SearchStrategy[Any]:
    agent, input = SAMPLES[index]
    schema = _sent_schema(agent, input)
    return st.one_of([from_schema(schema), *[from_schema(branch) for branch in _branches(schema)]])


@pytest.mark.parametrize("index", range(len(SAMPLES)), ids=[f"{a.name}-{n}" for n, (a, _) in enumerate(SAMPLES)])
@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_reply_that_fits_the_tool_schema_parses_or_is_repaired(index: int, data: st.DataObject):
    agent, input = SAMPLES[index]
    schema = _sent_schema(agent, input)
    reply = data.draw(_replies(index), label="reply")
    assert Draft202012Validator(schema).is_valid(reply)
    try:
        output = agent.parse(reply, input)
    except ValidationError as error:
        unstated = _unstated(error, _told(agent, input))
        assert not unstated, f"{agent.name}: a reply fitting the schema was refused for a rule the model was not told"
        return
    dumped = output.model_dump(mode="json")
    assert agent.parse(dumped, input) == output, "a repaired reply parses to itself again"
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(dumped)]
    assert not errors, f"{agent.name}: what parse returns must fit the schema it was asked for"


@pytest.mark.parametrize("index", range(len(SAMPLES)), ids=[f"{a.name}-{n}" for n, (a, _) in enumerate(SAMPLES)])
def test_every_tool_schema_is_one_the_messages_api_accepts(index: int):
    agent, input = SAMPLES[index]
    tool = agent.tool(input)
    schema = tool["input_schema"]
    Draft202012Validator.check_schema(schema)
    assert tool["name"] == agent.name and schema["type"] == "object" and schema["properties"]
    # The Messages API refuses these at the top level of an input_schema.
    assert not {"oneOf", "allOf", "anyOf"} & set(schema)
    json.dumps(schema)  # plain JSON
