"""The two product taxonomies shipped with the package (``data/``), read into one shape.

- **Google Product Taxonomy**, version 2021-09-21, English (US): ``ID - Level 1 > Level 2 > ...``, one category
  a line after a ``#`` version header. Every category can be a classification (a leaf or not).
- **GS1 Global Product Classification (GPC)**, the June 2020 release ("Combined Published as at 01062020 EN"):
  tab-separated ``code``, ``name``, ``definition (GPC level)`` in tree order (segment, its families, each
  family's classes, each class's bricks). A classification is a brick, with its class, family and segment.

The GPC file is a conversion that lowercased and singularised GS1's names (``cosmetics - eye``) and moved a
trailing "Other" or "Variety Packs" into the definition. Names are re-cased here for display, words the
singularisation cut short (``hos`` for hoses, ``mobile phone cas``) are restored from the definition, and the
"Other" / "Variety Packs" bricks get that suffix back. Codes are GS1's own and are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

Channel = Literal["gpc", "google"]
CHANNELS: tuple[Channel, ...] = ("gpc", "google")

GOOGLE_FILE = "google-product-taxonomy-2021-09-21.en-US.txt"
GPC_FILE = "gs1-gpc-2020-06-hierarchy.tsv"
GOOGLE_VERSION = "2021-09-21"
GPC_VERSION = "2020-06-01"  # GS1's "Combined Published as at 01062020" release

GPC_LEVELS = ("segment", "family", "class", "brick")
Kind = Literal["regular", "other", "variety"]

_GPC_LEVEL = re.compile(r"\s*\(GPC (segment|family|class|brick)\)\s*$")
_WORD = re.compile(r"[a-z]+")
_SENTENCE = re.compile(r"(?<=[.;])\s+")
_BOILERPLATE = re.compile(
    r"^includes any products? (that|than|which) (can|may) be described/ ?observed as( an?| being)?\s*", re.I
)
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})
_ACRONYMS = {
    "cd": "CD",
    "dect": "DECT",
    "diy": "DIY",
    "dvd": "DVD",
    "gps": "GPS",
    "led": "LED",
    "mp3": "MP3",
    "pa": "PA",
    "pc": "PC",
    "sim": "SIM",
    "tv": "TV",
    "usb": "USB",
    "xps": "XPS",
}


@dataclass(frozen=True)
class Category:
    """One node of a taxonomy. ``level`` is the GPC level name, or ``"1"``.. for Google's depth."""

    code: int
    title: str
    level: str
    parent: int | None
    depth: int
    includes: str = ""  # GPC: the definition's inclusive sentences
    excludes: str = ""  # GPC: the definition's "Excludes ..." sentences
    kind: Kind = "regular"


@dataclass
class Taxonomy:
    channel: Channel
    version: str
    source: str
    categories: dict[int, Category] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)

    def add(self, category: Category) -> None:
        if category.code in self.categories:
            raise ValueError(f"{self.channel}: code {category.code} appears twice")
        self.categories[category.code] = category
        if category.parent is not None:
            self.children.setdefault(category.parent, []).append(category.code)

    def __contains__(self, code: object) -> bool:
        return code in self.categories

    def __getitem__(self, code: int) -> Category:
        return self.categories[code]

    def path(self, code: int) -> list[Category]:
        """From the top level down to ``code`` itself."""
        out: list[Category] = []
        node: int | None = code
        while node is not None:
            category = self.categories[node]
            out.append(category)
            node = category.parent
        return out[::-1]

    def classifiable(self) -> Iterator[Category]:
        """What a classification may name: every Google category, or every GPC brick."""
        for category in self.categories.values():
            if self.channel == "google" or category.level == "brick":
                yield category


