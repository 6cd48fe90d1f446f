"""policy_for: per-service attempts, backoff bounds and request rate, from settings."""

from __future__ import annotations

import pytest

from bookbug.resilience import ServicePolicy, policy_for
from bookbug.resilience.policy import DEFAULT_MAX_ATTEMPTS
from bookbug.settings import Settings


def test_anthropic_and_replicate_read_their_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bookbug.settings import reset_settings

    for name, value in {
        "ANTHROPIC_MAX_ATTEMPTS": "7", "ANTHROPIC_RPM": "12", "REPLICATE_MAX_ATTEMPTS": "4",
        "REPLICATE_RPM": "30", "RETRY_BASE_DELAY": "0.25", "RETRY_MAX_DELAY": "9",
    }.items():
        monkeypatch.setenv(name, value)
    reset_settings()

    assert policy_for("anthropic") == ServicePolicy(max_attempts=7, base_delay=0.25, max_delay=9.0, requests_per_minute=12)
    assert policy_for("Replicate") == ServicePolicy(max_attempts=4, base_delay=0.25, max_delay=9.0, requests_per_minute=30)


def test_other_services_get_the_default_attempts_and_no_rate_limit() -> None:
    settings = Settings(retry_base_delay=2, retry_max_delay=30)
    assert policy_for("s3", settings) == ServicePolicy(
        max_attempts=DEFAULT_MAX_ATTEMPTS, base_delay=2.0, max_delay=30.0, requests_per_minute=None
    )


def test_explicit_settings_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_MAX_ATTEMPTS", "9")
    assert policy_for("anthropic", Settings(anthropic_max_attempts=2)).max_attempts == 2


def test_a_service_name_is_required() -> None:
    with pytest.raises(ValueError, match="service name"):
        policy_for("  ")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"base_delay": 0}, "base_delay"),
        ({"max_delay": -1}, "max_delay"),
        ({"requests_per_minute": 0}, "requests_per_minute"),
    ],
)
def test_a_policy_refuses_impossible_values(fields: dict[str, float], message: str) -> None:
    values = {"max_attempts": 3, "base_delay": 1.0, "max_delay": 10.0, **fields}
    with pytest.raises(ValueError, match=message):
        ServicePolicy(**values)  # type: ignore[arg-type]
