"""Unknown paths and wrong methods answer in the dialect of the surface the path belongs to."""

from __future__ import annotations


async def test_unknown_store_path_gets_store_404(client, workspace):
    r = await client.get("/api/no-such-thing", headers=workspace.headers())
    assert r.status_code == 404 and r.json() == {"message": "The API resource was not found"}


async def test_unknown_content_path_gets_code_message(client):
    r = await client.get("/brandbrain/no-such-thing")
    assert r.status_code == 404 and r.json() == {"code": "not_found", "message": "No such path."}


async def test_wrong_method_on_jobs_surface(client, workspace):
    r = await client.delete("/v1/jobs", headers=workspace.headers())
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"


async def test_unknown_path_elsewhere(client):
    r = await client.get("/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