def _read(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


# --- Google --------------------------------------------------------------------------------------------


def parse_google(text: str) -> Taxonomy:
    taxonomy = Taxonomy(channel="google", version=GOOGLE_VERSION, source=GOOGLE_FILE)
    by_path: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        raw_code, _, raw_path = line.partition(" - ")
        parts = [p.strip() for p in raw_path.split(" > ")]
        parent = by_path.get(" > ".join(parts[:-1])) if len(parts) > 1 else None
        if len(parts) > 1 and parent is None:
            raise ValueError(f"google: '{raw_path}' comes before its parent")
        code = int(raw_code)
        taxonomy.add(Category(code=code, title=parts[-1], level=str(len(parts)), parent=parent, depth=len(parts)))
        by_path[" > ".join(parts)] = code
    return taxonomy


# --- GPC -----------------------------------------------------------------------------------------------


def _recase(name: str) -> str:
    """``beauty/personal care/hygiene`` → ``Beauty/Personal Care/Hygiene``; small words stay small."""
    out: list[str] = []
    for i, piece in enumerate(re.split(r"([\s/()\-,&]+)", name)):
        if not piece or not piece[0].isalnum():
            out.append(piece)
        elif piece in _ACRONYMS:
            out.append(_ACRONYMS[piece])
        elif piece in _SMALL_WORDS and i > 0:
            out.append(piece)
        else:
            out.append(piece[0].upper() + piece[1:])
    return "".join(out)


def _restore_words(name: str, definition: str) -> str:
    """Words the conversion's singularisation cut short, taken back from the definition: ``hos`` → ``hose``
    (the definition speaks of hoses), ``cas`` → ``case``, ``apparatu`` → ``apparatus``."""
    vocabulary = set(_WORD.findall(definition.lower()))

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in vocabulary or len(word) < 2:
            return word
        suffix = "e" if word[-1] in "so" else "s" if word[-1] == "u" else ""
        if suffix and (word + suffix in vocabulary or word + suffix + "s" in vocabulary):
            return word + suffix
        return word

    return _WORD.sub(fix, name)


def _split_definition(definition: str) -> tuple[str, str]:
    includes: list[str] = []
    excludes: list[str] = []
    for sentence in _SENTENCE.split(definition.strip()):
        sentence = sentence.strip()
        if not sentence:
            continue
        lowered = sentence.lower()
        if lowered.startswith(("excludes", "specifically excludes", "excluding")):
            excludes.append(sentence)
        else:
            includes.append(_BOILERPLATE.sub("", sentence))
    return " ".join(includes), " ".join(excludes)


def parse_gpc(text: str) -> Taxonomy:
    taxonomy = Taxonomy(channel="gpc", version=GPC_VERSION, source=GPC_FILE)
    current: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) != 3:
            raise ValueError(f"gpc line {number}: expected 3 tab-separated columns")
        raw_code, name, definition = columns
        level_match = _GPC_LEVEL.search(definition)
        if level_match is None:
            raise ValueError(f"gpc line {number}: no (GPC level) in the definition")
        level = level_match.group(1)
        definition = definition[: level_match.start()].strip()
        kind: Kind = "regular"
        if definition.endswith("Variety Packs"):
            kind, definition = "variety", definition.removesuffix("Variety Packs").strip()
        elif definition.endswith("Other"):
            kind, definition = "other", definition.removesuffix("Other").strip()
        depth = GPC_LEVELS.index(level)
        parent = current.get(GPC_LEVELS[depth - 1]) if depth else None
        if depth and parent is None:
            raise ValueError(f"gpc line {number}: a {level} outside any {GPC_LEVELS[depth - 1]}")
        title = _recase(_restore_words(name.strip(), definition))
        if kind == "other":
            title += " Other"
        elif kind == "variety":
            title += " Variety Packs"
        includes, excludes = _split_definition(definition)
        code = int(raw_code)
        taxonomy.add(
            Category(
                code=code,
                title=title,
                level=level,
                parent=parent,
                depth=depth + 1,
                includes=includes,
                excludes=excludes,
                kind=kind,
            )
        )
        current[level] = code
        for deeper in GPC_LEVELS[depth + 1 :]:
            current.pop(deeper, None)
    return taxonomy


@cache
def load(channel: Channel) -> Taxonomy:
    """The shipped taxonomy of ``channel``, read once per process."""
    if channel == "google":
        return parse_google(_read(GOOGLE_FILE))
    return parse_gpc(_read(GPC_FILE))


def titles(path: Sequence[Category]) -> str:
    return " > ".join(c.title for c in path)
