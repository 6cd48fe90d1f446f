"""Start-up checks: bad configuration stops Bookbug with one clear sentence naming the variable.

`python -m bookbug.startup` checks the configuration, applies database migrations and says who
the operators are; the README's run command calls it before starting the app.
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bookbug.providers.auth.clerk_browser import PublishableKeyError, clerk_js_url
from bookbug.settings import Settings, get_settings


class ConfigError(Exception):
    """A configuration problem, explained in one sentence that names the variable."""


def load_settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        variable = str(error["loc"][0]).upper() if error["loc"] else "a setting"
        raise ConfigError(f"{variable} is not valid: {error['msg']} (got {error.get('input')!r}).") from None


def check_database(settings: Settings) -> None:
    url = settings.db_url
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL: {url!r}.") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must point to SQLite or PostgreSQL, not {parsed.get_backend_name()!r}.")
    from bookbug.db.session import get_engine

    try:
        with get_engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"DATABASE_URL could not be reached ({parsed.render_as_string(hide_password=True)}): {reason}."
        ) from None


def check_redis(settings: Settings) -> None:
    if not settings.redis_url:
        return
    parsed = urlparse(settings.redis_url)
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if parsed.scheme not in ("redis", "rediss", "unix") or (parsed.scheme != "unix" and not parsed.hostname) or port == -1:
        raise ConfigError(
            f"REDIS_URL is malformed ({settings.redis_url!r}); expected something like redis://localhost:6379/0."
        )


def check_s3(settings: Settings) -> None:
    parts = {
        "S3_BUCKET": settings.s3_bucket,
        "S3_ACCESS_KEY_ID": settings.s3_access_key_id,
        "S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key,
    }
    given = [name for name, value in parts.items() if value]
    if given and len(given) < len(parts):
        missing = [name for name in parts if name not in given]
        raise ConfigError(
            f"{missing[0]} is not set, but {', '.join(given)} {'is' if len(given) == 1 else 'are'} set: "
            "set the bucket and both keys to use S3, or none of them to keep files locally."
        )


def check_clerk(settings: Settings) -> None:
    if settings.clerk_secret_key and not settings.clerk_jwt_key:
        raise ConfigError("CLERK_JWT_KEY is not set, but CLERK_SECRET_KEY is: Bookbug verifies Clerk "
                          "session tokens with the JWT public key, so set both or neither.")
    if settings.clerk_jwt_key and not settings.clerk_secret_key:
        raise ConfigError("CLERK_SECRET_KEY is not set, but CLERK_JWT_KEY is: set both or neither.")
    if settings.clerk_enabled:
        if not settings.clerk_publishable_key:
            raise ConfigError("CLERK_PUBLISHABLE_KEY is not set, but CLERK_SECRET_KEY is: the sign-in page "
                              "needs it to load Clerk's sign-in form.")
        try:
            clerk_js_url(settings)
        except PublishableKeyError as exc:
            raise ConfigError(str(exc)) from exc


def check_configuration() -> Settings:
    settings = load_settings()
    check_redis(settings)
    check_s3(settings)
    check_clerk(settings)
    check_database(settings)
    return settings


def main() -> int:
    try:
        settings = check_configuration()
        from bookbug.db.migrations import upgrade

        upgrade(settings.db_url)
    except ConfigError as exc:
        print(f"Bookbug cannot start: {exc}", file=sys.stderr)
        return 2
    from bookbug.services.accounts.operators import operators_summary

    print(operators_summary(db_url=settings.db_url, settings=settings))  # who can change /settings
    # a browser on any other address is refused (its socket, and cookie-authenticated writes)
    print(f"Browsers may use Bookbug from {', '.join(settings.origins)} (APP_URL, ALLOWED_ORIGINS).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
