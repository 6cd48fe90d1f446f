"""The house: every import in `bookbug/` points down the layer order the README draws.

Each top-level part of the package has a rank (0 is the top); a module may import its own part
or any part ranked below it, never one beside or above it. Imports inside functions count too:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bookbug.settings import ROOT

PACKAGE = ROOT / "bookbug"

# Top to bottom; the README's "Layout" section draws the same order.
LAYERS: list[set[str]] = [
    {"bookbug", "admin", "cli"},  # entry points: the Reflex app, the operators' command, the REST client
    {"startup"},  # configuration checks and migrations, run by the app and by `bookbug-admin`
    {"pages"},
    {"components"},
    {"state", "api"},  # the doors: websocket handlers and REST/SSE routes
    {"edge"},  # what every request passes first
    {"services"},
    {"workflows"},
    {"views", "config"},  # read models of rows and runs; operators' run-time settings
    {"engine", "providers", "publishing"},
    {"agents", "resilience"},
    {"safety"},
    {"db", "story"},
    {"settings", "errors", "logs", "metrics"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def _part(module: str) -> str | None:
    """The top-level part of `bookbug` a dotted module name belongs to (None outside it)."""
    pieces = module.split(".")
    if pieces[0] != "bookbug":
        return None
    return pieces[1] if len(pieces) > 1 else "bookbug"


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones resolved."""
    here = path.relative_to(root).with_suffix("").parts
    package = here if path.name == "__init__.py" else here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # `from bookbug import services` imports the part named, not `bookbug` itself
            if module == "bookbug":
                found += [(node.lineno, f"bookbug.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def _part_of_file(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("").parts
    return relative[0] if relative[0] != "__init__" else "bookbug"


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {_part_of_file(path) for path in PACKAGE.rglob("*.py")}
    assert parts <= set(RANK), f"give these a layer here and in the README: {sorted(parts - set(RANK))}"


def test_every_import_points_down_the_layers() -> None:
    upward: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        mine = _part_of_file(path)
        for line, module in _imports(path):
            theirs = _part(module)
            if theirs is None or theirs == mine:
                continue
            if RANK[theirs] <= RANK[mine]:
                where = "beside" if RANK[theirs] == RANK[mine] else "above"
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module} ({theirs} is {where} {mine})")
    assert not upward, "imports that do not point down:\n" + "\n".join(upward)


def test_the_terminal_client_imports_nothing_of_the_server() -> None:
    for path in (PACKAGE / "cli").rglob("*.py"):
        server = [module for _, module in _imports(path) if _part(module) not in (None, "cli")]
        assert not server, f"{path.relative_to(ROOT)} imports {server}: the CLI talks only to the REST API"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    # the test above would pass vacuously if _imports found nothing: prove it reads what matters
    module = tmp_path / "bookbug" / "workflows" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text("from bookbug.services import books\nfrom ..views import BookPage\n"
                      "def later():\n    import bookbug.state.chat\n")
    found = [name for _, name in _imports(module, root=tmp_path)]
    assert found == ["bookbug.services", "bookbug.views", "bookbug.state.chat"]


@pytest.mark.parametrize("module", ["bookbug.workflows.names", "bookbug.services.books", "bookbug.services.progress"])
def test_a_constant_or_a_service_loads_no_workflow_and_no_renderer(module: str) -> None:
    # Importing the workflows package registered every workflow (ReportLab and the offline
    # illustrator with them) for anyone who wanted one event name.
    probe = (f"import sys, {module}\n"
             "heavy = [m for m in ('reportlab', 'bookbug.workflows.create_book', "
             "'bookbug.providers.images.offline.illustrator') if m in sys.modules]\n"
             "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "", f"importing {module} loaded {result.stdout.strip()}"


def test_the_readmes_layout_names_every_part_and_only_parts_that_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    block = layout.split("```", 2)[1]
    named = set(re.findall(r"\b([a-z_]+)(?:/|\.py)", block))
    parts = {_part_of_file(path) for path in PACKAGE.rglob("*.py")} - {"bookbug"}
    assert parts <= named, f"the README's layout does not name {sorted(parts - named)}"
    for name in named:
        assert any((place / name).exists() or (place / f"{name}.py").exists()
                   for place in (ROOT, PACKAGE, PACKAGE / "components", PACKAGE / "providers", ROOT / "tests")), \
            f"the README's layout names {name}, which is not in the tree"
