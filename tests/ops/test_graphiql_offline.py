"""GraphiQL works without the internet: its page references only the app's own assets, and each is served."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

from resolvers.graphiql import AssetNotVendored, offline_page
from tests.ops.support import links_of


async def graphiql(client: httpx.AsyncClient) -> str:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_the_page_references_only_local_assets(client: httpx.AsyncClient) -> None:
    page = await graphiql(client)
    assets = [address for tag, address in links_of(page) if tag in ("script", "link")]
    assert len(assets) >= 5, assets
    external = [a for a in assets if not a.startswith("/static/vendor/graphiql/") and not a.startswith("data:")]
    assert external == []
    assert "unpkg.com" not in page


async def test_each_asset_is_served_as_the_page_expects(client: httpx.AsyncClient) -> None:
    page = await graphiql(client)
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page)
    checked = 0
    for tag in tags:
        address = re.search(r'(?:src|href)="(/static/[^"]+)"', tag)
        if address is None:
            continue
        response = await client.get(address.group(1))
        assert response.status_code == 200, address.group(1)
        kind = "text/css" if address.group(1).endswith(".css") else "javascript"
        assert kind in response.headers["content-type"], (address.group(1), response.headers["content-type"])
        # The page keeps Strawberry's subresource-integrity hashes: the browser checks the files are the
        # registry's, byte for byte; so does this test.
        integrity = re.search(r'integrity="sha384-([^"]+)"', tag)
        assert integrity is not None, tag
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert digest == integrity.group(1), address.group(1)
        checked += 1
    assert checked >= 5


async def test_licences_are_served_with_the_assets(client: httpx.AsyncClient) -> None:
    for package in ("react@18.2.0", "react-dom@18.2.0", "js-cookie@3.0.5", "graphiql@3.8.3"):
        response = await client.get(f"/static/vendor/graphiql/{package}/LICENSE")
        assert response.status_code == 200 and "MIT License" in response.text, package


async def test_an_unknown_static_file_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/vendor/graphiql/nothing.js")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No such path."}


def test_a_template_asking_for_an_asset_not_vendored_fails_loudly() -> None:
    page = '<script src="https://unpkg.com/graphiql@9.9.9/graphiql.min.js"></script>'
    with pytest.raises(AssetNotVendored, match=re.escape("graphiql@9.9.9/graphiql.min.js")):
        offline_page(page)


def test_the_page_follows_the_root_path() -> None:
    page = '<script src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"></script>'
    assert offline_page(page, "/shop") == (
        '<script src="/shop/static/vendor/graphiql/react@18.2.0/react.production.min.js"></script>'
    )
