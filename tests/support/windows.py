"""Rate limits count in fixed one-minute windows: a test that fills one starts well inside it."""

from __future__ import annotations

import asyncio
import time


async def fresh_window(needed_seconds: float = 3.0) -> None:
    """Wait for the next window unless at least ``needed_seconds`` of this one are left."""
    left = 60 - time.time() % 60
    if left < needed_seconds:
        await asyncio.sleep(left + 0.2)
