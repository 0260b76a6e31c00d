"""Counting the Python function calls a block makes: a measure of work that does not depend on the machine's
load (tests assert it where they would otherwise assert a time)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def counted_calls() -> Iterator[list[int]]:
    """The Python function calls made on this thread (the event loop's) inside the block: ``calls[0]``."""
    calls = [0]

    def count(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            calls[0] += 1

    sys.setprofile(count)
    try:
        yield calls
    finally:
        sys.setprofile(None)
