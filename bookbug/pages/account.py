"""`/account`: personal API tokens and open sessions."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import page_layout
from bookbug.pages.registry import page
from bookbug.state.account import AccountState
from bookbug.state.rows import SessionRow, TokenRow


def token_row(token: TokenRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(token.name), rx.table.cell(rx.code(token.prefix + "…")), rx.table.cell(token.created),
        rx.table.cell(token.last_used), rx.table.cell(token.expires),
        rx.table.cell(rx.button("Revoke", on_click=AccountState.revoke_token(token.id), size="1", color_scheme="red",
                                variant="soft")),
    )


def session_row(session: SessionRow) -> rx.Component:
    return rx.table.row(rx.table.cell(session.device), rx.table.cell(session.created),
                        rx.table.cell(session.last_seen))


def tokens() -> rx.Component:
    return rx.vstack(
        rx.heading("API tokens", size="5"),
        rx.text("Tokens let the command-line client and scripts use your account.", color_scheme="gray"),
        rx.form(
            rx.hstack(rx.input(name="name", placeholder="Token name, e.g. laptop", required=True),
                      rx.button("Create token", type="submit", id="create-token")),
            on_submit=AccountState.create_token, reset_on_submit=True,
        ),
        rx.cond(AccountState.notice != "", rx.callout(AccountState.notice, icon="info", color_scheme="amber")),
        rx.cond(
            AccountState.new_token_name != "",
            rx.callout(
                rx.vstack(rx.text("Copy your new token now; it will not be shown again:"),
                          rx.code("", id="new-token")),  # filled in by the page, never from state
                icon="key", color_scheme="grass",
            ),
        ),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Name", "Token", "Created", "Last used", "Expires", "")])),
            rx.table.body(rx.foreach(AccountState.tokens, token_row)),
            width="100%",
        ),
        spacing="3", width="100%",
    )


def sessions() -> rx.Component:
    return rx.vstack(
        rx.heading("Where you are signed in", size="5"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Device", "Since", "Last seen")])),
            rx.table.body(rx.foreach(AccountState.sessions, session_row)),
            width="100%",
        ),
        rx.button("Sign out everywhere", on_click=AccountState.sign_out_everywhere, color_scheme="red",
                  variant="soft", id="sign-out-everywhere"),
        spacing="3", width="100%",
    )


@page("/account", "Account · Bookbug", nav_label="Account", members_only=True, on_load=AccountState.load_account)
def account() -> rx.Component:
    return page_layout(rx.vstack(rx.heading("Account", size="7"), tokens(), rx.divider(), sessions(),
                                 spacing="6", width="100%"))
