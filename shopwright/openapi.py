"""``python -m shopwright.openapi`` writes the OpenAPI document of every mounted REST surface into
``docs/openapi/<surface>.json``; a test fails when a committed copy differs from what the code generates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resolvers.rest.openapi import document
from shopwright.app import SURFACES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "openapi"


def documents() -> dict[str, dict[str, Any]]:
    return {surface.name: document(surface) for surface in SURFACES}


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, doc in documents().items():
        path = DOCS / f"{name}.json"
        path.write_text(render(doc))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
