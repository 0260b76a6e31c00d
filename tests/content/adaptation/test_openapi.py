"""The adaptation operations are documented in the content-services OpenAPI document, with their enums."""

from __future__ import annotations

import httpx


async def test_the_operations_and_their_enums_are_documented(client: httpx.AsyncClient) -> None:
    document = (await client.get("/brandbrain/openapi.json")).json()
    paths = document["paths"]
    for jobs in ("channel", "tone-of-voice", "translation"):
        base = f"/brandbrain/content-adaptation/{jobs}/jobs"
        assert "post" in paths[base]
        assert "get" in paths[f"{base}/{{job_id}}/status"] and "get" in paths[f"{base}/{{job_id}}/result"]
    assert "get" in paths["/brandbrain/content-adaptation/channel/jobs/{job_id}/config"]
    assert "503" in paths["/brandbrain/content-adaptation/translation/jobs"]["post"]["responses"]
    schemas = document["components"]["schemas"]

    def enum(schema: str, field: str) -> list[str]:
        options = schemas[schema]["properties"][field]["anyOf"]
        values: list[str] = next(o["enum"] for o in options if "enum" in o)
        return values

    assert enum("ChannelAdaptationRequest", "adaptation_model_name") == ["gpt-4.1"]
    assert enum("ToneAdaptationRequest", "adaptation_model_name") == ["gpt-4.1", "gpt-5-chat"]
    assert enum("TranslationRequest", "translation_model_name") == ["gpt-4.1", "gpt-5-chat"]
    assert schemas["TranslationRequest"]["properties"]["languages"]["maxItems"] == 5
