"""schema/schema.graphql is exported from the code and committed; this fails when the two drift apart."""

from __future__ import annotations

import difflib

from schema import SDL_PATH, export_sdl


def test_committed_schema_matches_the_code():
    committed = SDL_PATH.read_text()
    current = export_sdl()
    if committed != current:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile="schema/schema.graphql (committed)",
                tofile="schema from the code",
                n=2,
            )
        )
        raise AssertionError(
            "schema/schema.graphql differs from the schema the code builds. "
            f"Run `python -m schema` to regenerate it, then review and commit the change.\n{diff[:6000]}"
        )


def test_export_is_deterministic_and_complete():
    sdl = export_sdl()
    assert sdl == export_sdl()
    assert sdl.endswith("\n") and not sdl.endswith("\n\n")
    for definition in (
        "type Query",
        "type Mutation",
        "type Subscription",
        "interface Node",
        "type Job implements Node",
    ):
        assert definition in sdl
