"""Text to index terms, the same way for taxonomy entries and products: lower case, British and American
retail words folded to one form (the taxonomies mix them: GPC writes "nappies" and "tyre", Google "diapers"
and "tires"), stop words and numbers dropped, Snowball (Porter 2) stems via PyStemmer.

The word table is small on purpose: it holds spelling variants and everyday shop words that name the same
thing, not product knowledge. Retrieval does the rest.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

# Variants (left) folded into the form on the right before stemming. Multi-word phrases are folded first.
PHRASES: dict[str, str] = {
    "sun cream": "sunscreen",
    "sun screen": "sunscreen",
    "sun lotion": "sunscreen",
    "cell phone": "mobile phone",
    "cellular phone": "mobile phone",
    "push chair": "stroller",
    "tee shirt": "tshirt",
    "flip flops": "sandals",
    "note book computer": "laptop",
    "hand bag": "handbag",
    "back pack": "backpack",
    "tooth brush": "toothbrush",
    "tooth paste": "toothpaste",
    "e book": "ebook",
    "e reader": "ereader",
    "kitchen roll": "paper towel",
}
WORDS: dict[str, str] = {
    "nappy": "diaper",
    "nappies": "diapers",
    "tyre": "tire",
    "tyres": "tires",
    "colour": "color",
    "colours": "colors",
    "jumper": "sweater",
    "jumpers": "sweaters",
    "trousers": "pants",
    "trouser": "pants",
    "jeans": "pants",
    "trainers": "sneakers",
    "pushchair": "stroller",
    "pushchairs": "strollers",
    "pram": "stroller",
    "prams": "strollers",
    "rucksack": "backpack",
    "rucksacks": "backpacks",
    "settee": "sofa",
    "couch": "sofa",
    "smartphone": "mobile phone",
    "smartphones": "mobile phones",
    "cellphone": "mobile phone",
    "notebook": "laptop",
    "ultrabook": "laptop",
    "tv": "television",
    "tvs": "televisions",
    "telly": "television",
    "racket": "racquet",
    "rackets": "racquets",
    "aluminium": "aluminum",
    "fibre": "fiber",
    "fibreglass": "fiberglass",
    "jewellery": "jewelry",
    "grey": "gray",
    "mum": "mom",
    "nappie": "diaper",
    "sneaker": "sneakers",
    "hoover": "vacuum",
    "biscuit": "cookie",
    "biscuits": "cookies",
    "crisps": "chips",
    "sweets": "candy",
    "torch": "flashlight",
    "torches": "flashlights",
    "earbuds": "headphones",
    "earphones": "headphones",
    "dumbbell": "dumbbells",
    "sunblock": "sunscreen",
    "spanner": "wrench",
    "spanners": "wrenches",
    "paraffin": "kerosene",
    "petrol": "gasoline",
    "wellies": "boots",
    "duvet": "comforter",
    "duvets": "comforters",
}

_WORD = re.compile(r"[a-z0-9]+")
_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")
_STOP = frozenset(STOPWORDS_EN) | frozenset(
    # words that every catalogue and every taxonomy entry uses, which say nothing about the category
    """product products item items includes include including such designed specifically used use using
    described observed may can also new pack packs set sets type types brand generic""".split()
)


def _fold_phrases(text: str) -> str:
    for phrase, canonical in PHRASES.items():
        if phrase in text:
            text = re.sub(rf"\b{re.escape(phrase)}\b", canonical, text)
    return text


class Analyzer:
    """Text → stemmed terms. PyStemmer objects are not safe to share between threads: one per thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _stemmer(self) -> Stemmer.Stemmer:
        stemmer: Stemmer.Stemmer | None = getattr(self._local, "stemmer", None)
        if stemmer is None:
            stemmer = Stemmer.Stemmer("english")
            self._local.stemmer = stemmer
        return stemmer

    def words(self, text: str) -> list[str]:
        lowered = text.lower()
        # "dumb-bell", "t-shirt", "e-book": both the parts and the joined word
        joined = " ".join(m.group(0).replace("-", "") for m in _HYPHENATED.finditer(lowered))
        lowered = _fold_phrases(f"{lowered} {joined}".replace("-", " ").replace("/", " "))
        out: list[str] = []
        for word in _WORD.findall(lowered):
            if any(ch.isdigit() for ch in word):
                continue  # sizes, capacities and model numbers say nothing about the category
            for folded in WORDS.get(word, word).split():
                if folded not in _STOP and len(folded) > 1:
                    out.append(folded)
        return out

    def terms(self, text: str) -> list[str]:
        words = self.words(text)
        return list(self._stemmer().stemWords(words)) if words else []

    def terms_of(self, texts: Iterable[str]) -> list[str]:
        return [term for text in texts for term in self.terms(text)]

    def head(self, text: str) -> frozenset[str]:
        """The terms of a name's or type's head noun (see ``head_words``)."""
        for word in head_words(text):
            terms = self.terms(word)
            if terms:
                return frozenset(terms)
        return frozenset()


_QUALIFIER = re.compile(r"\([^)]*\)")
_ALTERNATIVES = re.compile(r"\s*(?:/|,|&|\band\b|\bor\b)\s*")
_MODIFIER = re.compile(r"\s+(?:with|for|in|from|by|of|to)\s+|\s*[,(:;]\s*|\s+-\s+|\s+x\s+")


def core_title(title: str) -> str:
    """A title without its parenthesised qualifiers: ``Puzzle (Non Powered)`` → ``Puzzle``."""
    return _QUALIFIER.sub(" ", title).strip()


def title_heads(title: str) -> list[str]:
    """The head noun of each alternative a title names (English compounds end with their head):
    ``Skillets & Frying Pans`` → skillets, pans; ``Athletic Footwear - General Purpose`` → footwear."""
    main = core_title(title).split(" - ")[0]
    heads = []
    for part in _ALTERNATIVES.split(main):
        words = part.split()
        if words:
            heads.append(words[-1])
    return heads


def head_words(text: str) -> list[str]:
    """The words of a product's name or type up to its first modifier, last first: the head noun is the first
    of them that means something ("Mirrorless Digital Camera with 18-55mm Lens" → Camera, Digital, ...;
    "Acrylic Paint Set" → Set (a stop word), Paint, ...)."""
    main = _MODIFIER.split(text.strip(), maxsplit=1)[0]
    return [w for w in reversed(main.split()) if not any(ch.isdigit() for ch in w)]
