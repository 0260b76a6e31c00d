"""Request ids: taken from ``X-Request-ID`` when sensible, made up otherwise, echoed, and on the request's log
lines."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx
import pytest

from resolvers.observability import accepted_request_id
from tests.ops.support import json_log_lines, lines

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """What the access logger writes, as JSON lines."""
    with json_log_lines("shopwright.access") as stream:
        yield stream


async def test_a_sensible_request_id_is_echoed_and_logged(client: httpx.AsyncClient, access_lines: io.StringIO) -> None:
    request_id = "req-2024.05:abc_DEF-1"
    response = await client.get("/healthz", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id
    [line] = lines(access_lines)
    assert line["request_id"] == request_id
    assert line["logger"] == "shopwright.access" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["route"], line["status"]) == ("GET", "/healthz", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)


async def test_a_request_without_an_id_gets_one(client: httpx.AsyncClient, access_lines: io.StringIO) -> None:
    first = (await client.get("/healthz")).headers["x-request-id"]
    second = (await client.get("/no/such/path")).headers["x-request-id"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second
    assert [line["request_id"] for line in lines(access_lines)] == [first, second]


@pytest.mark.parametrize(
    "refused",
    [
        b"x" * 129,  # too long
        b"abc\x01def",  # not printable
        b"abc\x7f",
        b"caf\xc3\xa9",  # not ASCII
        b"two words",  # printable, but not an id
        b"<script>",
        b"",
    ],
)
async def test_a_refused_request_id_is_replaced_not_echoed(
    client: httpx.AsyncClient, access_lines: io.StringIO, refused: bytes
) -> None:
    response = await client.get("/healthz", headers=[(b"X-Request-ID", refused)])
    assert response.status_code == 200
    echoed = response.headers["x-request-id"]
    assert GENERATED.fullmatch(echoed), echoed
    assert lines(access_lines)[0]["request_id"] == echoed


def test_the_longest_accepted_request_id_is_128_characters() -> None:
    assert accepted_request_id(b"a" * 128) == "a" * 128
    assert accepted_request_id(b"a" * 129) is None
    assert accepted_request_id(None) is None


async def test_the_request_id_reaches_errors_answered_inside_a_surface(
    client: httpx.AsyncClient, access_lines: io.StringIO
) -> None:
    response = await client.get("/v1/jobs", headers={"X-Request-ID": "trace-1"})
    assert response.status_code == 401 and response.headers["x-request-id"] == "trace-1"
    assert lines(access_lines)[0]["route"] == "/v1/jobs"


async def test_a_signed_media_link_is_logged_as_its_template(
    client: httpx.AsyncClient, access_lines: io.StringIO
) -> None:
    # The token is a credential until it expires: it must not end up in the access log.
    token = "eyJhbGciOiJIUzI1NiJ9.eyJtIjoiMSJ9.c2lnbmF0dXJl"
    response = await client.get(f"/media/{token}")
    assert response.status_code in (403, 404)
    [line] = lines(access_lines)
    assert line["path"] == "/media/{token}" and token not in line["message"]
