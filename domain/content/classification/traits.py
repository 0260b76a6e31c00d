"""GPC splits many classes by a few plain qualifiers in the brick's name: "(Powered)" / "(Non Powered)",
"(Perishable)" / "(Shelf Stable)" / "(Frozen)", "Ready to Eat" / "Not Ready to Eat", "(Disposable)" /
"(Non Disposable)". Words rarely tell these twins apart (a cordless drill never says "powered"), so the
product's text is read for each qualifier, with GS1's own default where the text is silent (a packaged
product is shelf stable unless it says fresh, chilled or frozen; a tool is non powered unless it names a
battery, a plug, a voltage ...), and a brick whose qualifier disagrees is ranked lower."""

from __future__ import annotations

import re

Traits = dict[str, str]

_POWERED = re.compile(
    r"\b(electric|electrical|electronic|battery|batteries|cordless|rechargeable|powered|motori[sz]ed|motor|mains"
    r"|usb|plug|wireless|bluetooth|wi-?fi|smart|digital|led|\d+(?:\.\d+)?\s?(?:w|kw|v|mah|watts?|volts?))\b",
    re.I,
)
_FROZEN = re.compile(r"\bfrozen\b", re.I)
_PERISHABLE = re.compile(r"\b(fresh|chilled|refrigerated?|keep refrigerated|perishable)\b", re.I)
_READY = re.compile(r"\b(ready[- ]to[- ](eat|drink|serve)|ready meals?|pre-?cooked|instant)\b", re.I)
_DISPOSABLE = re.compile(r"\b(disposable|single[- ]use)\b", re.I)


def entry_traits(title: str) -> Traits:
    """The qualifiers a GPC brick's (re-cased) title carries."""
    lowered = title.lower()
    out: Traits = {}
    if "(non powered)" in lowered or "- non powered" in lowered:
        out["power"] = "no"
    elif "(powered)" in lowered or "- powered" in lowered:
        out["power"] = "yes"
    if "(frozen)" in lowered:
        out["storage"] = "frozen"
    elif "(perishable)" in lowered:
        out["storage"] = "perishable"
    elif "(shelf stable)" in lowered:
        out["storage"] = "shelf stable"
    if "not ready to" in lowered:
        out["ready"] = "no"
    elif "ready to" in lowered:
        out["ready"] = "yes"
    if "(non disposable)" in lowered:
        out["disposable"] = "no"
    elif "(disposable)" in lowered:
        out["disposable"] = "yes"
    return out


def product_traits(text: str) -> Traits:
    """The qualifiers a product's own text implies (GS1's default where it is silent)."""
    storage = "frozen" if _FROZEN.search(text) else "perishable" if _PERISHABLE.search(text) else "shelf stable"
    return {
        "power": "yes" if _POWERED.search(text) else "no",
        "storage": storage,
        "ready": "yes" if _READY.search(text) else "no",
        "disposable": "yes" if _DISPOSABLE.search(text) else "no",
    }


def agreement(entry: Traits, product: Traits, mismatch: float) -> float:
    """1.0 when every qualifier of the entry agrees with the product, ``mismatch`` per one that does not."""
    factor = 1.0
    for key, value in entry.items():
        if product.get(key, value) != value:
            factor *= mismatch
    return factor
