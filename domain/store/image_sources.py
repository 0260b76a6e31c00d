"""Where one slot's picture comes from, by the document's ``image_source`` modes:

- ``stock``: a 2 to 5 word search term (one small AI call; offline, taken from the title and niche), then
  Pexels, Unsplash and Pixabay in that order, skipping providers without a key, stopping at the first hit; a
  total miss leaves the slot empty.
- ``ai``: the image model when one is configured, else the local rendering (``domain.media.render.banner``).
- ``auto``: ``stock``, then ``ai`` for a slot no provider had.

Every picture is cropped to the slot's size off the event loop, so stock, model and rendered images come out
alike (the document: "indistinguishable ... downstream").
"""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from domain.ai.images import AUTO, OFFLINE, ImageProvider
from domain.ai.ports import ProviderError, ProviderSet, Usage
from domain.errors import DomainError
from domain.media.render import encode
from domain.media.render.banner import banner
from domain.media.render.canvas import cover
from domain.media.stock import Orientation, StockPhoto, StockUnavailable

RENDERED = "rendered"
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*", re.UNICODE)
_TERM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"term": {"type": "string", "description": "2 to 5 words"}},
    "required": ["term"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Slot:
    name: str  # banner | listing | hero | social | offer_box
    width: int
    height: int
    purpose: str  # what the picture is for, in the search-term and image prompts

    @property
    def orientation(self) -> Orientation:
        return "square" if self.width == self.height else "landscape"

    @property
    def model_size(self) -> str:
        """The nearest size image models draw (OpenAI's sizes); the result is cropped to the slot."""
        return "1024x1024" if self.width == self.height else "1536x1024"


@dataclass
class Picture:
    data: bytes
    content_type: str
    source: str  # pexels | unsplash | pixabay | <image provider name> | rendered
    attribution: dict[str, Any] | None = None
    model: str | None = None


@dataclass
class Subject:
    """What the pictures are of: the row's title, the store's niche and stock keys."""

    title: str
    niche: str | None
    stock_keys: dict[str, str | None] = field(default_factory=dict)
    seed: str = ""


def image_model(providers: ProviderSet) -> ImageProvider | None:
    images = providers.images
    if images is None:
        return None
    entry = images.resolve(AUTO)
    return None if entry == OFFLINE else images.get(entry)


def stock_configured(providers: ProviderSet, keys: dict[str, str | None]) -> bool:
    """Whether any stock provider can be asked (the document: with none, ``auto`` behaves as ``ai``)."""
    return providers.stock is not None and any(p.configured(keys.get(p.name)) for p in providers.stock.providers)


def offline_term(subject: Subject, slot: Slot) -> str:
    """2 to 5 words from the title, then the niche, without repeats."""
    words: list[str] = []
    for text in (subject.title, subject.niche or ""):
        for word in _WORD.findall(text):
            if word.lower() not in (w.lower() for w in words):
                words.append(word)
    if len(words) < 2:
        words.append("background" if slot.orientation == "landscape" else "still life")
    return " ".join(words[:5])


async def search_term(providers: ProviderSet, subject: Subject, slot: Slot, model: str) -> tuple[str, Usage]:
    """The stock search term: one small AI call, or the offline words. A provider failure falls back to the
    offline words (the search still has something to look for)."""
    if providers.text is None:
        return offline_term(subject, slot), Usage()
    niche = f" The store's niche: {subject.niche}." if subject.niche else ""
    try:
        result = await providers.text.generate_json(
            system="You write search terms for stock photo libraries. Answer with 2 to 5 plain words.",
            user=f"Title: {subject.title}.{niche} The picture is {slot.purpose}. Write the stock photo search term.",
            schema=_TERM_SCHEMA,
            schema_name="stock_search_term",
            temperature=0.2,
            max_tokens=40,
            model=model,
        )
    except ProviderError:
        return offline_term(subject, slot), Usage()
    words = _WORD.findall(str(result.data.get("term") or ""))
    term = " ".join(words[:5]) if len(words) >= 2 else offline_term(subject, slot)
    return term, result.usage


def _crop(data: bytes, slot: Slot, fmt: str) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        fitted = cover(image.convert("RGB"), slot.width, slot.height).convert("RGB")
    if fmt == "JPEG":
        out = io.BytesIO()
        fitted.save(out, format="JPEG", quality=88, optimize=True)
        return out.getvalue()
    return encode(fitted, "PNG")


async def from_stock(
    providers: ProviderSet, subject: Subject, slot: Slot, term: str, warnings: list[str]
) -> Picture | None:
    """The first provider's hit, downloaded (through the guarded fetcher) and cropped; providers that fail are
    recorded in ``warnings`` and passed over."""
    if providers.stock is None or providers.media is None:
        return None
    for provider in providers.stock.ordered():
        key = subject.stock_keys.get(provider.name)
        if not provider.configured(key):
            continue  # "Providers without an API key are skipped silently."
        try:
            photo: StockPhoto | None = await provider.search(term, api_key=key, orientation=slot.orientation)
        except StockUnavailable as exc:
            warnings.append(f"{slot.name}: {exc.message}")
            continue
        if photo is None:
            continue
        try:
            fetched = await providers.media.fetcher.fetch(photo.download_url, field="image")
            data = await asyncio.to_thread(_crop, fetched.data, slot, "JPEG")
        except (DomainError, OSError, ValueError, Image.DecompressionBombError) as exc:
            warnings.append(f"{slot.name}: the {provider.name} photo could not be downloaded ({exc}).")
            continue
        await provider.used(photo, api_key=key)
        return Picture(data, "image/jpeg", provider.name, {**photo.attribution(), "search_term": term})
    return None


async def from_model_or_render(providers: ProviderSet, subject: Subject, slot: Slot, caption: str | None) -> Picture:
    """The image model's picture when one is configured (its failure fails the job: it was paid for), else the
    local rendering."""
    model = image_model(providers)
    if model is not None:
        niche = f" for a store about {subject.niche}" if subject.niche else ""
        prompt = (
            f"A photographic {slot.purpose}{niche}, on the theme '{subject.title}'. "
            "No text, no letters, no logos, no watermarks."
        )
        generated = await model.generate(prompt, slot.model_size)
        data = await asyncio.to_thread(_crop, generated.data, slot, "PNG")
        return Picture(
            data, "image/png", model.name, {"provider": model.name, "model": generated.model}, generated.model
        )
    drawn = await asyncio.to_thread(
        lambda: encode(banner(subject.title, caption, slot.width, slot.height, seed=f"{subject.seed}:{slot.name}"))
    )
    return Picture(drawn, "image/png", RENDERED, {"provider": RENDERED})
