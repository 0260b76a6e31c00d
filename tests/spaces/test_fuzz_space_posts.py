"""Schemathesis over the space product post surface's OpenAPI document (fixed seed, as ``tests/fuzz``): input the
schema allows and input it does not, most of it to a space the caller belongs to. No answer is a server error,
every status is one the operation documents, every body fits its documented schema."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import Case

from resolvers.context import AppServices
from tests.fuzz.engine import fuzz
from tests.fuzz.test_rest_surfaces import CONFIG, openapi_problems
from tests.spaces.helpers import PREFIX, SAMPLE, STORE_URL, Shop

FREE_FORM = ("productTitle", "productPrice", "productSalePrice", "productSkuId", "productDesiredQuantity")


async def test_every_drawn_request_is_answered_as_documented(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, db_url: str
) -> None:
    document = (await client.get(f"{PREFIX}/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document, config=CONFIG)

    def into_the_space(case: Case[Any], data: st.DataObject) -> Case[Any]:
        if data.draw(st.integers(0, 3)) and case.path_parameters is not None:
            case.path_parameters["spaceId"] = shop.space_id
        if isinstance(case.body, dict) and data.draw(st.booleans()):
            # Drawn values of the free-form fields over the sample: a drawn image URL is on the store's domain, and
            # a drawn body is whole, by chance only.
            free = {k: v for k, v in case.body.items() if k in FREE_FORM}
            case.body = {**SAMPLE, **free, "productImageUrl": f"{STORE_URL}/i/{data.draw(st.integers(0, 99))}.jpg"}
        return case

    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    run = await fuzz(
        PREFIX, backend, schema, client, shop.headers(shop.alice), openapi_problems, tweak=into_the_space, total=200
    )
    assert run.total >= 150, run.summary()
    assert run.statuses[201] > 0, run.summary()
    if run.findings:
        pytest.fail(run.report(), pytrace=False)
