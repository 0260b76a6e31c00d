"""Global ids are URL-safe base64 of ``Type:id`` without padding, whatever the characters."""

from __future__ import annotations

import base64

import pytest

from schema.relay import from_global_id, to_global_id


@pytest.mark.parametrize(
    ("type_name", "raw_id"),
    [("Product", 1), ("Brand", 2_147_483_647), ("Job", "a3f?>~~"), ("Category", "ÿþû"), ("Offer", "")],
)
def test_global_ids_are_urlsafe_base64_without_padding(type_name: str, raw_id: str | int) -> None:
    expected = base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode().rstrip("=")
    assert to_global_id(type_name, raw_id) == expected
    if raw_id != "":
        assert from_global_id(to_global_id(type_name, raw_id)) == (type_name, str(raw_id))


def test_inputs_cover_both_urlsafe_characters() -> None:
    encoded = "".join(to_global_id(t, i) for t, i in [("Job", "a3f?>~~"), ("Category", "ÿþû")])
    assert "-" in encoded and "_" in encoded
