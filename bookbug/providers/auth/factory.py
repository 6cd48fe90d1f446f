"""Choose the auth provider: Clerk when CLERK_SECRET_KEY is set, else local accounts."""

from __future__ import annotations

from bookbug.providers.auth.protocol import AuthProvider
from bookbug.settings import Settings, get_settings


def get_auth_provider(settings: Settings | None = None, *, db_url: str | None = None) -> AuthProvider:
    settings = settings or get_settings()
    if settings.clerk_enabled:
        from bookbug.providers.auth.clerk import ClerkAuth  # imports the SDK only when used

        return ClerkAuth(settings, db_url=db_url)
    from bookbug.providers.auth.local import LocalAuth

    return LocalAuth(settings, db_url=db_url)
