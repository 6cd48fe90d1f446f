"""How a bearer secret (a session, API or ticket token) is stored: as its SHA-256 hash, never itself.

The tokens are 256 random bits, so a fast hash is enough (nobody can guess one to try), and it
lets a token be found by an indexed equality lookup.
"""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
