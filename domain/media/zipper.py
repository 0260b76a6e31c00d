"""ZIP archives of stored files (the listing export): the same entries always give the same bytes.

Entries are written in name order with a fixed timestamp and permissions, so an export of unchanged images
is byte-identical (and so stored once by the media service's dedupe). Already-compressed images (PNG, JPEG,
WebP, GIF) are stored as they are; anything else is deflated. Names are relative paths with ``/``; one that
could escape the folder it is extracted into is refused.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time ZIP can hold
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".zip")
MAX_NAME_LENGTH = 255


class UnsafeEntryName(ValueError):
    """An entry name that is empty, absolute, has ``..`` or ``.`` parts, backslashes or control characters,
    or appears twice."""


def check_entry_name(name: str) -> str:
    if not name or len(name) > MAX_NAME_LENGTH:
        raise UnsafeEntryName(f"A ZIP entry name must be 1 to {MAX_NAME_LENGTH} characters: {name!r}.")
    if name.startswith("/") or "\\" in name or ":" in name or any(not ch.isprintable() for ch in name):
        raise UnsafeEntryName(f"ZIP entry name {name!r} is not a plain relative path.")
    if any(part in {"", ".", ".."} for part in name.split("/")):
        raise UnsafeEntryName(f"ZIP entry name {name!r} has an empty, '.' or '..' part.")
    return name


def build_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """The archive of ``(name, data)`` entries, in name order. Deflating is CPU work: for large entries that
    are not images, call it through ``asyncio.to_thread``."""
    names = [check_entry_name(name) for name, _ in entries]
    if len(set(names)) != len(names):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise UnsafeEntryName(f"ZIP entry name {duplicate!r} appears more than once.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(entries, key=lambda entry: entry[0]):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the permissions above are read as such everywhere
            stored = name.lower().endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
