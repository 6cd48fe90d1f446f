"""WorkerSettings for the production workers: the durable engine with every book workflow."""

from __future__ import annotations

from bookbug import logs

logs.install()  # no family's words, names or secrets in the workers' logs either

import bookbug.workflows.registered  # noqa: F401 - importing registers the workflows in default_registry
from bookbug.engine import worker_settings
from bookbug.config.app_config import engine_config

WorkerSettings = worker_settings(engine_config())
