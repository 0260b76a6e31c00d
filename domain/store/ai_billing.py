"""The store document's "AI Chips" turned into workspace credits, through one conversion.

The document prices its AI features in chips (about 50,000 for an AI image, a few hundred for a keyword call);
the workspace pays in credits (``domain/accounts/credits.py``). ``SHOPWRIGHT_CHIPS_PER_CREDIT`` (default 1000)
is the only exchange rate: the composition root hands it down as ``AppServices.chips_per_credit`` and every
store AI operation prices itself with :func:`credits_for_chips` over the estimates below, at submit, so the job
debits exactly what the answer says it cost (and a failed or cancelled job refunds it).
"""

from __future__ import annotations

import math

DEFAULT_CHIPS_PER_CREDIT = 1000
MAX_CHIPS_PER_CREDIT = 1_000_000

# Per-operation estimates, in chips. They follow the document where it names a figure (images, keyword calls)
# and a prompt's size otherwise: the logo-icon prompt carries the whole icon catalogue.
CATEGORY_LIST_CHIPS = 3_000  # one structured call for the whole tree
BRAND_CLEAN_BASE_CHIPS = 1_000  # the batched classification call's instructions ...
BRAND_CLEAN_CHIPS_PER_BRAND = 60  # ... plus each brand's line in and verdict out
STOCK_TEXT_CHIPS_PER_ROW = 800  # one call per rewritten row
LOGO_ICON_CHIPS = 4_000  # one call; the prompt lists ~190 icon keys and labels
LOGO_CHIPS = 1_500  # one call choosing the wordmark's style and colours; Pillow draws it
ARTICLE_TOPIC_CHIPS = 600  # one call per topic
FILL_EMPTY_IMAGES_CHIPS = 0  # copies the hero image: the document calls it free
AI_IMAGE_CHIPS = 50_000  # "~50,000 chips per image" (image sources: ai, or auto's fallback)
STOCK_KEYWORD_CHIPS = 300  # "a few hundred chips per stock-resolved image (for the AI keyword call)"
CONTENT_FILL_CHIPS = 5_000  # one content-pipeline fill of a catalog row (RequestContent)
RELEVANCE_CHECK_CHIPS = 300  # one yes/no relevance call per merchant item


def check_chips_per_credit(chips_per_credit: int) -> int:
    """The rate itself, or ``ValueError`` for one that cannot work (settings validate with it at startup)."""
    if isinstance(chips_per_credit, bool) or not isinstance(chips_per_credit, int):
        raise ValueError("chips per credit must be a whole number")
    if not 1 <= chips_per_credit <= MAX_CHIPS_PER_CREDIT:
        raise ValueError(f"chips per credit must be from 1 to {MAX_CHIPS_PER_CREDIT}")
    return chips_per_credit


def credits_for_chips(chips: int, chips_per_credit: int = DEFAULT_CHIPS_PER_CREDIT) -> int:
    """Credits an operation estimated at ``chips`` costs: rounded up, so any paid call costs at least one credit,
    and a free operation (0 chips) costs none."""
    if chips < 0:
        raise ValueError("chips cannot be negative")
    return math.ceil(chips / check_chips_per_credit(chips_per_credit))


def brand_clean_chips(brand_count: int) -> int:
    return BRAND_CLEAN_BASE_CHIPS + BRAND_CLEAN_CHIPS_PER_BRAND * max(brand_count, 0)


def stock_text_chips(rows: int) -> int:
    return STOCK_TEXT_CHIPS_PER_ROW * max(rows, 0)


def article_topics_chips(count: int) -> int:
    return ARTICLE_TOPIC_CHIPS * max(count, 0)
