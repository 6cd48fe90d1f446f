"""WorkerSettings for the production workers: the durable engine with every book workflow."""

from __future__ import annotations

import bookbug.workflows  # noqa: F401 - importing registers the workflows in default_registry
from bookbug.engine import worker_settings
from bookbug.services.app_config import engine_config

WorkerSettings = worker_settings(engine_config())
