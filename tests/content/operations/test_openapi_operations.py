"""The operations of this part are documented in the surface's OpenAPI document, with their bodies."""

from __future__ import annotations

import httpx


async def test_merge_channels_and_job_list_are_documented(client: httpx.AsyncClient) -> None:
    document = (await client.get("/brandbrain/openapi.json")).json()
    paths = document["paths"]
    merge = paths["/brandbrain/content-configs/merge/jobs"]["post"]
    assert merge["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MergeRequest"
    }
    assert set(paths["/brandbrain/content-configs/merge/jobs/{job_id}/status"]) == {"get"}
    result = paths["/brandbrain/content-configs/merge/jobs/{job_id}/result"]["get"]
    assert {"200", "404", "409"} <= set(result["responses"])
    types = paths["/brandbrain/channels/{channel}/locales/{locale}/content-types"]["get"]
    assert {"200", "400", "404"} <= set(types["responses"])
    jobs = paths["/brandbrain/jobs"]["get"]
    assert [p["name"] for p in jobs["parameters"]] == ["page_token"]
    assert {"200", "400"} <= set(jobs["responses"])
