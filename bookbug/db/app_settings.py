"""Values an operator edits at run time on /settings (rate limits, models, defaults)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from bookbug.db.types import json_field, when_field


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_settings"

    key: str = Field(primary_key=True, max_length=100)
    value: Any | None = json_field()
    updated_by: str | None = Field(default=None, max_length=32)
    updated_at: datetime | None = when_field()
