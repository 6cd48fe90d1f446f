"""Values an operator edits at run time on /settings (rate limits, models, defaults)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlmodel import Field, SQLModel

from bookbug.db.types import json_field, when_field


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_settings"

    key: str = Field(primary_key=True, max_length=100)
    value: Optional[Any] = json_field()
    updated_by: Optional[str] = Field(default=None, max_length=32)
    updated_at: Optional[datetime] = when_field()
