"""/settings for operators: app configuration stored in app_settings, secrets' presence, jobs."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import reflex as rx

from bookbug.services import runs, spending
from bookbug.config import app_config
from bookbug.errors import InvalidInput
from bookbug.settings import Settings, get_settings
from bookbug.state import jobs
from bookbug.state.rows import PriceRow, RunRow, SettingRow, SpendRow, StepRow
from bookbug.state.session import SessionState

SECRETS = {
    "Anthropic API key": "anthropic_api_key",
    "Replicate API token": "replicate_api_token",
    "S3 access key": "s3_access_key_id",
    "S3 secret key": "s3_secret_access_key",
    "Clerk secret key": "clerk_secret_key",
    "Clerk JWT key": "clerk_jwt_key",
}
WHOLE_NUMBER = re.compile(r"-?[0-9]+")
INTEGER_FIELDS = {name for name, field in app_config.AppConfig.model_fields.items() if field.annotation is int}
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
DECIMAL_FIELDS = {name for name, field in app_config.AppConfig.model_fields.items() if field.annotation is float}


PRICE_FIELDS = ("input", "output", "cache_read", "cache_write", "image")


def _usd(value: float | None) -> str:
    return "" if value is None else f"${value:,.4f}" if value < 1 else f"${value:,.2f}"


def _spend_rows(items: list[spending.Spend]) -> list[SpendRow]:
    return [SpendRow(label=s.label, usd=_usd(s.usd), calls=str(s.calls) if s.calls else "") for s in items]


def parse_price(form: dict[str, Any]) -> dict[str, Any]:
    """The submitted price form as set_price's arguments; a figure that is not a number is refused."""
    values: dict[str, Any] = {"provider": str(form.get("provider", "")), "model": str(form.get("model", ""))}
    for name in PRICE_FIELDS:
        text = str(form.get(name, "") or "0").strip()
        if not NUMBER.fullmatch(text):
            raise InvalidInput(f"The {name.replace('_', ' ')} price must be a number from 0 to 10000 (USD).",
                               field=name)
        values[name] = float(text)
    return values


def secret_rows(settings: Settings) -> list[SettingRow]:
    """Whether each secret is configured: never its value, not even a part of it."""
    return [SettingRow(label=label, value="set" if getattr(settings, attr, "") else "not set")
            for label, attr in SECRETS.items()]


def parse_changes(form: dict[str, Any]) -> dict[str, object]:
    """The submitted form as typed settings changes; blank fields are left unchanged."""
    changes: dict[str, object] = {}
    for key, raw in form.items():
        if key not in app_config.AppConfig.model_fields:
            continue
        text = str(raw).strip()
        if not text:
            continue
        if key in INTEGER_FIELDS:
            if not WHOLE_NUMBER.fullmatch(text):  # a negative is a number, and out of range: update says so
                raise InvalidInput(app_config.rule(key), field=key)
            changes[key] = int(text)
        elif key in DECIMAL_FIELDS:
            if not NUMBER.fullmatch(text):
                raise InvalidInput(app_config.rule(key), field=key)
            changes[key] = float(text)
        else:
            changes[key] = text
    return changes


