"""`/`: what Bookbug makes, how it works, and where to start."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import BRAND_COLOR, page_layout
from bookbug.components.registry import has_route, page
from bookbug.pages.sample_book import SamplePage, load_sample
from bookbug.state.session import SessionState

STEPS = [
    ("message_circle", "Chat", "Tell Bookbug about the child and the story you imagine. It asks one friendly "
     "question at a time, with quick-reply chips."),
    ("map", "Approve the plot", "Bookbug proposes the story page by page. Approve it, or ask for "
     "changes until it feels right."),
    ("palette", "Watch it come alive", "Every page is written, art-directed and illustrated with the "
     "same characters throughout, and you watch the pages land."),
    ("book_open", "Print it", "Download a print-ready PDF with bleed and 300 dpi pictures, or a lighter "
     "edition for reading on a tablet."),
]


def step_card(icon: str, title: str, text: str) -> rx.Component:
    # a lucide icon shipped with the app (emoji showed as empty boxes without an emoji font)
    return rx.card(
        rx.vstack(rx.center(rx.icon(icon, size=28, aria_hidden="true"), width="3rem", height="3rem",
                            border_radius="50%", background="var(--accent-3)", color="var(--accent-11)"),
                  rx.heading(title, size="4", as_="h2"),
                  rx.text(text, size="2", color_scheme="gray"), spacing="2"),
        size="3",
    )


def start_button() -> rx.Component:
    # The button leads to the conversation once that page exists; before that, it says so.
    if has_route("/create"):
        return rx.link(rx.button("Start a book", size="4", color_scheme=BRAND_COLOR), href="/create")
    return rx.badge("Book creation is coming soon", size="3", color_scheme="gray")


def sample_page(page: SamplePage) -> rx.Component:
    return rx.card(
        rx.vstack(rx.image(src=page.image, alt=f"Sample page {page.number}", width="100%", border_radius="0.4rem",
                           loading="lazy"),
                  rx.text(page.text, size="2"), spacing="2"),
        class_name="sample-page",
    )


def sample_book() -> rx.Component:
    """A book the offline writer and illustrator made, so visitors see the real thing."""
    sample = load_sample()
    if sample is None:
        return rx.fragment()
    return rx.vstack(
        rx.heading("A sample book", size="6", as_="h2"),
        rx.text(f"“{sample.title}”, written and illustrated by Bookbug from a short conversation.",
                color_scheme="gray"),
        rx.grid(*[sample_page(p) for p in sample.pages], columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                spacing="4", width="100%"),
        spacing="4", width="100%", padding_top="3rem", id="sample-book",
    )


@page("/", "Bookbug: picture books from a conversation", nav_label="Home", on_load=SessionState.load_viewer)
def landing() -> rx.Component:
    return page_layout(
        rx.vstack(
            rx.heading("Turn a conversation into an illustrated picture book",
                       size=rx.breakpoints(initial="8", md="9"), id="landing-headline", max_width="48rem", as_="h1"),
            rx.text(
                "Bookbug is a friendly book-maker for families and teachers. Chat about a child, "
                "their favourite things and the lesson you hope the story holds; Bookbug writes "
                "every page, paints every picture with the same characters throughout, and "
                "assembles a book ready to print.",
                size=rx.breakpoints(initial="4", md="5"), color_scheme="gray", max_width="44rem",
            ),
            start_button(),
            spacing="5",
            padding_y=rx.breakpoints(initial="1.5rem", md="3rem"),
        ),
        rx.grid(*[step_card(*s) for s in STEPS], columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                spacing="4", width="100%"),
        sample_book(),
    )
