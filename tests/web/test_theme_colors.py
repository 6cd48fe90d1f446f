"""The app loads Radix's colour tokens one scale at a time: every scale the code names is loaded."""

from __future__ import annotations

import re

from bookbug.components.theme import THEME_COLORS
from bookbug.settings import ROOT

RADIX_SCALES = {"amber", "blue", "bronze", "brown", "crimson", "cyan", "gold", "grass", "gray", "green", "indigo",
                "iris", "jade", "lime", "mauve", "mint", "olive", "orange", "pink", "plum", "purple", "red", "ruby",
                "sage", "sand", "sky", "slate", "teal", "tomato", "violet", "yellow"}
UI = [ROOT / "bookbug" / part for part in ("components", "pages", "state")]


def test_every_colour_scale_the_interface_names_is_loaded() -> None:
    named: dict[str, str] = {}
    for folder in UI:
        for path in folder.rglob("*.py"):
            for literal in re.findall(r"\"([a-z]+)\"", path.read_text()):
                if literal in RADIX_SCALES:
                    named.setdefault(literal, str(path.relative_to(ROOT)))
    assert "red" in named and "tomato" in named  # the scan reads what it should
    missing = {color: where for color, where in named.items() if color not in THEME_COLORS}
    assert not missing, f"colour scales named but not loaded (add them to THEME_COLORS): {missing}"
