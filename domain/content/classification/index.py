"""A lexical index over one shipped taxonomy: BM25 (``bm25s``, sparse matrices over numpy) per field of each
category that a classification may name.

Fields of a category (a Google category, or a GPC brick):

- ``title``: its own title;
- ``path``: the titles above it (segment, family and class for a brick; the parent categories for Google);
- ``text``: for a brick, its definition's inclusive sentences ("... Includes products such as ..."); for a
  Google category, the titles of the categories under it;
- ``excludes``: for a brick, the definition's "Excludes ..." sentences (evidence against it).

The index is built once per process and channel, on first use, under a lock; it takes a few hundred
milliseconds, so async callers use it from a worker thread (``classifier.classify`` ranks in
``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import bm25s
import numpy as np
import numpy.typing as npt

from domain.content.classification.taxonomy import Category, Channel, Taxonomy, load
from domain.content.classification.text import Analyzer, core_title, title_heads
from domain.content.classification.traits import Traits, entry_traits

FIELDS = ("title", "path", "text", "excludes")


@dataclass(frozen=True)
class TaxonomyIndex:
    taxonomy: Taxonomy
    analyzer: Analyzer
    codes: list[int]  # the categories a classification may name, in index order
    position: dict[int, int]
    fields: dict[str, bm25s.BM25]
    top_group: npt.NDArray[np.int64]  # per entry: its top-level ancestor's group number
    parent_group: npt.NDArray[np.int64]  # per entry: its parent's group number (-1: none)
    prior: npt.NDArray[np.float64]  # per entry: 1.0, less for GPC's "Other" and "Variety Packs" catch-alls
    title_terms: list[frozenset[str]]  # per entry: the terms of its title, without its qualifiers
    heads: list[frozenset[str]]  # per entry: the terms of the head nouns of its title
    traits: list[Traits]  # per entry: GPC's qualifiers in its title (powered, frozen ...)

    @property
    def size(self) -> int:
        return len(self.codes)

    def scores(self, field: str, terms: list[str]) -> npt.NDArray[np.float64]:
        """BM25 of ``terms`` against one field of every entry (zeros without terms)."""
        if not terms or field not in self.fields:
            return np.zeros(self.size)
        return np.asarray(self.fields[field].get_scores(terms), dtype=np.float64)


# A catch-all brick ("Watch Other") has the same words as its class; it should win only where no specific
# brick matches. Variety packs are rarer still for a single product.
KIND_PRIOR = {"regular": 1.0, "other": 0.6, "variety": 0.4}


def _documents(taxonomy: Taxonomy, entry: Category) -> dict[str, str]:
    path = taxonomy.path(entry.code)[:-1]
    if taxonomy.channel == "gpc":
        text, excludes = entry.includes, entry.excludes
    else:
        text = " ".join(taxonomy[c].title for c in taxonomy.children.get(entry.code, []))
        excludes = ""
    return {"title": entry.title, "path": " ".join(c.title for c in path), "text": text, "excludes": excludes}


def _groups(keys: list[int | None]) -> npt.NDArray[np.int64]:
    numbers: dict[int, int] = {}
    return np.array([-1 if k is None else numbers.setdefault(k, len(numbers)) for k in keys], dtype=np.int64)


def build_index(taxonomy: Taxonomy, analyzer: Analyzer | None = None) -> TaxonomyIndex:
    analyzer = analyzer or Analyzer()
    entries = list(taxonomy.classifiable())
    corpus: dict[str, list[list[str]]] = {name: [] for name in FIELDS}
    for entry in entries:
        for name, text in _documents(taxonomy, entry).items():
            corpus[name].append(analyzer.terms(text))
    fields: dict[str, bm25s.BM25] = {}
    for name in FIELDS:
        if not any(corpus[name]):
            continue  # Google has no excludes
        retriever = bm25s.BM25()
        retriever.index(corpus[name], show_progress=False)
        fields[name] = retriever
    tops = [taxonomy.path(e.code)[0].code if e.parent is not None else e.code for e in entries]
    return TaxonomyIndex(
        taxonomy=taxonomy,
        analyzer=analyzer,
        codes=[e.code for e in entries],
        position={e.code: i for i, e in enumerate(entries)},
        fields=fields,
        top_group=_groups(list(tops)),
        parent_group=_groups([e.parent for e in entries]),
        prior=np.array([KIND_PRIOR[e.kind] for e in entries], dtype=np.float64),
        title_terms=[frozenset(analyzer.terms(core_title(e.title))) for e in entries],
        heads=[frozenset(t for head in title_heads(e.title) for t in analyzer.terms(head)) for e in entries],
        traits=[entry_traits(e.title) if taxonomy.channel == "gpc" else {} for e in entries],
    )


_indexes: dict[str, TaxonomyIndex] = {}
_lock = threading.Lock()


def index_for(channel: Channel) -> TaxonomyIndex:
    """The channel's index, built on first use (once per process, whichever thread asks first)."""
    index = _indexes.get(channel)
    if index is None:
        with _lock:
            index = _indexes.get(channel)
            if index is None:
                index = build_index(load(channel))
                _indexes[channel] = index
    return index
