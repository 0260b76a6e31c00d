"""Reproducer 5 of issue 14: an out-of-range ``after`` cursor is INVALID_INPUT on every list, never a database
error (an OFFSET past what the column types hold on PostgreSQL). Runs on each engine."""

from __future__ import annotations

import base64

import pytest

from schema.relay import encode_offset
from tests.support.graphql import gql


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


OUT_OF_RANGE = [
    encode_offset(2_147_483_647),
    encode_offset(9_999_999_999),
    _raw("offset:99999999999999999999"),
    _raw("offset:-1"),
    _raw("offset:1e9"),
]
LISTS = ["products", "brands", "categories", "offers", "articles", "articleCategories", "pages", "storeUsers"]


@pytest.mark.parametrize("field", LISTS)
async def test_out_of_range_after_cursor_is_invalid_input(client, workspace, field):
    document = f"query($after: String) {{ {field}(first: 5, after: $after) {{ totalCount edges {{ cursor }} }} }}"
    for cursor in OUT_OF_RANGE:
        status, body = await gql(client, document, {"after": cursor}, token=workspace.api_key)
        assert status == 200 and body["data"] is None, (cursor, body)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_INPUT"], (cursor, body)
        assert "after" in body["errors"][0]["extensions"]["fields"], body
    # The last cursor in range answers an empty page.
    status, body = await gql(client, document, {"after": encode_offset(2_147_483_646)}, token=workspace.api_key)
    assert status == 200 and "errors" not in body and body["data"][field]["edges"] == [], body


async def test_out_of_range_job_cursor_is_invalid_input(client, workspace):
    document = "query($after: String) { jobs(first: 5, after: $after) { edges { cursor } } }"
    for cursor in [_raw(f"99999-01-01T00:00:00+00:00|{'0' * 8}-0000-0000-0000-{'0' * 12}"), encode_offset(10**12)]:
        status, body = await gql(client, document, {"after": cursor}, token=workspace.api_key)
        assert status == 200 and body["data"] is None, body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_INPUT"], body
