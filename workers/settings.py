"""WorkerSettings for the production workers: the durable engine with every book workflow."""

from __future__ import annotations

import bookbug.workflows  # noqa: F401 - importing registers the workflows in default_registry
from bookbug.engine import EngineConfig, worker_settings

WorkerSettings = worker_settings(EngineConfig.from_settings())
