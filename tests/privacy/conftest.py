"""Privacy fixtures: the REST API on a fresh database with its engine (tests/api/conftest.py), the
files in either store (the local folder, or S3 through moto's stand-in), and a family with a
finished book, a draft mid-conversation and a password sign-in behind them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bookbug.providers.storage import get_storage
from bookbug.settings import reset_settings
from tests.api.conftest import _cheap_hashing, alice, api_db, bob, client, engine, make_caller  # noqa: F401 - fixtures
from tests.standins.s3 import REGION, S3StandIn


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Where the app keeps files: "local" (the data folder) or "s3" (a bucket on moto's server)."""
    if request.param == "local":
        yield "local"
        return
    with S3StandIn() as s3:
        bucket = s3.create_bucket()
        for name, value in {"S3_BUCKET": bucket, "S3_ACCESS_KEY_ID": s3.access_key_id,
                            "S3_SECRET_ACCESS_KEY": s3.secret_access_key, "S3_ENDPOINT_URL": s3.endpoint_url,
                            "S3_REGION": REGION}.items():
            monkeypatch.setenv(name, value)
        reset_settings()
        assert get_storage().name == "s3"
        yield "s3"
        reset_settings()


@pytest.fixture(autouse=True)
def _quick_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELETION_SETTLE_SECONDS", "0.5")
    reset_settings()
