"""The id of the request (or job) being handled, for log lines.

A context variable rather than a parameter: every log record of a request carries the id without each call
passing it along, and tasks started while handling the request inherit it. The web layer sets it from
``X-Request-ID``; a job can bind the id of the request that started it. Kept here, free of web code, so the
domain and the workers can import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("shopwright_request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


@contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    """Log records made inside the block (and in tasks started there) carry ``request_id``."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)
