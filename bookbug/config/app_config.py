"""Operator-editable configuration: the settings' defaults, overridden by rows in app_settings.

Reads are cheap (one small query, cached for a couple of seconds per process) so every new
book and every workflow step sees an operator's change without a restart.
"""

from __future__ import annotations

import logging
import time
from typing import Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import select

from bookbug.db import AppSetting, session_scope, utcnow
from bookbug.engine import EngineConfig, RateLimit, RetryPolicy
from bookbug.safety import text_rules
from bookbug.errors import InvalidInput
from bookbug.settings import get_settings
from bookbug.story.formats import FORMATS

log = logging.getLogger(__name__)

CACHE_SECONDS = 2.0


class AppConfig(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # "  " is an empty model name, not a name

    # Each title is the field's label on /settings and in every message about it.
    text_provider: Literal["auto", "claude", "offline"] = Field("auto", title="Story text")
    image_provider: Literal["auto", "replicate", "offline"] = Field("auto", title="Illustrations")
    anthropic_model: str = Field(min_length=1, max_length=100, title="Claude model")
    anthropic_fast_model: str = Field(min_length=1, max_length=100, title="Claude fast model")
    replicate_reference_model: str = Field(min_length=1, max_length=100, title="Replicate reference model")
    replicate_prompt_model: str = Field(min_length=1, max_length=100, title="Replicate prompt model")
    anthropic_rpm: int = Field(ge=1, le=10000, title="Anthropic requests a minute")
    replicate_rpm: int = Field(ge=1, le=10000, title="Replicate requests a minute")
    page_concurrency: int = Field(ge=1, le=16, title="Pages at a time per book")
    books_per_minute: int = Field(ge=1, le=1000, title="New books a minute per user")
    default_format: str = Field(title="Default format")
    default_page_count: int = Field(ge=8, le=32, title="Default page count")
    run_retention_days: int = Field(30, ge=1, le=3650, title="Days to keep finished runs and events")
    draft_retention_days: int = Field(30, ge=1, le=3650, title="Days to keep abandoned drafts")
    anthropic_max_attempts: int = Field(ge=1, le=20, title="Anthropic attempts per step")
    replicate_max_attempts: int = Field(ge=1, le=20, title="Replicate attempts per step")
    retry_base_delay: float = Field(ge=0.1, le=60, title="First retry after (seconds)")
    retry_max_delay: float = Field(ge=1, le=3600, title="Longest wait between retries (seconds)")
    picture_redraws: int = Field(3, ge=0, le=10, title="New drawings when a picture fails")
    # Spending: caps checked atomically before every paid call (bookbug/workflows/meter.py) and at
    # every door that starts paid work (bookbug/services/caps.py); 0 means no cap.
    user_spend_per_day: float = Field(0.0, ge=0, le=100000, title="Spending cap per person a day (USD, 0 for none)")
    global_spend_per_day: float = Field(0.0, ge=0, le=1000000,
                                        title="Spending cap for everyone a day (USD, 0 for none)")
    plot_revisions_per_book: int = Field(10, ge=1, le=100, title="Plot changes per book")
    redos_per_page_per_day: int = Field(5, ge=1, le=100, title="Redos of one page a day")
    characters_per_book: int = Field(6, ge=1, le=20, title="Character sheets per book")
    pages_per_book: int = Field(32, ge=8, le=32, title="Most pages per book")
    prompt_caching: Literal["on", "off"] = Field("on", title="Prompt caching (Claude)")

    @model_validator(mode="after")
    def _waits_in_order(self) -> AppConfig:
        if self.retry_max_delay < self.retry_base_delay:
            raise ValueError("the longest wait between retries cannot be shorter than the first")
        return self

    @field_validator("anthropic_model", "anthropic_fast_model", "replicate_reference_model", "replicate_prompt_model")
    @classmethod
    def _visible_characters(cls, value: str) -> str:
        if text_rules.unusable_character(value):
            raise ValueError("a model name has no control characters")
        return value

    @field_validator("default_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in FORMATS:
            raise ValueError(f"choose one of {', '.join(FORMATS)}")
        return value


def label(key: str) -> str:
    """The field's label as /settings shows it."""
    return AppConfig.model_fields[key].title or key.replace("_", " ")


def _either(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} or {choices[-1]}"


def allowed(key: str) -> str:
    """What the field accepts, in words, read from the model's own constraints so the two agree."""
    field = AppConfig.model_fields[key]
    bounds = {name: getattr(m, name) for m in field.metadata
              for name in ("ge", "le", "min_length", "max_length") if hasattr(m, name)}
    if key == "default_format":
        return f"one of {_either(list(FORMATS))}"
    if get_origin(field.annotation) is Literal:
        return _either([str(choice) for choice in get_args(field.annotation)])
    if field.annotation is int:
        return f"a whole number from {bounds['ge']} to {bounds['le']}"
    if field.annotation is float:
        return f"a number from {bounds['ge']:g} to {bounds['le']:g}"
    return f"a name of {bounds.get('min_length', 0)} to {bounds.get('max_length', 100)} characters"


def rule(key: str) -> str:
    """The one sentence an operator sees for a bad value, e.g. "Pages at a time per book must be
    a whole number from 1 to 16." It is the same whatever was wrong (a word, a negative, zero)."""
    return f"{label(key)} must be {allowed(key)}."


def defaults() -> AppConfig:
    s = get_settings()
    return AppConfig(
        anthropic_model=s.anthropic_model, anthropic_fast_model=s.anthropic_fast_model,
        replicate_reference_model=s.replicate_reference_model, replicate_prompt_model=s.replicate_prompt_model,
        anthropic_rpm=s.anthropic_rpm, replicate_rpm=s.replicate_rpm, page_concurrency=s.page_concurrency,
        books_per_minute=s.books_per_minute, default_format=s.default_format,
        default_page_count=s.default_page_count, anthropic_max_attempts=s.anthropic_max_attempts,
        replicate_max_attempts=s.replicate_max_attempts, retry_base_delay=s.retry_base_delay,
        retry_max_delay=max(s.retry_max_delay, s.retry_base_delay),
    )


_cache: tuple[float, str, AppConfig] | None = None


def _valid_config(values: dict[str, object]) -> AppConfig:
    """The stored settings, each one no longer valid (rules tightened since) replaced by its
    default alone, so one stale row does not reset every other choice an operator made."""
    fallback = defaults().model_dump()
    for _ in range(len(values)):
        try:
            return AppConfig.model_validate(values)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"] and str(e["loc"][0]) in fallback}
            if not bad:
                break
            log.warning("stored settings no longer valid, using their defaults: %s", ", ".join(sorted(bad)))
            values = {**values, **{key: fallback[key] for key in bad}}
    return defaults()


def current(db_url: str | None = None) -> AppConfig:
    global _cache
    url = db_url or get_settings().db_url
    now = time.monotonic()
    if _cache and _cache[1] == url and now - _cache[0] < CACHE_SECONDS:
        return _cache[2]
    values = defaults().model_dump()
    with session_scope(url) as session:
        for row in session.exec(select(AppSetting)).all():
            if row.key in values and row.value is not None:
                values[row.key] = row.value
    config = _valid_config(values)
    _cache = (now, url, config)
    return config


def update(changes: dict[str, object], *, updated_by: str | None = None, db_url: str | None = None) -> AppConfig:
    """Validate and store an operator's changes; unknown keys and bad values change nothing."""
    global _cache
    unknown = sorted(set(changes) - set(AppConfig.model_fields))
    if unknown:
        raise InvalidInput(f"{unknown[0]} is not a setting operators can change.", field=unknown[0])
    merged = {**current(db_url).model_dump(), **changes}
    try:
        config = AppConfig(**merged)
    except ValidationError as exc:
        # the first bad field the operator changed (or, failing that, any), named by its label
        bad = [str(e["loc"][0]) for e in exc.errors() if e["loc"] and str(e["loc"][0]) in AppConfig.model_fields]
        field = next((key for key in changes if key in bad), bad[0] if bad else None)
        if field is None and "retry_max_delay" in merged:  # the one rule across two fields
            raise InvalidInput(f"{label('retry_max_delay')} cannot be shorter than {label('retry_base_delay')}.",
                               field="retry_max_delay") from None
        raise InvalidInput(rule(field) if field else "Those settings are not valid.", field=field) from None
    with session_scope(db_url) as session:
        for key in changes:
            row = session.get(AppSetting, key) or AppSetting(key=key)
            row.value = getattr(config, key)
            row.updated_by = updated_by
            row.updated_at = utcnow()
            session.add(row)
    _cache = None
    return config


def provider_rate_limits() -> dict[str, RateLimit]:
    """The providers' calls per minute as operators set them, for the engine's rate limiter."""
    config = current()
    return {"anthropic": RateLimit("anthropic", limit=config.anthropic_rpm, period="1m"),
            "replicate": RateLimit("replicate", limit=config.replicate_rpm, period="1m")}


def retry_policies() -> dict[str, RetryPolicy]:
    """How hard each provider's calls are tried, as operators set it (the engine asks at each failure)."""
    config = current()
    base, cap = config.retry_base_delay, max(config.retry_max_delay, config.retry_base_delay)
    return {"anthropic": RetryPolicy(config.anthropic_max_attempts, base, cap),
            "replicate": RetryPolicy(config.replicate_max_attempts, base, cap)}


def run_retention_seconds() -> float:
    """How long the engine keeps finished runs and old events (chat text among them)."""
    return current().run_retention_days * 86400.0


def engine_config() -> EngineConfig:
    """The app's and the workers' engine: database and Redis from settings, with the operators'
    live rate limits and retention."""
    settings = get_settings()
    return EngineConfig(
        db_url=settings.db_url, redis_url=settings.redis_url,
        retry_base=settings.retry_base_delay, retry_cap=settings.retry_max_delay,
        rate_limits={"anthropic": RateLimit("anthropic", limit=settings.anthropic_rpm, period="1m"),
                     "replicate": RateLimit("replicate", limit=settings.replicate_rpm, period="1m")},
        rate_limits_source=provider_rate_limits, retention_source=run_retention_seconds,
        retry_policies=retry_policies, shutdown_grace=settings.worker_shutdown_grace,
        http_port=settings.worker_metrics_port,
    )
