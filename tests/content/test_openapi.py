"""The content-services surface documents itself: an OpenAPI 3.1 document that validates and lists every
operation the surface answers."""

from __future__ import annotations

import httpx
from openapi_spec_validator import validate

from resolvers.rest.content import SURFACE


async def test_the_openapi_document_validates_and_lists_every_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/brandbrain/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    listed = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert listed == {(op.method, SURFACE.prefix + op.path) for op in SURFACE.operations}
    assert listed >= {
        ("POST", "/brandbrain/content-generation/jobs"),
        ("GET", "/brandbrain/content-generation/jobs/{job_id}/status"),
        ("GET", "/brandbrain/content-generation/jobs/{job_id}/result"),
        ("GET", "/brandbrain/content-generation/jobs/{job_id}/config"),
        ("POST", "/brandbrain/content-generation/jobs/{job_id}/feedback"),
        ("GET", "/brandbrain/content-configs"),
        ("POST", "/brandbrain/content-configs"),
        ("GET", "/brandbrain/content-configs/{config_id}"),
        ("PUT", "/brandbrain/content-configs/{config_id}"),
        ("DELETE", "/brandbrain/content-configs/{config_id}"),
    }
    submit = document["paths"]["/brandbrain/content-generation/jobs"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/GenerationRequest"
    }
    assert {"apiKey": []} in document["security"]  # x-api-key is accepted here
