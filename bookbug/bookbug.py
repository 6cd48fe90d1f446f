"""Assembles the Reflex app: pages, the REST API and the lifespan tasks."""

from __future__ import annotations

import reflex as rx

import bookbug.pages  # noqa: F401 - registers every page
from bookbug.api.app import build_api
from bookbug.pages.registry import PAGES

app = rx.App(api_transformer=build_api())

for spec in PAGES:
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)
