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


def at_head(url: str) -> bool:
    """Whether the database has every migration of every branch (Bookbug's and the engine's).

    The version table keeps only the newest revision of each line, and a revision that
    another depends on (the engine's tables, which Bookbug's 0002 needs) is implied by it, so
    the applied set is everything reachable from the stored revisions."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from bookbug.db.session import get_engine

    script = ScriptDirectory.from_config(alembic_config(url))
    with get_engine(url).connect() as conn:
        pending = list(MigrationContext.configure(conn).get_current_heads())
    applied: set[str] = set()
    while pending:
        revision = pending.pop()
        if revision in applied:
            continue
        applied.add(revision)
        found = script.get_revision(revision)
        for below in (found.down_revision, found.dependencies):
            pending += [below] if isinstance(below, str) else list(below or ())
    return {found.revision for found in script.walk_revisions()} <= applied
