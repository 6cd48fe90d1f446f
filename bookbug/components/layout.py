"""The frame every page shares: a header with the navigation, the page, a footer."""

from __future__ import annotations

import reflex as rx

from bookbug.pages.registry import nav_entries

BRAND_COLOR = "tomato"


def nav_link(label: str, route: str) -> rx.Component:
    return rx.link(label, href=route, size="3", weight="medium", color_scheme="gray",
                   high_contrast=True, underline="hover")


def navbar() -> rx.Component:
    links = [nav_link(spec.nav_label or spec.title, spec.route) for spec in nav_entries()
             if spec.route != "/"]
    return rx.box(
        rx.hstack(
            rx.link(
                rx.hstack(rx.text("🐞", size="6"), rx.heading("Bookbug", size="6", weight="bold"),
                          align="center", spacing="2"),
                href="/", underline="none", color_scheme="gray", high_contrast=True,
            ),
            rx.spacer(),
            rx.hstack(*links, spacing="5", align="center", id="main-nav"),
            align="center",
            width="100%",
            max_width="72rem",
            margin_x="auto",
            padding_x="1.5rem",
            padding_y="0.9rem",
        ),
        as_="header",
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-background)",
        position="sticky",
        top="0",
        z_index="10",
    )


def footer() -> rx.Component:
    return rx.box(
        rx.text("Bookbug is open source. Every book belongs to the family that made it.",
                size="2", color_scheme="gray"),
        as_="footer", padding="2rem 1.5rem", max_width="72rem", margin_x="auto",
    )


def page_layout(*children: rx.Component) -> rx.Component:
    return rx.box(
        navbar(),
        rx.box(*children, as_="main", max_width="72rem", margin_x="auto", padding="2rem 1.5rem",
               min_height="70vh"),
        footer(),
    )
