"""Assembles the Reflex app: pages, the REST API and the lifespan tasks."""

from __future__ import annotations

import os

import reflex as rx

from bookbug import logs

logs.install()  # before anything logs: no family's words, names or secrets in the logs

import bookbug.pages  # noqa: F401 - registers every page
from bookbug.api.app import build_api
from bookbug.components.registry import PAGES
from bookbug.services.runtime import running_engine
from bookbug.settings import get_settings

# The socket's messages get the same size limit as HTTP request bodies (bookbug/edge/body_limit.py);
# Reflex reads it when the app below creates its Socket.IO server.
os.environ.setdefault("REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE", str(get_settings().max_request_bytes))

# assets/bookbug.css: the layout for phones, contrast, focus rings and reduced motion
app = rx.App(api_transformer=build_api(), stylesheets=["/bookbug.css"])

# The durable engine lives as long as the app: in embedded mode its ARQ worker runs here too.
app.register_lifespan_task(running_engine)

for spec in PAGES:
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)
