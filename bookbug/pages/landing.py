"""`/`: what Bookbug makes, how it works, and where to start."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import BRAND_COLOR, page_layout
from bookbug.pages.registry import has_route, page

STEPS = [
    ("💬", "Chat", "Tell Bookbug about the child and the story you imagine. It asks one friendly "
     "question at a time, with quick-reply chips."),
    ("🗺️", "Approve the plot", "Bookbug proposes the story page by page. Approve it, or ask for "
     "changes until it feels right."),
    ("🎨", "Watch it come alive", "Every page is written, art-directed and illustrated with the "
     "same characters throughout, and you watch the pages land."),
    ("📖", "Print it", "Download a print-ready PDF with bleed and 300 dpi pictures, or a lighter "
     "edition for reading on a tablet."),
]


def step_card(icon: str, title: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(icon, size="8"), rx.heading(title, size="4"),
                  rx.text(text, size="2", color_scheme="gray"), spacing="2"),
        size="3",
    )


def start_button() -> rx.Component:
    # The button leads to the conversation once that page exists; before that, it says so.
    if has_route("/create"):
        return rx.link(rx.button("Start a book", size="4", color_scheme=BRAND_COLOR), href="/create")
    return rx.badge("Book creation is coming soon", size="3", color_scheme="gray")


@page("/", "Bookbug: picture books from a conversation", nav_label="Home")
def landing() -> rx.Component:
    return page_layout(
        rx.vstack(
            rx.heading("Turn a conversation into an illustrated picture book", size="9",
                       id="landing-headline", max_width="48rem"),
            rx.text(
                "Bookbug is a friendly book-maker for families and teachers. Chat about a child, "
                "their favourite things and the lesson you hope the story holds; Bookbug writes "
                "every page, paints every picture with the same characters throughout, and "
                "assembles a book ready to print.",
                size="5", color_scheme="gray", max_width="44rem",
            ),
            start_button(),
            spacing="5",
            padding_y="3rem",
        ),
        rx.grid(*[step_card(*s) for s in STEPS], columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                spacing="4", width="100%"),
    )
