"""The countries a store can sell in (``GET /api/store/locales`` returns the enabled ones)."""

from __future__ import annotations

from typing import Any

LOCALES: dict[str, dict[str, Any]] = {
    "us": {
        "name": "United States",
        "iso_3166_2": "US",
        "currency": "USD",
        "language": "en",
        "amazon_domain": "amazon.com",
    },
    "gb": {
        "name": "United Kingdom",
        "iso_3166_2": "GB",
        "currency": "GBP",
        "language": "en",
        "amazon_domain": "amazon.co.uk",
    },
    "de": {"name": "Germany", "iso_3166_2": "DE", "currency": "EUR", "language": "de", "amazon_domain": "amazon.de"},
    "fr": {"name": "France", "iso_3166_2": "FR", "currency": "EUR", "language": "fr", "amazon_domain": "amazon.fr"},
    "it": {"name": "Italy", "iso_3166_2": "IT", "currency": "EUR", "language": "it", "amazon_domain": "amazon.it"},
    "es": {"name": "Spain", "iso_3166_2": "ES", "currency": "EUR", "language": "es", "amazon_domain": "amazon.es"},
    "nl": {
        "name": "Netherlands",
        "iso_3166_2": "NL",
        "currency": "EUR",
        "language": "nl",
        "amazon_domain": "amazon.nl",
    },
    "se": {"name": "Sweden", "iso_3166_2": "SE", "currency": "SEK", "language": "sv", "amazon_domain": "amazon.se"},
    "pl": {"name": "Poland", "iso_3166_2": "PL", "currency": "PLN", "language": "pl", "amazon_domain": "amazon.pl"},
    "ca": {"name": "Canada", "iso_3166_2": "CA", "currency": "CAD", "language": "en", "amazon_domain": "amazon.ca"},
    "mx": {"name": "Mexico", "iso_3166_2": "MX", "currency": "MXN", "language": "es", "amazon_domain": "amazon.com.mx"},
    "br": {"name": "Brazil", "iso_3166_2": "BR", "currency": "BRL", "language": "pt", "amazon_domain": "amazon.com.br"},
    "au": {
        "name": "Australia",
        "iso_3166_2": "AU",
        "currency": "AUD",
        "language": "en",
        "amazon_domain": "amazon.com.au",
    },
    "jp": {"name": "Japan", "iso_3166_2": "JP", "currency": "JPY", "language": "ja", "amazon_domain": "amazon.co.jp"},
    "in": {"name": "India", "iso_3166_2": "IN", "currency": "INR", "language": "en", "amazon_domain": "amazon.in"},
}

COUNTRY_CODES = frozenset(v["iso_3166_2"] for v in LOCALES.values())


def locales_for(countries: list[str]) -> dict[str, dict[str, Any]]:
    wanted = {c.lower() for c in countries}
    return {code: dict(info) for code, info in LOCALES.items() if code in wanted}
