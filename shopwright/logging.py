"""Logging for ``shopwright serve`` and ``shopwright worker``.

One handler on the root logger, so every library's records (uvicorn's, RQ's, Strawberry's, ours) come out
the same way: JSON lines for a log collector when stderr is not a terminal (or ``SHOPWRIGHT_LOG_FORMAT=json``),
readable lines on a terminal (``text``). Each record made while a request is handled carries its
``request_id`` (see ``domain.observability``).
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from domain.observability import current_request_id

LogFormat = Literal["auto", "json", "text"]

TEXT_FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s"
# Record attributes left out of JSON lines: the standard ones, and uvicorn's copy of its message with colours.
JSON_SKIPPED = [*RESERVED_ATTRS, "color_message"]


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records made while a request (or a job bound to one) is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            request_id = current_request_id()
            if request_id is not None:
                record.request_id = request_id
        return True


def resolve_format(log_format: LogFormat, stream: TextIO) -> Literal["json", "text"]:
    if log_format != "auto":
        return log_format
    isatty = getattr(stream, "isatty", None)
    return "text" if isatty is not None and isatty() else "json"


def build_handler(log_format: LogFormat, stream: TextIO) -> logging.Handler:
    """A handler writing to ``stream`` in ``log_format``, with each record's request id."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    if resolve_format(log_format, stream) == "json":
        # Fields a record carries beyond these (``extra=``: the access log's method, status ...) are added.
        renamed = {"levelname": "level", "name": "logger"}
        handler.setFormatter(
            JsonFormatter(JSON_FIELDS, timestamp="time", rename_fields=renamed, reserved_attrs=JSON_SKIPPED)
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT, defaults={"request_id": "-"}))
    return handler


def configure_logging(log_format: LogFormat, level: str, stream: TextIO | None = None) -> None:
    """Routes every logger through one handler on the root logger. Raises ``ValueError`` for an unknown level."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    root.handlers[:] = [build_handler(log_format, stream or sys.stderr)]
    # uvicorn's loggers keep no handlers of their own: their records reach the root handler.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
