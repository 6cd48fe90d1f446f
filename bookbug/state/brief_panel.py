"""The brief panel and the plot outline, read from the book's stored brief and plot.

The stored JSON is whatever the workflow saved so far (a partial brief during the
conversation), so every field is read defensively: a missing or odd value shows as "not yet".
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bookbug.state.rows import BriefRow, OutlineRow
from bookbug.story.formats import FORMATS
from bookbug.story.plot import Plot, page_plan


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "", [], {}) else ""


def _characters(brief: dict[str, Any]) -> tuple[str, str]:
    people = [c for c in brief.get("characters") or [] if isinstance(c, dict) and c.get("name")]
    hero = next((c for c in people if str(c.get("role", "")).lower() == "hero"), people[0] if people else None)
    others = [c for c in people if c is not hero]

    def describe(c: dict[str, Any]) -> str:
        role = _text(c.get("role"))
        return f"{c['name']} ({role})" if role and role.lower() != "hero" else str(c["name"])

    return (describe(hero) if hero else "", ", ".join(describe(c) for c in others))


def _age(brief: dict[str, Any]) -> str:
    age = brief.get("age_range")
    if isinstance(age, dict) and age.get("min") is not None and age.get("max") is not None:
        return f"{age['min']}" if age["min"] == age["max"] else f"{age['min']} to {age['max']}"
    return _text(age) if not isinstance(age, dict) else ""


def _art_style(brief: dict[str, Any]) -> str:
    style = brief.get("art_style")
    if isinstance(style, dict):
        return _text(style.get("label") or style.get("genre"))
    return _text(style)


def _theme(brief: dict[str, Any]) -> str:
    return _text(brief.get("moral") or brief.get("story_arc") or brief.get("tone"))


def _format(name: Any, fallback: str) -> str:
    key = _text(name) or fallback
    fmt = FORMATS.get(key)
    return fmt.label if fmt else key


def brief_rows(brief: dict[str, Any] | None, *, page_count: int | None = None, book_format: str = "") -> list[BriefRow]:
    """Hero, age, characters, setting, theme, art style, pages, format: filled in as answers arrive."""
    brief = brief if isinstance(brief, dict) else {}
    hero, friends = _characters(brief)
    pages = brief.get("page_count") or page_count
    return [
        BriefRow("Hero", hero),
        BriefRow("Age", _age(brief)),
        BriefRow("Characters", friends),
        BriefRow("Setting", _text(brief.get("setting"))),
        BriefRow("Theme", _theme(brief)),
        BriefRow("Art style", _art_style(brief)),
        BriefRow("Pages", str(pages) if pages else ""),
        BriefRow("Format", _format(brief.get("format"), book_format) if brief.get("format") or book_format else ""),
    ]


def outline_rows(plot: dict[str, Any] | None, page_count: int | None) -> list[OutlineRow]:
    """The proposed plot, page by page (beats spread over the pages as the writer will)."""
    if not isinstance(plot, dict):
        return []
    beats = [b for b in plot.get("beats") or [] if isinstance(b, dict) and b.get("sentence")]
    try:
        plans = page_plan(Plot.model_validate(plot), page_count) if page_count else []
    except (ValidationError, ValueError):
        plans = []
    if not plans:
        return [OutlineRow(f"Beat {i}", _text(b["sentence"])) for i, b in enumerate(beats, start=1)]
    rows: list[OutlineRow] = []
    for plan in plans:
        if plan.part != 1:
            continue
        last = plan.page_number + plan.parts - 1
        label = f"Page {plan.page_number}" if plan.parts == 1 else f"Pages {plan.page_number}-{last}"
        rows.append(OutlineRow(label, plan.beat.sentence))
    return rows


def plot_title(plot: dict[str, Any] | None) -> str:
    return _text(plot.get("title")) if isinstance(plot, dict) else ""
