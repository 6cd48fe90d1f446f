"""Reflex configuration. Database and Redis URLs come from Bookbug's own settings."""

import sys

import reflex as rx

from bookbug.components.theme import theme_plugin
from bookbug.startup import ConfigError, load_settings

try:
    _settings = load_settings()
except ConfigError as exc:  # one clear sentence, not a traceback
    sys.exit(f"Bookbug cannot start: {exc}")

config = rx.Config(
    app_name="bookbug",
    db_url=_settings.db_url,
    # Reflex keeps UI state in Redis when it has a URL (several backend workers share it);
    # embedded mode keeps it in memory in the single app process.
    redis_url=_settings.redis_url or None,
    telemetry_enabled=False,  # there is no network for it, and no need
    # Only this app's own pages may call it with credentials, or open its socket (Socket.IO
    # checks the Origin of the handshake against this list too).
    cors_allowed_origins=tuple(_settings.origins),
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        theme_plugin(),  # Radix Themes with only the colour scales the app uses
    ],
    disable_plugins=[rx.plugins.TailwindV4Plugin],
)
