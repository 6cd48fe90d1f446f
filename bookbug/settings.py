"""One settings object, read from the environment (and a `.env` file when present).

Every variable is listed with a comment in `.env.example`. With nothing set, Bookbug runs on
its embedded defaults: a SQLite file, an in-process worker, local files, local accounts and
the offline writer and illustrator.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing import Annotated
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    # where things live
    data_dir: Path = ROOT / "data"
    database_url: str = ""  # empty: a SQLite file in data_dir
    redis_url: str = ""  # empty: embedded mode (in-process worker, in-process Redis stand-in)
    app_url: str = "http://localhost:3000"
    # origins besides APP_URL's whose pages may use the app (CORS, cookie-authenticated writes)
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # text: Anthropic (empty key: the offline writer)
    anthropic_api_key: str = ""
    anthropic_base_url: str = ""
    anthropic_model: str = "claude-sonnet-4-6"
    anthropic_fast_model: str = "claude-haiku-4-5"
    anthropic_vision_model: str = "claude-sonnet-4-6"

    # images: Replicate (empty token: the offline illustrator)
    replicate_api_token: str = ""
    replicate_base_url: str = ""
    replicate_reference_model: str = "google/nano-banana-pro"
    replicate_prompt_model: str = "google/imagen-4"
    replicate_poll_seconds: float = Field(1.0, gt=0, le=60)
    # hosts a finished picture may be downloaded from; "*.example" matches its subdomains
    replicate_delivery_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["replicate.delivery", "*.replicate.delivery"])

    # narration: "offline" (espeak-ng, the embedded default), "replicate" (a text-to-speech model on
    # Replicate, with REPLICATE_API_TOKEN) or "off"
    narration_provider: Literal["offline", "replicate", "off"] = "offline"
    replicate_tts_model: str = "jaaari/kokoro-82m"  # answers a WAV file
    replicate_tts_voice: str = "af_bella"
    espeak_voice: str = "en-us"

    # files: S3 / R2 (empty bucket: the local folder data_dir/files)
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_region: str = "auto"
    s3_presign_seconds: int = 900

    # accounts: Clerk (empty: local accounts)
    clerk_secret_key: str = ""
    clerk_publishable_key: str = ""
    clerk_jwt_key: str = ""
    clerk_authorized_parties: Annotated[list[str], NoDecode] = Field(default_factory=list)
    clerk_api_url: str = ""
    clerk_js_url: str = ""  # empty: ClerkJS from the instance's Frontend API (see providers/auth/clerk_browser.py)

    # people
    operator_emails: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # limits (operators can override most of these at run time from /settings)
    page_concurrency: int = Field(2, ge=1, le=16)
    books_per_minute: int = Field(3, ge=1, le=1000)
    anthropic_rpm: int = Field(50, ge=1, le=10000)
    replicate_rpm: int = Field(60, ge=1, le=10000)
    anthropic_max_attempts: int = Field(5, ge=1)
    replicate_max_attempts: int = Field(5, ge=1)
    retry_base_delay: float = Field(1.0, gt=0)
    retry_max_delay: float = Field(60.0, gt=0)
    # worker processes: seconds a deploy's SIGTERM lets running steps finish; the port of
    # each worker's /metrics and /healthz (0: none)
    worker_shutdown_grace: float = Field(30.0, ge=0, le=3600)
    worker_metrics_port: int = Field(0, ge=0, le=65535)
    default_format: str = "square-large"
    default_page_count: int = Field(24, ge=8, le=32)
    # limits that keep one caller from exhausting the server
    max_request_bytes: int = Field(256 * 1024, ge=16 * 1024, le=64 * 1024 * 1024)
    streams_per_user: int = Field(10, ge=1, le=1000)
    registrations_per_address: int = Field(10, ge=1, le=10000)  # an hour
    # privacy: once an account's rows and files are deleted, its deletion waits this long and then
    # sweeps its runs and files once more (work that was in flight may land late)
    deletion_settle_seconds: float = Field(120.0, ge=0, le=3600)

    @field_validator("clerk_authorized_parties", "operator_emails", "allowed_origins",
                     "replicate_delivery_hosts", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("operator_emails")
    @classmethod
    def _lower_emails(cls, value: list[str]) -> list[str]:
        return [email.lower() for email in value]

    @field_validator("app_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        origin_of(value)  # raises for anything that is not an http(s) URL
        return value.strip()

    @field_validator("allowed_origins")
    @classmethod
    def _origins_only(cls, value: list[str]) -> list[str]:
        return [origin_of(entry, strict=True) for entry in value]

    @field_validator("replicate_delivery_hosts")
    @classmethod
    def _lower_hosts(cls, value: list[str]) -> list[str]:
        return [host.lower() for host in value]

    @property
    def origins(self) -> list[str]:
        """The web origins of this app: APP_URL's (with its loopback twins for a local app,
        since localhost and 127.0.0.1 are the same machine) and ALLOWED_ORIGINS."""
        own = origin_of(self.app_url)
        found = [own]
        parts = urlsplit(own)
        host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
        if host in _LOOPBACK:
            port = f":{parts.port}" if parts.port else ""
            found += [f"{parts.scheme}://{twin}{port}" for twin in _LOOPBACK if twin != host]
        return list(dict.fromkeys([*found, *self.allowed_origins]))

    @property
    def https(self) -> bool:
        """True when the app is served over https (cookies are then Secure)."""
        return self.app_url.strip().lower().startswith("https://")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'bookbug.db'}"

    @property
    def clerk_enabled(self) -> bool:
        """True when accounts are Clerk's (CLERK_SECRET_KEY set); else local accounts."""
        return bool(self.clerk_secret_key)

    @property
    def embedded(self) -> bool:
        """True when no Redis is configured: the worker runs inside the app process."""
        return not self.redis_url

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


def origin_of(url: str, *, strict: bool = False) -> str:
    """`scheme://host[:port]` of a URL, lowercased, without a default port. With `strict`,
    anything more than an origin (a path, a query) or a scheme other than http(s) is an error."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) origin like https://bookbug.example")
    if strict and (parts.path not in ("", "/") or parts.query or parts.fragment or parts.username):
        raise ValueError(f"{url!r} is more than an origin: give scheme://host[:port] only")
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    port = parts.port
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()
