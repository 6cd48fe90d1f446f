"""`/login` and `/register`: local accounts, or Clerk's forms when Clerk is configured."""

from __future__ import annotations

import reflex as rx

from bookbug.components.clerk import clerk_session
from bookbug.components.layout import BRAND_COLOR, page_layout
from bookbug.components.registry import page
from bookbug.services.accounts.passwords import MIN_PASSWORD_LENGTH
from bookbug.settings import get_settings
from bookbug.state.auth import AuthState
from bookbug.state.clerk_auth import ClerkAuthState


def field(label: str, name: str, kind: str = "text", hint: str = "") -> rx.Component:
    return rx.vstack(
        # a real <label for=…>: Radix's text rendered as a label drops the `for`
        rx.el.label(rx.text(label, size="2", weight="bold", as_="span"), html_for=name),
        rx.input(name=name, id=name, type=kind, required=name != "display_name", width="100%", size="3",
                 on_focus=AuthState.clear_error),
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1", width="100%",
    )


def form_error() -> rx.Component:
    return rx.cond(AuthState.form_error != "",
                   rx.callout(AuthState.form_error, icon="triangle_alert", color_scheme="red", id="form-error"))


def card(title: str, *children: rx.Component) -> rx.Component:
    return rx.center(rx.card(rx.vstack(rx.heading(title, size="6"), *children, spacing="4", width="100%"),
                             size="4", width="100%", max_width="28rem"))


def clerk_card(title: str, mount: str) -> rx.Component:
    """Clerk's own form; the server finishes the sign-in when Clerk reports the session."""
    return page_layout(card(
        title,
        clerk_session(mount),
        rx.cond(ClerkAuthState.clerk_error != "", rx.vstack(
            rx.callout(ClerkAuthState.clerk_error, icon="triangle_alert", color_scheme="red", id="form-error"),
            rx.button("Sign out of Clerk", on_click=rx.call_script("window.bookbugClerkSignOut('/login')"),
                      variant="soft", color_scheme="gray", id="clerk-sign-out"),
            spacing="2", width="100%",
        )),
    ), watch_clerk=False)


@page("/login", "Sign in · Bookbug", nav_label="Sign in", guests_only=True, on_load=AuthState.leave_if_signed_in)
def login() -> rx.Component:
    if get_settings().clerk_enabled:
        return clerk_card("Sign in", "sign_in")
    return page_layout(card(
        "Sign in",
        rx.cond(AuthState.registered_notice != "",
                rx.callout(AuthState.registered_notice, icon="info", color_scheme="grass", id="registered-notice")),
        rx.form(
            rx.vstack(field("E-mail", "email", "email"), field("Password", "password", "password"), form_error(),
                      rx.button("Sign in", type="submit", size="3", width="100%", color_scheme=BRAND_COLOR,
                                id="sign-in"),
                      spacing="3", width="100%"),
            on_submit=AuthState.sign_in, reset_on_submit=False,
        ),
        rx.text("New here? ", rx.link("Create an account", href="/register" + AuthState.next_query), size="2"),
    ))


@page("/register", "Create an account · Bookbug", nav_label="Register", guests_only=True,
      on_load=AuthState.leave_if_signed_in)
def register() -> rx.Component:
    if get_settings().clerk_enabled:
        return clerk_card("Create an account", "sign_up")
    return page_layout(card(
        "Create an account",
        rx.form(
            rx.vstack(
                field("Your name (optional)", "display_name"),
                field("E-mail", "email", "email"),
                field("Password", "password", "password",
                      hint=f"At least {MIN_PASSWORD_LENGTH} characters; a few unrelated words work well."),
                field("Password again", "confirm", "password"),
                form_error(),
                rx.button("Create account", type="submit", size="3", width="100%", color_scheme=BRAND_COLOR,
                          id="register"),
                spacing="3", width="100%",
            ),
            on_submit=AuthState.register, reset_on_submit=False,
        ),
        rx.text("Already have an account? ", rx.link("Sign in", href="/login" + AuthState.next_query), size="2"),
    ))
