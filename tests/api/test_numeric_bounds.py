"""Every number in a path or a query has bounds: a value out of range is a 422 naming it,
never a 500 (an integer too large for the database once was: OverflowError on page images).
The parameters are read from the route table, so a new one is checked as soon as it exists."""

from __future__ import annotations

import httpx
import pytest
from fastapi.params import Path, Query

from tests.api.conftest import Caller
from tests.support.access import ROUTE_BY_KEY, Alice, routes
from tests.support.api import assert_error

HUGE = ["99999999999999999999999", "-99999999999999999999999", str(2**63), "-1"]


def numeric_params() -> list[tuple[str, str, str, str]]:
    """(method, path, parameter, where) for every int parameter in a path or a query."""
    found = []
    for method, path, route in routes():
        if route is None:
            continue
        for where, params in (("path", route.dependant.path_params), ("query", route.dependant.query_params)):
            for param in params:
                annotation = str(param.field_info.annotation)
                if "int" in annotation:
                    found.append((method, path, param.name, where))
    return found


NUMERIC = numeric_params()


def test_every_number_in_a_path_or_query_has_both_bounds() -> None:
    assert ("GET", "/api/books/{book_id}/pages/{number}/image", "number", "path") in NUMERIC
    for method, path, name, _ in NUMERIC:
        route = ROUTE_BY_KEY[(method, path)]
        assert route is not None
        param = next(p for p in route.dependant.path_params + route.dependant.query_params if p.name == name)
        info = param.field_info
        assert isinstance(info, (Path, Query))
        bounds = {type(m).__name__ for m in info.metadata}
        assert {"Ge", "Le"} <= bounds or {"Gt", "Lt"} <= bounds, f"{method} {path}: {name} is unbounded"


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(("method", "path", "name", "where"), NUMERIC)
async def test_an_out_of_range_number_is_a_422_naming_it(client: httpx.AsyncClient, alice: Caller, method: str,
                                                         path: str, name: str, where: str, value: str) -> None:
    owner = Alice(alice)
    url = owner.url(path.replace("{" + name + "}", value)) if where == "path" else owner.url(path)
    params = {name: value} if where == "query" else None
    answer = await client.request(method, url, params=params, headers=alice.headers)
    assert_error(answer, 422, "invalid_input", name)


async def test_a_huge_last_event_id_is_a_clear_422(client: httpx.AsyncClient, alice: Caller) -> None:
    owner = Alice(alice)
    answer = await client.get(f"/api/jobs/{owner.book_id}/stream", headers={**alice.headers,
                                                                           "Last-Event-ID": HUGE[0]})
    assert_error(answer, 422, "invalid_input", "last_event_id")
