"""Everything the app keeps, read back: every row of every table, every file in the configured store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, select

from bookbug.db.session import get_engine
from bookbug.providers.storage import LocalStore, S3Store, get_storage
from bookbug.settings import get_settings


def every_row() -> list[tuple[str, str]]:
    """(table, the row as text) for every row of every table in the database, whoever owns the table."""
    engine = get_engine(get_settings().db_url)
    meta = MetaData()
    meta.reflect(engine)
    found: list[tuple[str, str]] = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                found.append((table.name, json.dumps(dict(row._mapping), default=str, ensure_ascii=False)))
    return found


def every_file() -> dict[str, bytes]:
    """Every file in the configured store, by key."""
    store: Any = get_storage()
    if isinstance(store, LocalStore):
        root = Path(store.root)
        return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}
    assert isinstance(store, S3Store)
    client, bucket = store._client, store.bucket
    keys = [item["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for item in page.get("Contents", [])]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def mentions(needles: list[str]) -> list[str]:
    """Where any of `needles` is still written: a row of a table, a file's name or its bytes."""
    found = [f"{table}: {text[:200]}" for table, text in every_row() for needle in needles if needle in text]
    for key, data in every_file().items():
        for needle in needles:
            if needle in key or needle.encode() in data:
                found.append(f"file {key} mentions {needle!r}")
    return found
