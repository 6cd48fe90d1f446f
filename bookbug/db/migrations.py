"""Apply and inspect Alembic migrations from code (the run command, tests, start-up checks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command
from alembic.config import Config

from bookbug.settings import ROOT


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("version_locations",
                           f"{ROOT / 'alembic' / 'versions'}:{ROOT / 'bookbug' / 'engine' / 'migrations'}")
    if url:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Every branch to its newest revision: Bookbug's and the engine's own."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def for_dialect(dialect: str) -> Callable[..., bool]:
    """Alembic's include_object: leave out what the models create on other databases only
    (an Index(...).ddl_if(dialect="postgresql"), such as a GIN index)."""

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect is None or condition.dialect == dialect

    return include_object
