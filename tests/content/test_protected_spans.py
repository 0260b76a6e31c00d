"""Verbatim spans (claims) survive every rewrite, whatever the rewrite matches, in every process."""

from __future__ import annotations

import os
import subprocess
import sys

from domain.content.textops import mask, remove_phrases, replace_phrases

CLAIMS = ("Certified organic", "Tested by 3 labs", "Made in EU", "No added sugar", "Vegan", "Recyclable")
TEXT = "Vegan and Recyclable. Certified organic, Made in EU, No added sugar; Tested by 3 labs, 0 waste in 2 runs."


def test_a_word_map_of_digits_cannot_reach_inside_a_masked_claim() -> None:
    out = replace_phrases(TEXT, {"0": "zero", "1": "one", "2": "two", "3": "three"}, protected=CLAIMS)
    assert out == TEXT.replace("0 waste in 2", "zero waste in two")


def test_removing_digits_leaves_every_claim_whole() -> None:
    out, left = remove_phrases(TEXT, ["0", "1", "2"], protected=CLAIMS)
    assert (
        out == "Vegan and Recyclable. Certified organic, Made in EU, No added sugar; Tested by 3 labs, waste in runs."
    )
    assert left == []
    for claim in CLAIMS:
        assert claim in out
    assert "0 waste" not in out


def test_equal_length_claims_mask_in_the_same_order_in_every_process() -> None:
    # Ties in length are ordered by text, not by a set's order (which follows the process's hash seed).
    script = f"from domain.content.textops import mask;print(mask({TEXT!r}, {CLAIMS!r}).spans)"
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        seen.add(
            subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
        )
    assert len(seen) == 1
    assert mask(TEXT, CLAIMS).spans == [
        "Certified organic",
        "Tested by 3 labs",
        "No added sugar",
        "Made in EU",
        "Recyclable",
        "Vegan",
    ]
