"""Every mounted REST surface documents itself: the generated OpenAPI 3.1 documents validate, are served at
``<prefix>/openapi.json``, and match the copies committed in ``docs/openapi/``."""

from __future__ import annotations

import difflib

import pytest
from openapi_spec_validator import validate

from shopwright.app import SURFACES
from shopwright.openapi import DOCS, documents, render


@pytest.mark.parametrize("name", sorted(s.name for s in SURFACES))
def test_committed_openapi_document_matches_the_code(name: str) -> None:
    doc = documents()[name]
    validate(doc)
    path = DOCS / f"{name}.json"
    expected = render(doc)
    committed = path.read_text() if path.exists() else ""
    if committed != expected:
        diff = "".join(difflib.unified_diff(committed.splitlines(True), expected.splitlines(True), str(path), "code"))
        raise AssertionError(
            f"{path} differs from the document the code generates. Run `python -m shopwright.openapi`, review and "
            f"commit the change.\n{diff[:6000]}"
        )


async def test_each_surface_serves_its_document(client) -> None:
    for surface in SURFACES:
        response = await client.get(f"{surface.prefix}/openapi.json")
        assert response.status_code == 200, surface.name
        assert response.json() == documents()[surface.name]
