"""`/books`: the viewer's books, newest first."""

from __future__ import annotations

import reflex as rx

from bookbug.components.books import book_card
from bookbug.components.layout import BRAND_COLOR, page_layout
from bookbug.components.registry import page
from bookbug.state.gallery import GalleryState


def empty_state() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("library", size=56, color="var(--accent-11)", aria_hidden="true"),
            rx.heading("No books yet", size="5"),
            rx.text("Tell Bookbug about a child and a story; your first book will appear here.", color_scheme="gray"),
            rx.link(rx.button("Create your first book", size="3", color_scheme=BRAND_COLOR), href="/create"),
            align="center", spacing="3",
        ),
        padding_y="4rem", id="empty-gallery",
    )


def pager() -> rx.Component:
    return rx.cond(
        GalleryState.page_total > 1,
        rx.hstack(
            rx.button("Newer", on_click=GalleryState.previous_page, disabled=~GalleryState.has_previous,
                      variant="soft"),
            rx.text(GalleryState.page_caption, size="2"),
            rx.button("Older", on_click=GalleryState.next_page, disabled=~GalleryState.has_next, variant="soft"),
            justify="center", align="center", width="100%",
        ),
    )


@page("/books", "My books · Bookbug", nav_label="My books", members_only=True, on_load=GalleryState.load_gallery)
def gallery() -> rx.Component:
    return page_layout(
        rx.hstack(rx.heading("My books", size="7"), rx.spacer(),
                  rx.link(rx.button("New book", color_scheme=BRAND_COLOR), href="/create"), width="100%"),
        rx.cond(GalleryState.notice != "", rx.callout(GalleryState.notice, icon="info")),
        rx.cond(
            GalleryState.empty,
            empty_state(),
            rx.vstack(
                rx.grid(rx.foreach(GalleryState.cards, book_card), columns=rx.breakpoints(initial="1", sm="2", md="3",
                                                                                          lg="4"),
                        spacing="4", width="100%", id="gallery"),
                pager(),
                spacing="5", width="100%", margin_top="1.5rem",
            ),
        ),
    )
