"""Files in a local folder (the embedded default), outside any web root.

Nothing serves this folder directly: `url_for` names an app route, `/files/{key}`, and that
route checks the viewer owns the book before it reads the file. `expires` is accepted for
the protocol's sake; the ownership check, not a signature, guards these URLs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bookbug.providers.storage.keys import check_key, check_prefix
from bookbug.providers.storage.protocol import FileMissing

ROUTE = "/files/"


class LocalStore:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def path_for(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        # check_key already refuses "..", this is the belt to its braces (symlinks, odd OSes)
        if not path.is_relative_to(self.root):
            raise ValueError(f"storage key {key!r} points outside the files folder")
        return path

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename: a reader never sees half a file, a crash never leaves one
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> None:
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle, open(path, "rb") as source:
                shutil.copyfileobj(source, handle, 1024 * 1024)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get_file(self, key: str, path: Path) -> None:
        source = self.path_for(key)
        if not source.is_file():
            raise FileMissing(f"no file stored under {key!r}")
        shutil.copyfile(source, path)

    def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise FileMissing(f"no file stored under {key!r}") from None

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> int:
        folder = self.path_for(check_prefix(prefix)[:-1])
        if not folder.is_dir():
            return 0
        count = sum(1 for item in folder.rglob("*") if item.is_file())
        shutil.rmtree(folder)
        return count

    def url_for(self, key: str, expires: int | None = None) -> str:
        return ROUTE + check_key(key)
