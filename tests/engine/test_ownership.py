"""The engine owns its schema and knows nothing of what its workflows are about.

Read from the source, so a new module cannot break the rule unnoticed: outside bookbug/engine/
only the engine's public face (`bookbug.engine`) is imported and no engine table is named; the
engine imports nothing of Bookbug's but the session helpers and error classification.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "bookbug"
ENGINE = ROOT / "engine"
ENGINE_MAY_IMPORT = ("bookbug.engine", "bookbug.db.session", "bookbug.resilience")
ENGINE_TABLES = ("engine_runs", "engine_steps", "engine_events", "engine_waits", "engine_wait_shapes",
                 "engine_channels")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_nothing_outside_the_engine_reaches_into_it() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        if ENGINE in path.parents:
            continue
        for name in _imports(path):
            if name.startswith("bookbug.engine.") and name.split(".")[2] not in _public_names():
                offenders.append(f"{path.relative_to(ROOT.parent)} imports {name}")
        text = path.read_text()
        offenders += [f"{path.relative_to(ROOT.parent)} names the table {t}" for t in ENGINE_TABLES if t in text]
    assert offenders == []


def _public_names() -> set[str]:
    import bookbug.engine

    return set(bookbug.engine.__all__)


def test_the_engine_imports_nothing_of_the_application() -> None:
    offenders = [f"{path.relative_to(ROOT.parent)} imports {name}"
                 for path in ENGINE.rglob("*.py") for name in _imports(path)
                 if name.startswith("bookbug") and not name.startswith(ENGINE_MAY_IMPORT)]
    assert offenders == []


def test_the_engine_says_nothing_of_books() -> None:
    mentions = [f"{path.relative_to(ROOT.parent)}:{number}" for path in ENGINE.rglob("*.py")
                for number, line in enumerate(path.read_text().splitlines(), 1) if re.search(r"\bbooks?\b", line.lower())]
    assert mentions == []
