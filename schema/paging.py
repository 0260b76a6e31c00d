"""Offset cursors for the catalog and store connections (jobs page by keyset, see domain.jobs.service)."""

from __future__ import annotations

import base64

from schema.relay import PageInfo

MAX_PAGE = 100


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str) -> int | None:
    """The position a cursor names, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    kind, _, value = raw.partition(":")
    return int(value) if kind == "offset" and value.isdigit() else None


def offset_page_info(offset: int, count: int, total: int) -> PageInfo:
    return PageInfo(
        has_next_page=offset + count < total,
        has_previous_page=offset > 0,
        start_cursor=encode_offset(offset) if count else None,
        end_cursor=encode_offset(offset + count - 1) if count else None,
    )
