"""Offline ranking: a product's text against a taxonomy index, with hierarchy voting and a confidence.

1. **Fields.** The product is read as texts: its name; the values of attributes that say what it is
   (``product_type`` ...); of attributes that name its branch (``category`` ...); its other attribute values;
   its description; and, for GPC, the path of its best Google category (``context``).
2. **Field scores.** Each text is scored with BM25 against each field of every entry (title, path, definition
   or sub-categories); each score list is divided by its maximum so that a long description cannot drown the
   name; the weighted sum is the entry's evidence. Words of a brick's "Excludes ..." sentences count against
   it; GPC's catch-all bricks count less.
3. **Re-ranking** of the best entries: by how much of their title the product explains, a bonus when their
   title's head noun is the product's, and GPC's qualifiers (powered, frozen ...) against the product's.
4. **Hierarchy voting.** The best entries vote for their top-level category with their evidence; an entry's
   score adds its branch's share of the votes.
5. **Most specific.** A Google winner gives way to its best sub-category when that one scores nearly as well.
6. **Confidence.** A softmax over the best scores, each relative to the best (``TEMPERATURE``): the winner's
   share of that mass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from domain.content.classification.index import TaxonomyIndex
from domain.content.classification.traits import Traits, agreement, product_traits

# Attribute names (compared without case, "_", "-" or spaces) whose values say what the product is
# ("product_type": Mascara), and those that name the branch it belongs to ("category": Beauty).
TYPE_ATTRIBUTE_HINTS = ("type", "kind", "genre", "itemname")
CATEGORY_ATTRIBUTE_HINTS = ("categor", "department", "family", "class", "segment", "range", "section")

QUERY_FIELDS = ("name", "type", "category", "attrs", "desc", "context")


@dataclass(frozen=True)
class ProductText:
    name: str
    description: str
    attributes: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Weights:
    """How much each product text counts against each index field (and the other knobs), tuned on the
    development half of the labelled set (``tests/content/classification/labelled.json``)."""

    fields: dict[str, dict[str, float]] = field(
        default_factory=lambda: {
            "name": {"title": 1.0, "path": 0.3, "text": 0.3},
            "type": {"title": 3.0, "path": 0.5, "text": 0.4},
            "category": {"title": 0.3, "path": 1.0, "text": 0.1},
            "attrs": {"title": 0.2, "path": 0.1, "text": 0.1},
            "desc": {"title": 0.4, "path": 0.2, "text": 0.2},
            "context": {"title": 0.3, "path": 0.5, "text": 0.2},
        }
    )
    trait_mismatch: float = 0.75  # per GPC qualifier (powered, frozen ...) the product contradicts
    head_bonus: float = 0.3  # an entry whose title's head noun is the product's (a filter is not a cleaner)
    title_floor: float = 0.6  # an entry whose title words the product never uses keeps this share
    rerank: int = 300
    descend: float = 0.6
    excludes: float = 0.2
    vote_top: float = 0.5
    vote_parent: float = 0.0
    voters: int = 30


DEFAULT_WEIGHTS = Weights()
TEMPERATURE = 0.08  # relative score gap that makes one candidate e times likelier; fitted on the labelled set


@dataclass(frozen=True)
class Candidate:
    code: int
    score: float
    probability: float


def full_text(product: ProductText) -> str:
    return " ".join([product.name, product.description, *(f"{n} {v}" for n, v in product.attributes)])


def product_heads(index: TaxonomyIndex, product: ProductText) -> frozenset[str]:
    """The head nouns of the product's name and of its type attributes."""
    texts = [product.name, *(value for name, value in product.attributes if is_type_attribute(name))]
    return frozenset(t for text in texts for t in index.analyzer.head(text))


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "").replace(" ", "")


def is_category_attribute(name: str) -> bool:
    return any(hint in _key(name) for hint in CATEGORY_ATTRIBUTE_HINTS)


def is_type_attribute(name: str) -> bool:
    return not is_category_attribute(name) and any(hint in _key(name) for hint in TYPE_ATTRIBUTE_HINTS)


def query_terms(index: TaxonomyIndex, product: ProductText, context: str = "") -> dict[str, list[str]]:
    analyzer = index.analyzer
    kinds = [value for name, value in product.attributes if is_type_attribute(name)]
    branches = [value for name, value in product.attributes if is_category_attribute(name)]
    others = [v for n, v in product.attributes if not is_type_attribute(n) and not is_category_attribute(n)]
    return {
        "name": analyzer.terms(product.name),
        "type": analyzer.terms_of(kinds),
        "category": analyzer.terms_of(branches),
        "attrs": analyzer.terms_of(others),
        "desc": analyzer.terms(product.description),
        "context": analyzer.terms(context),
    }


