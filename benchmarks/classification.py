"""Offline product classification against the hand-labelled products of the test suite.

``python -m benchmarks.classification [--split all|dev|holdout|fresh] [--misses]`` prints top-1 accuracy at the
Google leaf (the exact category), the Google top level, the GPC brick and the GPC segment, for:

- ``baseline``: plain BM25 (``bm25s``, its own tokenizer and English stop words, no stemming) over each
  category's own title, queried with the product's name, description and attribute values together;
- ``matcher``: the service's offline matcher (``domain.content.classification.ranking``): fields, stems,
  folded British/American words, GPC definitions, excludes and hierarchy voting.

The labelled set (``tests/content/classification/labelled.json``) is split three ways: ``dev`` (the half
the matcher was tuned on), ``holdout`` (kept apart while tuning) and ``fresh`` (added once the matcher was
finished). Also printed: the index build time and
the time per classification, and how well the confidence is calibrated (mean confidence of right and wrong
answers).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s

from domain.content.classification.index import TaxonomyIndex, build_index
from domain.content.classification.ranking import DEFAULT_WEIGHTS, Candidate, ProductText, Weights, context_from, rank
from domain.content.classification.taxonomy import Channel, Taxonomy, load

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "content" / "classification" / "labelled.json"


@dataclass(frozen=True)
class Labelled:
    product: ProductText
    google: int
    gpc: int
    split: str


def labelled(split: str = "all") -> list[Labelled]:
    data = json.loads(LABELLED.read_text())
    out = []
    for item in data["products"]:
        if split != "all" and item["split"] != split:
            continue
        attributes = tuple((a["name"], str(a["value"])) for a in item["product_attributes"])
        product = ProductText(item["product_name"], item["product_description"], attributes)
        out.append(Labelled(product, int(item["google"]), int(item["gpc"]), item["split"]))
    return out


def _text(product: ProductText) -> str:
    return " ".join([product.name, product.description, *(value for _, value in product.attributes)])


class TitleBaseline:
    """Plain BM25 over the category titles: what a first attempt gives."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        entries = list(taxonomy.classifiable())
        self.codes = [e.code for e in entries]
        self.retriever = bm25s.BM25()
        corpus = bm25s.tokenize([e.title for e in entries], stopwords="en", show_progress=False)
        self.retriever.index(corpus, show_progress=False)

    def top(self, product: ProductText) -> int | None:
        query = bm25s.tokenize([_text(product)], stopwords="en", show_progress=False, return_ids=False)
        scores = self.retriever.get_scores(query[0]) if query and query[0] else None
        if scores is None or not scores.any():
            return None
        return self.codes[int(scores.argmax())]


@dataclass(frozen=True)
class Accuracy:
    leaf: float
    top: float
    right_confidence: float | None = None
    wrong_confidence: float | None = None
    in_candidates: float | None = None  # the right answer among the ten candidates a model would be shown


def accuracy(
    taxonomy: Taxonomy, items: Sequence[Labelled], channel: Channel, predict: Callable[[ProductText], int | None]
) -> tuple[Accuracy, list[tuple[Labelled, int | None]]]:
    leaf = top = 0
    misses: list[tuple[Labelled, int | None]] = []
    for item in items:
        truth = item.google if channel == "google" else item.gpc
        guess = predict(item.product)
        if guess == truth:
            leaf += 1
        else:
            misses.append((item, guess))
        if guess is not None and taxonomy.path(guess)[0].code == taxonomy.path(truth)[0].code:
            top += 1
    n = max(len(items), 1)
    return Accuracy(leaf / n, top / n), misses


def matcher_rank(
    index: TaxonomyIndex, product: ProductText, other: TaxonomyIndex | None, weights: Weights = DEFAULT_WEIGHTS
) -> list[Candidate]:
    """As the service ranks: GPC takes the Google taxonomy's best category as context."""
    context = context_from(other, product, weights) if other is not None else ""
    return rank(index, product, weights=weights, context=context)


def matcher_accuracy(
    index: TaxonomyIndex,
    items: Sequence[Labelled],
    other: TaxonomyIndex | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[Accuracy, list[tuple[Labelled, int | None]]]:
    channel = index.taxonomy.channel
    right: list[float] = []
    wrong: list[float] = []
    found = 0

    def predict(product: ProductText) -> int | None:
        ranked = matcher_rank(index, product, other, weights)
        return ranked[0].code if ranked else None

    result, misses = accuracy(index.taxonomy, items, channel, predict)
    for item in items:
        ranked = matcher_rank(index, item.product, other, weights)
        if ranked:
            truth = item.google if channel == "google" else item.gpc
            (right if ranked[0].code == truth else wrong).append(ranked[0].probability)
            found += truth in {c.code for c in ranked}
    return Accuracy(
        result.leaf,
        result.top,
        statistics.fmean(right) if right else None,
        statistics.fmean(wrong) if wrong else None,
        found / max(len(items), 1),
    ), misses


def _confidence(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--split", choices=["all", "dev", "holdout", "fresh"], default="all")
    parser.add_argument("--misses", action="store_true", help="list the products the matcher got wrong")
    args = parser.parse_args(argv)

    items = labelled(args.split)
    print(f"classification: {len(items)} labelled products (split: {args.split})\n")
    rows: list[tuple[str, str, Any]] = []
    all_misses: dict[str, list[tuple[Labelled, int | None]]] = {}
    indexes: dict[str, TaxonomyIndex] = {}
    for channel in ("google", "gpc"):
        taxonomy = load(channel)
        started = time.perf_counter()
        index = indexes[channel] = build_index(taxonomy)
        built = time.perf_counter() - started
        baseline, _ = accuracy(taxonomy, items, channel, TitleBaseline(taxonomy).top)
        started = time.perf_counter()
        matcher, misses = matcher_accuracy(index, items, indexes["google"] if channel == "gpc" else None)
        per_item = (time.perf_counter() - started) / max(len(items), 1) / 2  # matcher_accuracy ranks twice
        all_misses[channel] = misses
        rows.append((channel, "baseline", baseline))
        rows.append((channel, "matcher", matcher))
        print(f"{channel}: index built in {built * 1000:.0f} ms; {per_item * 1000:.1f} ms per classification")
    print()
    print("channel  method     leaf   top   in top 10   confidence(right/wrong)")
    for channel, method, acc in rows:
        print(
            f"{channel:<8} {method:<9} {acc.leaf:5.2f} {acc.top:5.2f}   {_confidence(acc.in_candidates):>9}   "
            f"{_confidence(acc.right_confidence)} / {_confidence(acc.wrong_confidence)}"
        )
    print(
        "\n(leaf: the exact Google category or GPC brick; top: the Google top level or GPC segment; in top 10: "
        "the right one among the candidates a model chooses from)"
    )
    if args.misses:
        for channel, misses in all_misses.items():
            taxonomy = indexes[channel].taxonomy
            print(f"\n{channel} misses:")
            for item, guess in misses:
                truth = item.google if channel == "google" else item.gpc
                got = " > ".join(c.title for c in taxonomy.path(guess)) if guess else "-"
                want = " > ".join(c.title for c in taxonomy.path(truth))
                print(f"  {item.product.name[:45]:<45} got {got}\n  {'':<45} want {want}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
