"""The one protocol every file store implements (local folder, S3 / R2)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


class FileMissing(LookupError):
    """No file is stored under that key."""


@runtime_checkable
class Storage(Protocol):
    name: str  # "local" or "s3"

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    def get(self, key: str) -> bytes:
        """The file's bytes; FileMissing when there is none."""
        ...

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> None:
        """Store a local file's contents under `key`, streamed (for files too big to hold in memory)."""
        ...

    def get_file(self, key: str, path: Path) -> None:
        """Write the file stored under `key` to the local `path`, streamed; FileMissing when there is none."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove one file; deleting a missing file is not an error."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Remove every file under `prefix` (which ends with '/'); returns how many."""
        ...

    def url_for(self, key: str, expires: int | None = None) -> str:
        """Where a viewer fetches the file: an app route (local) or a presigned GET (S3)."""
        ...
