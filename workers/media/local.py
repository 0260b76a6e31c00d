"""Media on the local disk: one file per key under a root directory.

Keys are relative paths (``<workspace_id>/<sha256>.<ext>``); anything that could leave the root (absolute
paths, ``..``, backslashes, empty parts, NUL) is refused. A write goes to a temporary file in the target's
directory and is renamed over the target, so a reader sees the old file or the whole new one, never a part.
File I/O runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

from domain.media.ports import MediaMissing

MAX_KEY_LENGTH = 512


class InvalidKey(ValueError):
    """A key that is not a plain relative path inside the storage."""


def check_key(key: str) -> tuple[str, ...]:
    """The key's path parts, or ``InvalidKey`` when it could name something outside the storage's root."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"A media key must be 1 to {MAX_KEY_LENGTH} characters.")
    if "\x00" in key or "\\" in key or key.startswith("/"):
        raise InvalidKey(f"Media key {key!r} is not a relative path.")
    parts = tuple(key.split("/"))
    if any(part in {"", ".", ".."} for part in parts):
        raise InvalidKey(f"Media key {key!r} has an empty, '.' or '..' part.")
    return parts


class LocalDiskStorage:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def path_for(self, key: str) -> Path:
        path = self.root.joinpath(*check_key(key))
        # A symlinked directory inside the root could still lead out of it.
        if not path.resolve().is_relative_to(self.root):
            raise InvalidKey(f"Media key {key!r} leads outside the media directory.")
        return path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path_for(key)
        await asyncio.to_thread(_write_atomically, path, data)

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise MediaMissing(f"No stored file {key!r}.") from None

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        await asyncio.to_thread(path.unlink, missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
