"""Property test against the OpenAPI schema: whatever a client sends to any documented
endpoint (generated from the schema, plus plain junk), the API never answers with a 5xx,
and every refusal is the error envelope."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbug.api.app import build_api
from tests.api.conftest import Caller

SCHEMA = build_api().openapi()
OPERATIONS = [(method.upper(), path, op) for path, item in SCHEMA["paths"].items() for method, op in item.items()]

JUNK = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that fit the schema (so they reach the routes), or now and then values that do not."""
    schema = resolve(schema)
    if "anyOf" in schema:
        return st.one_of([from_schema(option) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "string":
        return st.text(max_size=60) | st.sampled_from(["", " ", "square-large", "a@b.co", "x" * 4001, "../../etc"])
    if kind == "integer":
        return st.integers(min_value=-(2**40), max_value=2**40) | st.integers(min_value=-2, max_value=40)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {})), max_size=3)
    if kind == "object":
        properties = schema.get("properties", {})
        return st.fixed_dictionaries({}, optional={name: from_schema(p) for name, p in properties.items()})
    return JUNK


@st.composite
def requests(draw: st.DrawFn, own_book: str, token: str) -> tuple[str, str, dict[str, str], Any, dict[str, Any]]:
    method, path, op = draw(st.sampled_from(OPERATIONS))
    url, params, headers = path, {}, {}
    for parameter in op.get("parameters", []):
        where, name = parameter["in"], parameter["name"]
        if where == "path":
            # a real book of the caller's reaches the service code; random ids test the lookup.
            # The live stream of a real, running book never ends, so it only gets random ids.
            ids = st.text(min_size=1, max_size=40) if path.endswith("/stream") or name != "book_id" \
                else st.sampled_from([own_book]) | st.text(min_size=1, max_size=40)
            value = draw(ids if name == "book_id" else from_schema(parameter["schema"]).map(str).filter(bool))
            url = url.replace("{" + name + "}", quote(str(value), safe=""))
        elif draw(st.booleans()):
            value = draw(from_schema(parameter["schema"]) | JUNK.map(json.dumps))
            if where == "query":
                params[name] = "" if value is None else str(value)
            elif where == "header":
                headers[name] = "".join(c for c in str(value) if 32 <= ord(c) < 127)
    headers["Authorization"] = draw(st.sampled_from([f"Bearer {token}", "Bearer bb_nope", ""]))
    body = None
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content is not None and draw(st.booleans()):
        body = draw(from_schema(content["schema"]) | JUNK)
    return method, url, headers, body, params


@pytest.fixture
async def own_book(client: httpx.AsyncClient, alice: Caller) -> str:
    answer = await client.post("/api/books", headers=alice.headers, json={"page_count": 8})
    assert answer.status_code == 201
    return str(answer.json()["id"])


async def test_no_generated_request_gets_a_5xx(client: httpx.AsyncClient, alice: Caller, own_book: str) -> None:
    seen: set[int] = set()
    calls: list[int] = []
    operations: set[tuple[str, str]] = set()
    loop = asyncio.get_running_loop()

    @settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(request=requests(own_book, alice.token))
    def check(request: tuple[str, str, dict[str, str], Any, dict[str, Any]]) -> None:
        method, url, headers, body, params = request
        headers = {k: v for k, v in headers.items() if v}
        # Hypothesis runs synchronously, so it runs on a thread and sends each request to the
        # event loop that serves the app and its engine.
        call = client.request(method, url, headers=headers, params=params, json=body if body is not None else None)
        answer = asyncio.run_coroutine_threadsafe(call, loop).result(timeout=30)
        seen.add(answer.status_code)
        operations.add((method, url.split("/")[2] if url.count("/") > 1 else url))
        calls.append(answer.status_code)
        assert answer.status_code < 500, (method, url, body, params, answer.text)
        if answer.status_code >= 400:
            error = answer.json()["error"]
            assert error["code"] and error["message"]

    await asyncio.to_thread(check)
    assert len(calls) >= 200 and len(operations) >= 10  # every kind of endpoint was tried
    assert {200, 401, 404, 422} <= seen  # the generator reached past auth and validation
