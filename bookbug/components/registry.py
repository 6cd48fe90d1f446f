"""The pages Bookbug serves, in navigation order.

Each page module registers itself here with `@page(...)`; the app adds every registered page
and the navigation bar lists only those that asked to be in it, so the navigation never
shows a page that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str
    component: Callable[[], rx.Component]
    nav_label: str | None = None  # shown in the navigation bar when set
    on_load: Any = None
    operators_only: bool = False
    members_only: bool = False  # shown in the navigation only to signed-in viewers
    guests_only: bool = False  # shown in the navigation only to signed-out viewers
    meta: list[dict[str, str]] = field(default_factory=list)


PAGES: list[PageSpec] = []


def page(route: str, title: str, *, nav_label: str | None = None, on_load: Any = None,
         operators_only: bool = False, members_only: bool = False,
         guests_only: bool = False) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    def register(component: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        if any(spec.route == route for spec in PAGES):
            raise ValueError(f"two pages claim the route {route!r}")
        PAGES.append(PageSpec(route, title, component, nav_label, on_load, operators_only,
                              members_only or operators_only, guests_only))
        return component

    return register


def has_route(route: str) -> bool:
    return any(spec.route == route for spec in PAGES)


def nav_entries() -> list[PageSpec]:
    return [spec for spec in PAGES if spec.nav_label]
