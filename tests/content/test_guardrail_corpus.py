"""The offline path and the guardrails give, case for case, what they gave before issue 13 made them faster
(``guardrail_corpus``: a seeded corpus of configurations, variant groups and provider answers; the recorded
digests cover every text, warning, budget and error of each case)."""

from __future__ import annotations

import json

from tests.content.guardrail_corpus import FIXTURE, benchmark_outcome, digest, outcome


def test_every_case_gives_what_it_gave() -> None:
    recorded = json.loads(FIXTURE.read_text())
    changed = [i for i in range(recorded["cases"]) if digest(outcome(i, recorded["seed"])) != recorded["digests"][i]]
    assert not changed, f"cases {changed[:20]} changed: python -m tests.content.guardrail_corpus --show {changed[0]}"


def test_the_benchmark_products_give_what_they_gave() -> None:
    assert digest(benchmark_outcome()) == json.loads(FIXTURE.read_text())["benchmark"]


def test_the_digest_sees_a_change_anywhere() -> None:
    case = outcome(0)
    assert digest(case) == json.loads(FIXTURE.read_text())["digests"][0]
    entries = case["offline"][0]
    first = next(iter(entries.values()))
    first["warnings"].append({"code": "X"})
    assert digest(case) != json.loads(FIXTURE.read_text())["digests"][0]