class OperatorSettingsState(SessionState):
    config: dict[str, str] = {}
    secrets: list[SettingRow] = []
    counts: list[SettingRow] = []
    runs: list[RunRow] = []
    steps: list[StepRow] = []
    steps_for: str = ""
    status_filter: str = ""
    notice: str = ""
    saved: str = ""
    # what books cost (estimates from the price table): /settings "Spending"
    spend_by_day: list[SpendRow] = []
    spend_chart: list[dict[str, Any]] = []
    spend_by_user: list[SpendRow] = []
    spend_by_provider: list[SpendRow] = []
    top_books: list[SpendRow] = []
    book_costs: list[SettingRow] = []
    prices: list[PriceRow] = []
    price_notice: str = ""

    async def _require_operator(self) -> Any:
        """None when the viewer is an operator (checked again now: the role may have been taken
        away since the page loaded); otherwise where to send them, with what the page showed gone."""
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        if not self.viewer_is_operator:
            self.reset()
            return rx.redirect("/books")
        return None

    async def _refresh_spending(self) -> None:
        summary = await asyncio.to_thread(spending.summary)
        self.spend_by_day = _spend_rows(summary.by_day)
        self.spend_chart = [{"day": s.label[5:], "usd": s.usd} for s in summary.by_day]
        self.spend_by_user = _spend_rows(summary.by_user)
        self.spend_by_provider = _spend_rows(summary.by_provider)
        self.top_books = _spend_rows(summary.top_books)
        self.book_costs = [SettingRow(label="Finished books", value=str(summary.finished_books)),
                           SettingRow(label="Median cost per finished book", value=_usd(summary.median_book_usd)),
                           SettingRow(label="p90 cost per finished book", value=_usd(summary.p90_book_usd))]
        self.prices = [PriceRow(provider=p.provider, model=p.model, input=f"{p.input:g}", output=f"{p.output:g}",
                                cache_read=f"{p.cache_read:g}", cache_write=f"{p.cache_write:g}", image=f"{p.image:g}",
                                taken_on=p.taken_on, source="set here" if p.edited else "list price")
                       for p in await asyncio.to_thread(spending.price_rows)]

    @rx.event
    async def save_price(self, form: dict[str, Any]) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        try:
            await asyncio.to_thread(spending.set_price, **parse_price(form), updated_by=self.viewer_email)
        except InvalidInput as error:
            self.price_notice = error.message
            return None
        self.price_notice = "Saved. Costs from now on are estimated with this price."
        await self._refresh_spending()
        return None

    async def _refresh_jobs(self) -> None:
        self.counts = await asyncio.to_thread(jobs.status_counts)
        self.runs = await asyncio.to_thread(jobs.run_rows, self.status_filter)
        if self.steps_for:
            self.steps = await asyncio.to_thread(jobs.step_rows, self.steps_for)

    @rx.event
    async def load_settings(self) -> Any:
        await self._current_user_id()
        away = await self._require_operator()
        if away is not None:
            return away
        self.notice, self.saved = "", ""
        current = await asyncio.to_thread(app_config.current)
        self.config = {key: str(value) for key, value in current.model_dump().items()}
        self.secrets = secret_rows(get_settings())
        await self._refresh_spending()
        await self._refresh_jobs()
        return None

    @rx.event
    async def set_field(self, key: str, value: str) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        if key in app_config.AppConfig.model_fields:
            self.config = {**self.config, key: value}
            self.saved = ""
        return None

    @rx.event
    async def save_settings(self, form: dict[str, Any]) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        try:
            changes = parse_changes(form)
            updated = await asyncio.to_thread(app_config.update, changes, updated_by=self.viewer_email)
        except InvalidInput as error:
            self.notice, self.saved = error.message, ""
            return None
        self.config = {key: str(value) for key, value in updated.model_dump().items()}
        self.notice, self.saved = "", "Saved. New books and steps use these settings from now on."
        return None

    @rx.event
    async def filter_runs(self, status: str) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        self.status_filter = "" if status == "all" else status
        await self._refresh_jobs()
        return None

    @rx.event
    async def show_steps(self, run_id: str) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        self.steps_for = run_id
        self.steps = await asyncio.to_thread(jobs.step_rows, run_id)
        return None

    @rx.event
    async def rerun(self, run_id: str) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        self.saved = await runs.rerun(run_id)
        await self._refresh_jobs()
        return None

    @rx.event
    async def cancel(self, run_id: str) -> Any:
        away = await self._require_operator()
        if away is not None:
            return away
        self.saved = await runs.cancel(run_id)
        await self._refresh_jobs()
        return None
