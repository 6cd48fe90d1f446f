"""Operator-editable configuration: the settings' defaults, overridden by rows in app_settings.

Reads are cheap (one small query, cached for a couple of seconds per process) so every new
book and every workflow step sees an operator's change without a restart.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlmodel import select

from bookbug.db import AppSetting, session_scope, utcnow
from bookbug.engine import EngineConfig, RateLimit
from bookbug.services.errors import InvalidInput
from bookbug.settings import get_settings
from bookbug.story.formats import FORMATS

CACHE_SECONDS = 2.0


class AppConfig(BaseModel):
    text_provider: Literal["auto", "claude", "offline"] = "auto"
    image_provider: Literal["auto", "replicate", "offline"] = "auto"
    anthropic_model: str = Field(min_length=1, max_length=100)
    anthropic_fast_model: str = Field(min_length=1, max_length=100)
    replicate_reference_model: str = Field(min_length=1, max_length=100)
    replicate_prompt_model: str = Field(min_length=1, max_length=100)
    anthropic_rpm: int = Field(ge=1, le=10000)
    replicate_rpm: int = Field(ge=1, le=10000)
    page_concurrency: int = Field(ge=1, le=16)
    books_per_minute: int = Field(ge=1, le=1000)
    default_format: str
    default_page_count: int = Field(ge=8, le=32)

    @field_validator("default_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in FORMATS:
            raise ValueError(f"choose one of {', '.join(FORMATS)}")
        return value


def defaults() -> AppConfig:
    s = get_settings()
    return AppConfig(
        anthropic_model=s.anthropic_model, anthropic_fast_model=s.anthropic_fast_model,
        replicate_reference_model=s.replicate_reference_model, replicate_prompt_model=s.replicate_prompt_model,
        anthropic_rpm=s.anthropic_rpm, replicate_rpm=s.replicate_rpm, page_concurrency=s.page_concurrency,
        books_per_minute=s.books_per_minute, default_format=s.default_format,
        default_page_count=s.default_page_count,
    )


_cache: tuple[float, str, AppConfig] | None = None


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
    try:
        config = AppConfig(**values)
    except ValidationError:  # a stored value no longer valid: fall back to the defaults
        config = defaults()
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
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else None
        raise InvalidInput(f"{field}: {error['msg']}.", field=field) from None
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


def engine_config() -> EngineConfig:
    """The app's and the workers' engine: from settings, with operators' live rate limits."""
    return replace(EngineConfig.from_settings(), rate_limits_source=provider_rate_limits)
