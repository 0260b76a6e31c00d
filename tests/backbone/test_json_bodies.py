"""JSON response bodies (``resolvers.jsonenc``): orjson writes them, the same JSON value Starlette's
``json.dumps`` wrote, the standard library still writes what orjson refuses, NaN and the infinities are ``null``
instead of a 500, and every JSON answer of the REST surfaces goes through the one class."""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.responses import JSONResponse as StarletteJSONResponse

from resolvers.jsonenc import JSONResponse, dumps

ROOT = Path(__file__).resolve().parents[2]


def starlette(content: Any) -> bytes:
    return bytes(StarletteJSONResponse(content).body)


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)

SAME_BYTES = {
    "a store page": {
        "data": [
            {"id": 1, "title": 'Rot & grün "Ø" \\ 日本 🙂', "price": 19.99, "enabled": True, "brand": None},
            {"id": 2, "attributes": {"z": 1, "a": [1.5, -0.0, 1e16, 2.5e-3]}, "keywords": []},
        ],
        "links": {"first": "http://x/api/products?page=1", "prev": None},
        "meta": {"current_page": 1, "from": 1, "total": 2},
    },
    "every character": EVERY_CHARACTER,
    "control characters": "".join(chr(c) for c in range(0x20)) + "\x7f\u2028\u2029",
    "a bare string (the store's 401)": "Unauthorized.",
    "64-bit edges": [2**63 - 1, 2**63, 2**64 - 1, -(2**63)],
    "str and int enums as values": {"colour": Colour.RED, "level": Level.HIGH},
    "tuples": {"pair": (1, "two")},
    "keys in the order given": {"b": 1, "a": 2, "c": {"z": 0, "y": 1}},
}

FALLBACK = {
    "an integer past 64 bits": {"n": 2**64, "m": -(2**63) - 1, "big": 10**30},
    "integer keys": {1: "a", 2: "b"},
    "None and bool keys": {None: 1, True: 2},
    "str enum keys": {Colour.RED: 1},
    "numpy floats": {"score": np.float64(0.25)},
    "nesting past orjson's limit": json.loads("[" * 300 + "]" * 300),
}


@pytest.mark.parametrize("content", list(SAME_BYTES.values()), ids=list(SAME_BYTES))
def test_bodies_are_the_bytes_starlette_wrote(content):
    assert dumps(content) == starlette(content)
    assert JSONResponse(content).body == starlette(content)


@pytest.mark.parametrize("content", list(FALLBACK.values()), ids=list(FALLBACK))
def test_what_orjson_refuses_is_written_by_the_standard_library(content):
    assert dumps(content) == starlette(content)


def test_floats_are_the_same_numbers():
    floats = [3e-05, 1e-07, 0.1, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-12, 123456.789]
    body = dumps(floats)
    assert json.loads(body) == floats
    assert body != starlette(floats)  # orjson's shortest form: 0.00003, 1e-7
    assert b"0.00003" in body


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinities_are_null_instead_of_a_server_error(value):
    with pytest.raises(ValueError, match="Out of range float"):
        starlette({"score": value})
    assert dumps({"score": value, "ok": [1, value]}) == b'{"score":null,"ok":[1,null]}'
    # the same where the standard library writes the body
    assert dumps({"big": 2**64, "score": (value,), 1: value}) == b'{"big":18446744073709551616,"score":[null],"1":null}'


@dataclasses.dataclass
class Point:
    x: int


@pytest.mark.parametrize("value", [datetime(2026, 3, 6, tzinfo=UTC), date(2026, 3, 6), Point(1), object()])
def test_what_neither_writes_is_refused_as_before(value):
    with pytest.raises(TypeError):
        starlette({"value": value})
    with pytest.raises(TypeError):
        dumps({"value": value})


def test_a_circular_body_is_refused_as_before():
    body: list[Any] = []
    body.append(body)
    with pytest.raises(ValueError, match="Circular"):
        dumps(body)


def test_every_json_answer_of_the_service_uses_the_one_class():
    """No module of the service builds Starlette's own JSONResponse (the bare baseline and test fakes may)."""
    pattern = re.compile(r"from starlette\.responses import [^\n]*\bJSONResponse\b(?! as _)")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("resolvers", "domain", "workers", "shopwright")
        for path in (ROOT / package).rglob("*.py")
        if pattern.search(path.read_text())
    ]
    assert offenders == []


async def test_a_stored_integer_past_64_bits_is_answered_as_it_was_stored(client, workspace):
    big = 123456789012345678901234567890
    h = workspace.headers()
    created = await client.post("/api/products", headers=h, json={"title": "Big", "attributes": {"n": big}})
    assert created.status_code == 201, created.text
    product_id = created.json()["data"]["id"]
    one = await client.get(f"/api/products/{product_id}", headers=h)
    assert one.status_code == 200 and one.json()["data"]["attributes"] == {"n": big}
    assert b'"attributes":{"n":123456789012345678901234567890}' in one.content
    page = await client.get("/api/products?per_page=5", headers=h)
    assert page.status_code == 200 and page.json()["data"][0]["attributes"] == {"n": big}
