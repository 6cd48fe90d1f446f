"""Tables that fit a phone: a wide table scrolls sideways in its own region, which the keyboard
can reach and scroll (Radix's own scroll area cannot take focus, which WCAG asks of it)."""

from __future__ import annotations

import reflex as rx


def scrolling_table(table: rx.Component, label: str) -> rx.Component:
    """`table` in a labelled region the keyboard can reach and scroll sideways."""
    return rx.box(table, tab_index=0, role="region", aria_label=label, class_name="table-scroll", width="100%")
