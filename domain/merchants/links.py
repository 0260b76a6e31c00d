"""Reading what a merchant link names: Amazon product URLs of every marketplace and bare ASINs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# Amazon's marketplaces by the store document's locale (a country code, lower case), and their web hosts.
AMAZON_HOSTS: dict[str, str] = {
    "us": "amazon.com",
    "gb": "amazon.co.uk",
    "de": "amazon.de",
    "fr": "amazon.fr",
    "it": "amazon.it",
    "es": "amazon.es",
    "nl": "amazon.nl",
    "se": "amazon.se",
    "pl": "amazon.pl",
    "be": "amazon.com.be",
    "tr": "amazon.com.tr",
    "ca": "amazon.ca",
    "mx": "amazon.com.mx",
    "br": "amazon.com.br",
    "jp": "amazon.co.jp",
    "in": "amazon.in",
    "au": "amazon.com.au",
    "sg": "amazon.sg",
    "ae": "amazon.ae",
    "sa": "amazon.sa",
    "eg": "amazon.eg",
}
_LOCALE_OF_HOST = {host: locale for locale, host in AMAZON_HOSTS.items()}
# uk is what people type for Great Britain; the store's locales say gb.
AMAZON_LOCALES = frozenset(AMAZON_HOSTS)

ASIN = re.compile(r"^[A-Z0-9]{10}$")
# An ASIN is 10 characters: "B" and 9 more for most products, or an ISBN-10 for books.
_LIKELY_ASIN = re.compile(r"^(B[0-9A-Z]{9}|[0-9]{9}[0-9X])$")
# Where product pages keep the ASIN: /dp/X, /gp/product/X, /gp/aw/d/X, /exec/obidos/ASIN/X, /o/ASIN/X, ?asin=X
_PATHS = re.compile(
    r"/(?:dp|gp/product|gp/aw/d|exec/obidos/asin|o/asin|gp/offer-listing)/([A-Za-z0-9]{10})(?:[/?#]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedLink:
    asin: str
    locale: str


def amazon_locale(host: str) -> str | None:
    """The locale of an Amazon web host (``www.amazon.co.uk``, ``smile.amazon.com``, ``amazon.de``)."""
    host = host.lower().rstrip(".")
    for prefix in ("www.", "smile.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    return _LOCALE_OF_HOST.get(host)


def parse_link(link: str, *, default_locale: str = "us") -> ParsedLink | None:
    """The ASIN and marketplace a link names: an Amazon product URL of any marketplace, or a bare ASIN (in
    ``default_locale``). ``None``: neither (short links like amzn.to cannot be read without fetching them)."""
    text = link.strip()
    if _LIKELY_ASIN.match(text.upper()) and ASIN.match(text.upper()):
        return ParsedLink(text.upper(), default_locale)
    candidate = text if "://" in text else f"https://{text}"
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    locale = amazon_locale(parts.hostname)
    if locale is None:
        return None
    path = unquote(parts.path)
    match = _PATHS.search(path + ("?" if not path.endswith("/") else ""))
    if match is None:
        query_asin = re.search(r"(?:^|&)asin=([A-Za-z0-9]{10})(?:&|$)", parts.query, re.IGNORECASE)
        if query_asin is None:
            return None
        asin = query_asin.group(1).upper()
    else:
        asin = match.group(1).upper()
    return ParsedLink(asin, locale) if ASIN.match(asin) else None
