"""The client's address (behind trusted proxies), its anonymised form, and where it is.

Location comes, in this order, from the tracker's own ``country``/``region``/``city`` overrides (never: they need
Matomo's ``token_auth``, which this service does not take), a trusted proxy's headers (``CF-IPCountry`` and the
like, named by settings), or a MaxMind database (GeoLite2/GeoIP2 City or Country ``.mmdb``) when one is
configured. The lookup uses the full address, before it is anonymised; only the anonymised one is stored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Bytes of an IPv4 address zeroed -> the IPv6 prefix kept (Matomo's levels, with /48 for the default one byte).
IPV6_PREFIX = {0: 128, 1: 48, 2: 32, 3: 24, 4: 0}
UNKNOWN_COUNTRIES = frozenset({"", "XX", "T1", "A1", "A2", "O1", "EU", "AP"})


@dataclass(frozen=True)
class Location:
    country_code: str | None = None
    region: str | None = None
    city: str | None = None


NOWHERE = Location()


class GeoLookup(Protocol):
    def lookup(self, ip: str) -> Location: ...


def parse_networks(values: Sequence[str]) -> tuple[IPNetwork, ...]:
    """CIDRs or single addresses; raises ``ValueError`` naming a bad one."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def _is_trusted(ip: str, trusted: Sequence[IPNetwork]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in trusted)


def client_ip(peer: str | None, forwarded_for: str | None, trusted: Sequence[IPNetwork]) -> str | None:
    """The visitor's address: the peer, unless the peer is a trusted proxy, in which case the right-most
    ``X-Forwarded-For`` entry that is not itself a trusted proxy (entries further left are the client's word)."""
    if not peer or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def anonymise_ip(ip: str | None, mask_bytes: int) -> str | None:
    """``ip`` with its last ``mask_bytes`` bytes zeroed (IPv6: cut to the matching prefix); None if not an IP."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address):
        prefix = 32 - 8 * mask_bytes
    else:
        prefix = IPV6_PREFIX[mask_bytes]
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def country_code(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper case; None for a proxy's "unknown"/"Tor"/"anonymous" markers."""
    if not value:
        return None
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha() or code in UNKNOWN_COUNTRIES:
        return None
    return code


def region_code(value: str | None) -> str | None:
    """The subdivision part of an ISO 3166-2 code (``CA`` for ``US-CA``), at most 10 characters."""
    if not value:
        return None
    code = value.strip().upper().rpartition("-")[2]
    return code[:10] if code.isalnum() else None


def from_headers(country: str | None, region: str | None, city: str | None) -> Location:
    cc = country_code(country)
    if cc is None:
        return NOWHERE
    return Location(cc, region_code(region), (city or "").strip()[:255] or None)


class MaxMindLookup:
    """A MaxMind ``.mmdb`` (City or Country edition) read through ``maxminddb`` (memory-mapped, fast)."""

    def __init__(self, path: str) -> None:
        import maxminddb

        self._reader = maxminddb.open_database(path)

    def lookup(self, ip: str) -> Location:
        try:
            record: Any = self._reader.get(ip)
        except ValueError:
            return NOWHERE
        if not isinstance(record, dict):
            return NOWHERE
        country = record.get("country") or record.get("registered_country") or {}
        cc = country_code(country.get("iso_code") if isinstance(country, dict) else None)
        if cc is None:
            return NOWHERE
        subdivisions = record.get("subdivisions") or []
        region = subdivisions[0].get("iso_code") if subdivisions and isinstance(subdivisions[0], dict) else None
        names = (record.get("city") or {}).get("names") or {}
        city = names.get("en") if isinstance(names, dict) else None
        return Location(cc, region_code(region), city[:255] if isinstance(city, str) else None)

    def close(self) -> None:
        self._reader.close()
