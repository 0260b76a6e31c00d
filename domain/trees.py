"""Parent links of a tree (product categories, article categories)."""

from __future__ import annotations

from collections.abc import Mapping


def makes_cycle(parents: Mapping[int, int | None], node_id: int, new_parent_id: int) -> bool:
    """Whether giving ``node_id`` the parent ``new_parent_id`` would make the node its own ancestor: walk up
    from the proposed parent and see whether the node comes up."""
    seen: set[int] = set()
    node: int | None = new_parent_id
    while node is not None and node not in seen:
        if node == node_id:
            return True
        seen.add(node)
        node = parents.get(node)
    return False
