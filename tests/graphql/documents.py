"""Documents the cost tests share: fragment fan-outs (reproducer 6 of issue 14) and ordinary queries."""

from __future__ import annotations


def fan_out(fragments: int, leaf: str = "kind") -> str:
    """``fragments`` fragments, each spreading the next one twice; the last selects ``leaf``. Under 1 kB for
    twenty; expanded, it selects ``leaf`` 2^(fragments-1) times."""
    chain = [f"fragment F{i} on Viewer {{ ...F{i + 1} ...F{i + 1} }}" for i in range(fragments - 1)]
    chain.append(f"fragment F{fragments - 1} on Viewer {{ {leaf} }}")
    return "query FanOut { viewer { ...F0 } } " + " ".join(chain)


PRODUCTS_WITH_BRANDS = "{ products(first: 10) { totalCount edges { cursor node { id title brand { title } } } } }"
