"""The repository entry point content generation uses, and the rate-limit headers on catalog routes."""

from __future__ import annotations

import pytest

from domain.catalog.models import Brand
from domain.catalog.repository import CatalogRepository
from domain.errors import Conflict
from tests.catalog import helpers


async def test_get_products_by_ids_is_scoped_and_skips_deleted(client, workspace, other_workspace, services):
    mine = await helpers.product(services, workspace, title="Mine")
    gone = await helpers.product(services, workspace, title="Gone")
    theirs = await helpers.product(services, other_workspace, title="Theirs")
    r = await client.delete(f"/api/products/{gone.id}", headers=workspace.headers())
    assert r.status_code == 204
    async with services.read() as session:
        repo = CatalogRepository(session)
        found = await repo.get_products_by_ids(workspace.workspace_id, [mine.id, gone.id, theirs.id, mine.id])
        assert set(found) == {mine.id} and found[mine.id].title == "Mine"
        assert await repo.get_products_by_ids(workspace.workspace_id, []) == {}
        found = await repo.get_products_by_ids(other_workspace.workspace_id, [mine.id, theirs.id])
        assert set(found) == {theirs.id}


async def test_catalog_routes_carry_rate_limit_headers(client, workspace):
    r = await client.get("/api/products", headers=workspace.headers())
    assert r.headers["X-RateLimit-Limit"] == "60"
    remaining = int(r.headers["X-RateLimit-Remaining"])
    r = await client.post("/api/brands", json={"title": "x" * 300}, headers=workspace.headers())
    assert r.status_code == 422 and int(r.headers["X-RateLimit-Remaining"]) == remaining - 1


async def test_a_slug_clash_at_flush_is_a_conflict(workspace, services):
    """Two requests that pick the same free slug at once: the second flush is a Conflict, not a 500."""
    await helpers.brand(services, workspace, title="Acme")
    with pytest.raises(Conflict):
        async with services.unit_of_work() as uow:
            repo = CatalogRepository(uow.session)
            repo.add(Brand(workspace_id=workspace.workspace_id, title="Acme", slug="acme"))
            await repo.flush()
