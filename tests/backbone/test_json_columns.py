"""JSON columns read through ``domain.db.json_loads`` (orjson, ``json`` where the two would differ): every value
is the one ``json.loads`` gives, and a stored value comes back as it was, on both engines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.db import json_loads
from tests.support.factories import make_workspace
from tests.support.serving import asgi_client

TEXTS = [
    '{"a": 1, "b": [1.5, -0.0, 3e-05, 1E5, 0.1], "c": {"d": null, "e": true, "f": "caf\\u00e9 \\ud83d\\ude00"}}',
    "[]",
    "{}",
    '"plain"',
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",  # past 64 bits: orjson would read a float
    "-9223372036854775809",
    '{"ean": "1234567890123456789012", "n": 123456789012345678901234567890}',
    "1.00000000000000000001",
    "1e400",  # json reads infinity; orjson refuses it
    "NaN",
    "[Infinity, -Infinity]",
    '"\\ud800"',  # a lone surrogate: json reads it, orjson refuses it
    '{"a": 1, "a": 2}',
    "[" * 200 + "]" * 200,
]


def _typed(value: Any) -> Any:
    """The value with each number's type next to it (1 == 1.0 == True in Python)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and value != value:
        return ("nan",)
    return (type(value).__name__, value)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_json_loads_reads_what_json_reads(text: str) -> None:
    assert _typed(json_loads(text)) == _typed(json.loads(text))


async def test_a_stored_value_comes_back_as_it_was(app, services) -> None:
    workspace = await make_workspace(services)
    attributes = {"big": 123456789012345678901234567890, "ratio": 3e-05, "name": "caf\u00e9", "list": [1, 2.5, None]}
    async with asgi_client(app) as client:
        created = await client.post(
            "/api/products", headers=workspace.headers(), json={"title": "Stored", "attributes": attributes}
        )
        assert created.status_code == 201, created.text
        read = await client.get(f"/api/products/{created.json()['data']['id']}", headers=workspace.headers())
    assert _typed(read.json()["data"]["attributes"]) == _typed(attributes)


async def test_jsonb_text_goes_straight_to_json_loads(clean_db: str) -> None:
    """On asyncpg the service's engine reads ``jsonb`` as text handed to ``json_loads`` as it comes (no function of
    the dialect's between them), and writes what SQLAlchemy serialized."""
    if not clean_db.startswith("postgresql"):
        pytest.skip("asyncpg's jsonb codec")
    import sys

    from sqlalchemy import text

    from domain.db import Database

    db = Database(clean_db)
    seen: list[str] = []

    def watch(frame: Any, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_name in ("json_loads", "_jsonb_decoder"):
            seen.append(frame.f_code.co_name)

    try:
        async with db.engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")  # the pooled connection and its codecs
            sys.setprofile(watch)
            try:
                value = (await conn.execute(text("""SELECT '{"a": [1, 2.5, "é"]}'::jsonb"""))).scalar()
            finally:
                sys.setprofile(None)
    finally:
        await db.dispose()
    assert value == {"a": [1, 2.5, "é"]}
    assert seen == ["json_loads"]
