"""The brief panel and plot outline read partial, stored JSON without tripping over it."""

from __future__ import annotations

from bookbug.state.brief_panel import brief_rows, outline_rows, plot_title
from bookbug.state.rows import book_href

PLOT = {"title": "Mia and the Moon", "beats": [
    {"purpose": p, "sentence": f"Something {p} happens."}
    for p in ("setup", "build", "conflict", "twist", "climax", "payoff", "button")]}


def test_an_empty_brief_shows_every_row_as_not_yet() -> None:
    rows = brief_rows(None)
    assert [r.label for r in rows] == ["Hero", "Age", "Characters", "Setting", "Theme", "Art style", "Pages", "Format"]
    assert all(r.value == "" for r in rows)


def test_a_partial_brief_fills_in_what_is_known() -> None:
    brief = {"characters": [{"name": "Pip", "role": "friend"}, {"name": "Mia", "role": "hero"}],
             "age_range": {"min": 4, "max": 6}, "setting": "  a   village by the sea ",
             "moral": "sharing", "art_style": {"label": "Watercolor"}, "page_count": 12}
    values = {r.label: r.value for r in brief_rows(brief, book_format="portrait")}
    assert values["Hero"] == "Mia" and values["Characters"] == "Pip (friend)"
    assert values["Age"] == "4 to 6" and values["Setting"] == "a village by the sea"
    assert values["Theme"] == "sharing" and values["Art style"] == "Watercolor" and values["Pages"] == "12"
    assert values["Format"] and values["Format"] != ""


def test_odd_values_do_not_break_the_panel() -> None:
    values = {r.label: r.value for r in brief_rows({"characters": "Mia", "age_range": "five", "art_style": 3})}
    assert values["Hero"] == "" and values["Age"] == "five" and values["Art style"] == "3"


def test_the_outline_spreads_beats_over_the_pages() -> None:
    rows = outline_rows(PLOT, 12)
    assert rows[0].page == "Page 1" and rows[-1].page == "Page 12"
    assert [r.sentence for r in rows] == [b["sentence"] for b in PLOT["beats"]]
    assert any(r.page.startswith("Pages ") for r in rows)
    assert plot_title(PLOT) == "Mia and the Moon"


def test_without_a_page_count_the_outline_lists_beats() -> None:
    assert [r.page for r in outline_rows(PLOT, None)][:2] == ["Beat 1", "Beat 2"]
    assert outline_rows(None, 12) == [] and outline_rows({"beats": "nope"}, 12) == []


def test_books_in_conversation_open_the_chat_and_others_the_book() -> None:
    assert book_href("b1", "intake") == "/create/b1" and book_href("b1", "generating") == "/books/b1"
