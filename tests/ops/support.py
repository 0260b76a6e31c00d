"""Helpers for the operator's checks: scraping ``/metrics`` and reading the links of an HTML page."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from html.parser import HTMLParser
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from resolvers.context import AppServices
from shopwright.app import build_app
from shopwright.logging import build_handler
from shopwright.settings import Settings
from tests.conftest import make_test_registry
from tests.support.serving import asgi_client


@contextmanager
def json_log_lines(logger_name: str) -> Iterator[io.StringIO]:
    """What ``logger_name`` writes at INFO, through the handler ``shopwright serve`` and ``worker`` use, as
    JSON lines (read them back with ``lines``)."""
    stream = io.StringIO()
    handler = build_handler("json", stream)
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, AppServices]]:
    """An app built from ``settings`` (lifespan running): an HTTP client on it, and its services."""
    app = build_app(settings, registry=make_test_registry())
    async with app.router.lifespan_context(app), asgi_client(app) as client:
        yield client, app.state.services


async def scrape(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> list[Sample]:
    """Every sample ``/metrics`` exposes, read with Prometheus' own text parser."""
    response = await client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return [sample for family in text_string_to_metric_families(response.text) for sample in family.samples]


def value(samples: list[Sample], name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` whose labels include ``labels`` (None when there is none)."""
    for sample in samples:
        if sample.name == name and labels.items() <= sample.labels.items():
            return sample.value
    return None


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, address)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, address in attrs:
            if name in ("href", "src") and address is not None:
                self.links.append((tag, address))


def links_of(html: str) -> list[tuple[str, str]]:
    """The ``href`` and ``src`` addresses of a page, with the tag each stands on."""
    parser = _Links()
    parser.feed(html)
    return parser.links
