"""How hard to try each outside service: attempts, backoff bounds, request rate."""

from __future__ import annotations

from dataclasses import dataclass

from bookbug.settings import Settings, get_settings

# Services without their own settings (S3, Clerk...): boto3 and friends already retry
# inside the SDK, so a few attempts on top are enough.
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ServicePolicy:
    max_attempts: int
    base_delay: float
    max_delay: float
    requests_per_minute: int | None = None  # None: no rate limit of our own

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.base_delay <= 0:
            raise ValueError(f"base_delay must be more than 0 seconds, got {self.base_delay}")
        if self.max_delay <= 0:
            raise ValueError(f"max_delay must be more than 0 seconds, got {self.max_delay}")
        if self.requests_per_minute is not None and self.requests_per_minute < 1:
            raise ValueError(
                f"requests_per_minute must be at least 1 (or None for no limit), got {self.requests_per_minute}"
            )


def policy_for(service: str, settings: Settings | None = None) -> ServicePolicy:
    """The policy for `service` ("anthropic", "replicate", anything else gets the default)."""
    if not service or not service.strip():
        raise ValueError("policy_for needs a service name such as 'anthropic' or 'replicate'")
    settings = settings or get_settings()
    name = service.strip().lower()
    if name == "anthropic":
        attempts, rpm = settings.anthropic_max_attempts, settings.anthropic_rpm
    elif name == "replicate":
        attempts, rpm = settings.replicate_max_attempts, settings.replicate_rpm
    else:
        attempts, rpm = DEFAULT_MAX_ATTEMPTS, None
    return ServicePolicy(
        max_attempts=attempts,
        base_delay=settings.retry_base_delay,
        max_delay=settings.retry_max_delay,
        requests_per_minute=rpm,
    )
