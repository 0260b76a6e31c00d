"""The countries a store can sell in (``GET /api/store/locales`` returns the enabled ones)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    name: str
    iso_3166_2: str
    currency: str
    language: str
    amazon_domain: str


LOCALES: dict[str, Locale] = {
    "us": Locale("United States", "US", "USD", "en", "amazon.com"),
    "gb": Locale("United Kingdom", "GB", "GBP", "en", "amazon.co.uk"),
    "de": Locale("Germany", "DE", "EUR", "de", "amazon.de"),
    "fr": Locale("France", "FR", "EUR", "fr", "amazon.fr"),
    "it": Locale("Italy", "IT", "EUR", "it", "amazon.it"),
    "es": Locale("Spain", "ES", "EUR", "es", "amazon.es"),
    "nl": Locale("Netherlands", "NL", "EUR", "nl", "amazon.nl"),
    "se": Locale("Sweden", "SE", "SEK", "sv", "amazon.se"),
    "pl": Locale("Poland", "PL", "PLN", "pl", "amazon.pl"),
    "ca": Locale("Canada", "CA", "CAD", "en", "amazon.ca"),
    "mx": Locale("Mexico", "MX", "MXN", "es", "amazon.com.mx"),
    "br": Locale("Brazil", "BR", "BRL", "pt", "amazon.com.br"),
    "au": Locale("Australia", "AU", "AUD", "en", "amazon.com.au"),
    "jp": Locale("Japan", "JP", "JPY", "ja", "amazon.co.jp"),
    "in": Locale("India", "IN", "INR", "en", "amazon.in"),
}

COUNTRY_CODES = frozenset(locale.iso_3166_2 for locale in LOCALES.values())


def locales_for(countries: list[str]) -> dict[str, Locale]:
    """The locales of these countries (any case), by lower-case country code, in the table's order."""
    wanted = {c.lower() for c in countries}
    return {code: locale for code, locale in LOCALES.items() if code in wanted}
