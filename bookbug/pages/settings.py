"""`/settings` (operators only): configuration used without a restart, and the jobs dashboard."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import page_layout
from bookbug.components.tables import scrolling_table
from bookbug.components.registry import page
from bookbug.config import app_config
from bookbug.state.jobs import STATUSES as RUN_STATUSES
from bookbug.state.operator_settings import OperatorSettingsState as S
from bookbug.state.rows import PriceRow, RunRow, SettingRow, StepRow
from bookbug.story.formats import FORMATS

CHOICES = {
    "text_provider": ["auto", "claude", "offline"],
    "image_provider": ["auto", "replicate", "offline"],
    "default_format": list(FORMATS),
    "prompt_caching": ["on", "off"],
}
GROUPS = [  # the labels are the fields' titles in app_config, so messages name them the same way
    ("Providers", ["text_provider", "image_provider", "anthropic_model", "anthropic_fast_model",
                   "replicate_reference_model", "replicate_prompt_model"]),
    ("Limits", ["anthropic_rpm", "replicate_rpm", "page_concurrency", "books_per_minute"]),
    ("Retries", ["anthropic_max_attempts", "replicate_max_attempts", "retry_base_delay", "retry_max_delay",
                 "picture_redraws"]),
    ("Spending caps", ["user_spend_per_day", "global_spend_per_day", "plot_revisions_per_book",
                       "redos_per_page_per_day", "characters_per_book", "pages_per_book", "prompt_caching"]),
    ("Privacy", ["run_retention_days", "draft_retention_days"]),
    ("New books", ["default_format", "default_page_count"]),
]


def setting_input(key: str, label: str) -> rx.Component:
    if key in CHOICES:
        control = rx.select(CHOICES[key], value=S.config[key], name=key, on_change=lambda v: S.set_field(key, v),  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                            id=f"setting-{key}", custom_attrs={"aria-label": label})
    else:
        control = rx.input(value=S.config[key], name=key, on_change=lambda v: S.set_field(key, v),  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                           id=f"setting-{key}", type="number" if key.endswith(("rpm", "concurrency", "minute", "count", "days", "attempts", "delay", "redraws", "per_day", "_book"))
                           else "text", width="100%")
    # a real <label for=…>: Radix's text rendered as a label drops the `for`
    return rx.vstack(rx.el.label(rx.text(label, size="2", weight="bold", as_="span"), html_for=f"setting-{key}"),
                     control, spacing="1", width="100%")


def secret_row(row: SettingRow) -> rx.Component:
    return rx.hstack(rx.text(row.label, size="2", min_width="12rem"),
                     rx.badge(row.value, color_scheme=rx.cond(row.value == "set", "grass", "gray")))


def config_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            *[rx.vstack(rx.heading(title, size="4"),
                        rx.grid(*[setting_input(k, app_config.label(k)) for k in fields],
                                columns=rx.breakpoints(initial="1", sm="2"), spacing="3",
                                width="100%"), width="100%")
              for title, fields in GROUPS],
            rx.cond(S.notice != "", rx.callout(S.notice, icon="triangle_alert", color_scheme="red",
                                               id="settings-error")),
            rx.cond(S.saved != "", rx.callout(S.saved, icon="check", color_scheme="grass", id="settings-saved")),
            rx.button("Save settings", type="submit", size="3", id="save-settings"),
            spacing="4", width="100%",
        ),
        on_submit=S.save_settings, reset_on_submit=False,
    )


def run_row(run: RunRow) -> rx.Component:
    return rx.table.row(
        # a button, not a link without an address: the keyboard reaches it
        rx.table.cell(rx.button(run.id, on_click=S.show_steps(run.id), variant="ghost", size="1")),  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
        rx.table.cell(run.workflow), rx.table.cell(run.status), rx.table.cell(run.stage),
        rx.table.cell(run.attempts), rx.table.cell(run.created), rx.table.cell(rx.text(run.error, size="1")),
        rx.table.cell(rx.hstack(
            rx.cond(run.can_rerun, rx.button("Rerun", on_click=S.rerun(run.id), size="1")),  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
            rx.cond(run.can_cancel, rx.button("Cancel", on_click=S.cancel(run.id), size="1", color_scheme="red",  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                                              variant="soft")),
        )),
    )


def step_row(step: StepRow) -> rx.Component:
    return rx.table.row(rx.table.cell(step.step_id), rx.table.cell(step.kind), rx.table.cell(step.status),
                        rx.table.cell(step.attempts), rx.table.cell(step.duration),
                        rx.table.cell(rx.text(step.error, size="1")))


def table(headers: list[str], body: rx.Component, label: str) -> rx.Component:
    return scrolling_table(
        rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                      rx.table.body(body), width="100%", size="1"),
        label)


def jobs() -> rx.Component:
    return rx.vstack(
        rx.heading("Jobs", size="5"),
        rx.hstack(rx.foreach(S.counts, lambda c: rx.badge(c.label + ": " + c.value, variant="soft")), wrap="wrap"),
        rx.select(["all", *RUN_STATUSES], default_value="all", on_change=S.filter_runs,
                  custom_attrs={"aria-label": "Show runs"}),
        table(["Run", "Workflow", "Status", "Stage", "Attempts", "Created", "Error", ""],
              rx.foreach(S.runs, run_row), "Runs"),
        rx.cond(S.steps_for != "", rx.vstack(
            rx.heading("Steps of " + S.steps_for, size="4"),
            table(["Step", "Kind", "Status", "Attempts", "Duration", "Error"], rx.foreach(S.steps, step_row), "Steps"),
            width="100%",
        )),
        spacing="3", width="100%", id="jobs",
    )


def spend_table(title: str, first: str, rows: object) -> rx.Component:
    return rx.vstack(rx.heading(title, size="3"),
                     table([first, "USD (estimate)", "Calls"],
                           rx.foreach(rows, lambda r: rx.table.row(rx.table.cell(r.label), rx.table.cell(r.usd),
                                                                   rx.table.cell(r.calls))), title),
                     width="100%")


def price_row(row: PriceRow) -> rx.Component:
    return rx.table.row(*[rx.table.cell(value) for value in (row.provider, row.model, row.input, row.output,
                                                             row.cache_read, row.cache_write, row.image,
                                                             row.taken_on, row.source)])


def price_form() -> rx.Component:
    fields = [("provider", "anthropic or replicate"), ("model", "model, family word or *"),
              ("input", "input / M tokens"), ("output", "output / M tokens"), ("cache_read", "cache read / M"),
              ("cache_write", "cache write / M"), ("image", "per image")]
    return rx.form(
        rx.hstack(*[rx.input(name=name, placeholder=hint, id=f"price-{name}", size="1",
                                     custom_attrs={"aria-label": f"Price {hint}"}) for name, hint in fields],
                  rx.button("Save price", type="submit", size="1", id="save-price"), wrap="wrap", spacing="2"),
        on_submit=S.save_price, reset_on_submit=True,
    )


def spending() -> rx.Component:
    return rx.vstack(
        rx.heading("Spending", size="5"),
        rx.text("Every paid call is on the ledger. Dollars are estimates from the price table below, not "
                "invoices.", color_scheme="gray", size="2"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="usd", fill="var(--accent-9)", name="USD (estimate)"),
            rx.recharts.x_axis(data_key="day"), rx.recharts.y_axis(), rx.recharts.graphing_tooltip(),
            data=S.spend_chart, width="100%", height=180,
        ),
        rx.grid(spend_table("Per day (last 14)", "Day", S.spend_by_day),
                spend_table("Per provider (last 14 days)", "Provider", S.spend_by_provider),
                spend_table("Per person (top 10, last 14 days)", "Person", S.spend_by_user),
                spend_table("Most expensive books", "Book", S.top_books),
                columns="2", spacing="4", width="100%"),
        rx.foreach(S.book_costs, secret_row),
        rx.heading("Prices", size="3"),
        table(["Provider", "Model", "Input", "Output", "Cache read", "Cache write", "Image", "Taken on", "Source"],
              rx.foreach(S.prices, price_row), "Prices"),
        price_form(),
        rx.cond(S.price_notice != "", rx.text(S.price_notice, size="2", id="price-notice")),
        spacing="3", width="100%", id="spending",
    )


@page("/settings", "Settings · Bookbug", nav_label="Settings", operators_only=True, on_load=S.load_settings)
def settings() -> rx.Component:
    # Nothing of the page shows until the server has said the viewer is an operator.
    return page_layout(rx.cond(S.viewer_is_operator, rx.vstack(
        rx.heading("Settings", size="7"),
        rx.text("Changes apply to new books and new steps at once; no restart needed.", color_scheme="gray"),
        config_form(),
        rx.divider(),
        rx.heading("Secrets", size="5"),
        rx.text("Set through the environment; shown here only as set or not set.", color_scheme="gray", size="2"),
        rx.foreach(S.secrets, secret_row),
        rx.divider(),
        spending(),
        rx.divider(),
        jobs(),
        spacing="5", width="100%",
    ), rx.center(rx.spinner(), padding_y="4rem")))