def _normalised(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else values


def _votes(
    groups: npt.NDArray[np.int64], voters: npt.NDArray[np.int64], evidence: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each entry's share of its group's votes (the voters' evidence summed per group, over the best group)."""
    members = groups[voters]
    valid = members >= 0
    if not valid.any():
        return np.zeros(groups.shape[0])
    totals = np.bincount(members[valid], weights=evidence[voters][valid], minlength=int(groups.max()) + 1)
    best = float(totals.max())
    share = totals / best if best > 0 else totals
    out: npt.NDArray[np.float64] = np.where(groups >= 0, share[np.clip(groups, 0, None)], 0.0)
    return out


def evidence(index: TaxonomyIndex, terms: dict[str, list[str]], weights: Weights) -> npt.NDArray[np.float64]:
    total = np.zeros(index.size)
    for query_field, by_field in weights.fields.items():
        if not terms[query_field]:
            continue
        for index_field, weight in by_field.items():
            total += weight * _normalised(index.scores(index_field, terms[query_field]))
    if weights.excludes:
        core = terms["name"] + terms["type"]
        total -= weights.excludes * _normalised(index.scores("excludes", core))
    return np.clip(total, 0.0, None) * index.prior


def _product_words(terms: dict[str, list[str]]) -> set[str]:
    """The product's own terms (not the context's)."""
    return {t for name in ("name", "type", "category", "attrs", "desc") for t in terms[name]}


def _rerank(
    index: TaxonomyIndex,
    terms: dict[str, list[str]],
    traits: Traits,
    heads: frozenset[str],
    own: npt.NDArray[np.float64],
    weights: Weights,
) -> None:
    """Scales the best entries' evidence: up when their title's head noun is the product's (a "Vacuum Cleaner
    Filter" is a filter), by how much of their title the product's own words explain ("Tennis Racquet
    Accessories" explains less of a tennis racquet than "Tennis Racquets"), and down for each GPC qualifier
    the product contradicts."""
    words = _product_words(terms)
    for i in np.argsort(-own)[: weights.rerank]:
        if heads and index.heads[int(i)] & heads:
            own[i] *= 1 + weights.head_bonus
        title = index.title_terms[int(i)]
        if title:
            share = len(title & words) / len(title)
            own[i] *= weights.title_floor + (1 - weights.title_floor) * share
        if index.traits[int(i)]:
            own[i] *= agreement(index.traits[int(i)], traits, weights.trait_mismatch)


def rank(
    index: TaxonomyIndex,
    product: ProductText,
    limit: int = 10,
    weights: Weights = DEFAULT_WEIGHTS,
    context: str = "",
) -> list[Candidate]:
    """The ``limit`` best entries, best first, each with its score and confidence share. Empty when no word
    of the product is in the taxonomy. ``context``: words about the product from elsewhere (the other
    taxonomy's best category), weighed less than the product's own."""
    terms = query_terms(index, product, context)
    own = evidence(index, terms, weights)
    if not own.any():
        return []
    _rerank(index, terms, product_traits(full_text(product)), product_heads(index, product), own, weights)
    voters = np.argsort(-own)[: weights.voters]
    voters = voters[own[voters] > 0]
    scores = (
        own
        + weights.vote_top * _votes(index.top_group, voters, own) * own.max()
        + weights.vote_parent * _votes(index.parent_group, voters, own) * own.max()
    )
    _descend(index, scores, _product_words(terms), weights)
    best = np.argsort(-scores)[:limit]
    top = float(scores[best[0]])
    exps = [math.exp((float(scores[i]) - top) / (TEMPERATURE * top)) for i in best]
    mass = sum(exps)
    return [
        Candidate(code=index.codes[int(i)], score=round(float(scores[i]), 6), probability=e / mass)
        for i, e in zip(best, exps, strict=True)
        if scores[i] > 0
    ]


def _descend(index: TaxonomyIndex, scores: npt.NDArray[np.float64], words: set[str], weights: Weights) -> None:
    """Google asks for the most specific category: while the winner has a sub-category that scores at least
    ``descend`` of the winner's score and whose own title words (those its parent's title lacks) the product
    uses ("Hammers" → "Claw Hammers" for a claw hammer, never "Prescription Dog Food" for a dog lead), that
    one wins, taking the winner's score."""
    if weights.descend <= 0:
        return
    current = int(np.argmax(scores))
    while True:
        own = index.title_terms[current]
        children = [index.position[c] for c in index.taxonomy.children.get(index.codes[current], [])]
        children = [c for c in children if scores[c] >= weights.descend * scores[current]]
        children = [c for c in children if (index.title_terms[c] - own) & words]
        if not children:
            return
        child = max(children, key=lambda c: float(scores[c]))
        scores[child], scores[current] = scores[current], scores[child]
        current = child


def context_from(index: TaxonomyIndex, product: ProductText, weights: Weights = DEFAULT_WEIGHTS) -> str:
    """The titles along the best category of another taxonomy: a second description of what the product is.
    The Google taxonomy names everyday things ("Eye Makeup > Mascara") where a GPC brick is abstract
    ("Cosmetics - Eye"), so its words lead GPC retrieval to the right branch."""
    ranked = rank(index, product, limit=1, weights=weights)
    if not ranked:
        return ""
    return " ".join(c.title for c in index.taxonomy.path(ranked[0].code))
