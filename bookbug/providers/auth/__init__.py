"""Who is asking: local accounts or Clerk behind one protocol (see `clerk.py` for the UI choice)."""

from bookbug.providers.auth.factory import get_auth_provider
from bookbug.providers.auth.protocol import AuthProvider, bearer_token

__all__ = ["AuthProvider", "bearer_token", "get_auth_provider"]
