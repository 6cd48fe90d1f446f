"""Where the CLI keeps its sign-in: one token per server, in the user's config folder.

`$XDG_CONFIG_HOME/bookbug/credentials.json` (default `~/.config/bookbug/`), readable by
the user alone (0600). `BOOKBUG_TOKEN` overrides it for scripts and CI.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_SERVER = "http://localhost:3000"


@dataclass(frozen=True)
class Credentials:
    token: str
    token_id: str | None = None
    email: str | None = None


def normalize_server(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "://" in url else f"http://{url}"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "bookbug"


def credentials_path() -> Path:
    return config_dir() / "credentials.json"


def _read_all() -> dict[str, dict[str, str | None]]:
    path = credentials_path()
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    servers = data.get("servers") if isinstance(data, dict) else None
    return servers if isinstance(servers, dict) else {}


def _write_all(servers: dict[str, dict[str, str | None]]) -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = credentials_path()
    temporary = path.with_suffix(".tmp")
    # created 0600 from the start: the token is never readable by others, not even briefly
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"servers": servers}, handle, indent=2)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def load(server: str) -> Credentials | None:
    if token := os.environ.get("BOOKBUG_TOKEN", "").strip():
        return Credentials(token=token)
    entry = _read_all().get(server)
    if not entry or not entry.get("token"):
        return None
    return Credentials(token=str(entry["token"]), token_id=entry.get("token_id"), email=entry.get("email"))


def save(server: str, credentials: Credentials) -> Path:
    servers = _read_all()
    servers[server] = asdict(credentials)
    _write_all(servers)
    return credentials_path()


def forget(server: str) -> bool:
    servers = _read_all()
    if servers.pop(server, None) is None:
        return False
    _write_all(servers)
    return True
