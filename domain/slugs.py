"""URL slugs, one way for every area: products, brands, categories, articles, article categories, pages."""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX = 240  # leaves room for a ``-<n>`` suffix in a 255-character column


def slugify(text: str) -> str:
    """Lower case letters and digits joined by single hyphens; accents dropped, other scripts kept."""
    normalized = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(c for c in normalized if not unicodedata.combining(c))
    slug = re.sub(r"[^\w]+", "-", ascii_ish.lower()).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def next_free_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
