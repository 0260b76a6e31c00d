"""Ingestion: what the tracking endpoint accepts (``AcceptedHit``), and writing a batch of accepted hits.

A batch is one transaction: the raw hits (skipping any already stored: a redelivered batch is written once),
then per workspace the visitors, visits, actions, clicks and checkouts they make (``sessions.py``), then the
daily rollups and the product counters, all incrementally. Parsing user agents and referrers is CPU work and
runs in a thread before the transaction starts.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from domain.analytics.geo import NOWHERE, Location
from domain.analytics.hits import InvalidHit, TrackedHit, fingerprint, path_of, read_hit
from domain.analytics.referrers import Referrer, classify
from domain.analytics.repository import AnalyticsRepository
from domain.analytics.rollups import Rollups
from domain.analytics.sessions import SessionWriter
from domain.analytics.useragent import Device, parse_user_agent

SESSION_TIMEOUT = timedelta(minutes=30)
_PRODUCT_PATH = re.compile(r"/(?:products?|p)/([^/]+)/?$")
_PRODUCT_REF = re.compile(r"(?:prod_)?([0-9]{1,9})")


class QueueFull(Exception):
    """The ingestion queue cannot take more hits now (they are refused, not accepted and dropped)."""


class HitSink(Protocol):
    """Where the tracking endpoint puts accepted hits: a hit ``put`` returned for is never lost."""

    async def put(self, hits: Sequence[AcceptedHit]) -> None: ...

    def reject(self, reason: str, count: int = 1) -> None:
        """Counts tracker requests answered but not recorded (written with the next batch)."""


@dataclass(frozen=True)
class IngestPolicy:
    """What the composition root decides for ingestion (from settings)."""

    session_timeout: timedelta = SESSION_TIMEOUT
    # Merchant (lower case) -> commission rate (0.04 = 4 %); "*" is the rate of merchants not listed.
    commission_rates: Mapping[str, float] = field(default_factory=dict)

    def commission_rate(self, merchant: str) -> float:
        return self.commission_rates.get(merchant.lower(), self.commission_rates.get("*", 0.0))


@dataclass(frozen=True)
class AcceptedHit:
    """A tracking request the endpoint accepted: its parameters as sent, and what the request itself told
    (the anonymised address, the user agent and language headers, the location)."""

    ingest_id: str
    workspace_id: str
    received_at: datetime
    params: dict[str, str]
    ip: str | None = None
    user_agent: str | None = None
    language: str | None = None
    location: Location = NOWHERE

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.ingest_id,
            "ws": self.workspace_id,
            "at": self.received_at.isoformat(),
            "p": self.params,
            "ip": self.ip,
            "ua": self.user_agent,
            "lang": self.language,
            "geo": [self.location.country_code, self.location.region, self.location.city],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AcceptedHit:
        country, region, city = data.get("geo") or (None, None, None)
        return cls(
            ingest_id=str(data["id"]),
            workspace_id=str(data["ws"]),
            received_at=datetime.fromisoformat(data["at"]).astimezone(UTC),
            params={str(k): str(v) for k, v in dict(data["p"]).items()},
            ip=data.get("ip"),
            user_agent=data.get("ua"),
            language=data.get("lang"),
            location=Location(country, region, city),
        )


@dataclass
class Prepared:
    accepted: AcceptedHit
    hit: TrackedHit
    visitor_key: str
    device: Device
    referrer: Referrer
    path: str | None
    language: str | None
    product_slug: str | None = None
    product_ref: int | None = None  # a product id the hit names (``_pks``)


@dataclass(frozen=True)
class BatchResult:
    written: int
    duplicates: int
    invalid: int


def _language(header: str | None) -> str | None:
    if not header:
        return None
    return header.split(",")[0].split(";")[0].strip()[:32] or None


def prepare(hits: Sequence[AcceptedHit]) -> tuple[list[Prepared], list[AcceptedHit]]:
    """Parses each hit (CPU work: run it in a thread). Returns the good ones and the ones that no longer parse."""
    good: list[Prepared] = []
    bad: list[AcceptedHit] = []
    for accepted in hits:
        try:
            hit = read_hit(accepted.params, accepted.received_at)
        except InvalidHit:
            bad.append(accepted)
            continue
        user_agent = hit.user_agent or accepted.user_agent or ""
        language = hit.language or _language(accepted.language)
        key = hit.visitor_key or fingerprint(hit.site_id, accepted.ip, user_agent, language)
        path = path_of(hit.url)
        slug_match = _PRODUCT_PATH.search(path or "")
        ref_match = _PRODUCT_REF.fullmatch(hit.product_sku or "")
        good.append(
            Prepared(
                accepted=accepted,
                hit=hit,
                visitor_key=key,
                device=parse_user_agent(user_agent),
                referrer=classify(hit.url, hit.referrer_url),
                path=path,
                language=language,
                product_slug=slug_match.group(1) if slug_match else None,
                product_ref=int(ref_match.group(1)) if ref_match else None,
            )
        )
    return good, bad


def _raw_row(p: Prepared) -> dict[str, Any]:
    a = p.accepted
    return {
        "ingest_id": a.ingest_id,
        "workspace_id": a.workspace_id,
        "received_at": a.received_at,
        "hit_at": p.hit.at,
        "kind": p.hit.kind,
        "params": a.params,
        "ip_address": a.ip,
        "user_agent": a.user_agent,
        "country_code": a.location.country_code,
        "region": a.location.region,
        "city": a.location.city,
    }


async def write_batch(session: AsyncSession, hits: Sequence[AcceptedHit], policy: IngestPolicy) -> BatchResult:
    """Writes ``hits`` in ``session``'s transaction (the caller commits)."""
    prepared, invalid = await asyncio.to_thread(prepare, hits)
    repo = AnalyticsRepository(session)
    rollups = Rollups()
    for accepted in invalid:
        rollups.reject(accepted.received_at.date(), "invalid")
    live = await repo.live_workspaces(sorted({p.accepted.workspace_id for p in prepared}))
    for p in prepared:
        if p.accepted.workspace_id not in live:  # deleted since the hit was accepted: nothing to record it in
            rollups.reject(p.accepted.received_at.date(), "unknown_site")
    prepared = [p for p in prepared if p.accepted.workspace_id in live]
    fresh = await repo.insert_hits([_raw_row(p) for p in prepared])
    duplicates = len(prepared) - len(fresh)
    prepared = [p for p in prepared if p.accepted.ingest_id in fresh]
    by_workspace: dict[str, list[Prepared]] = {}
    for p in prepared:
        by_workspace.setdefault(p.accepted.workspace_id, []).append(p)
    workspaces = sorted(by_workspace)
    await repo.lock_sites(workspaces)
    zones = await repo.zones(workspaces)
    for workspace_id in workspaces:
        writer = SessionWriter(repo, rollups, policy, workspace_id, zones[workspace_id])
        await writer.write(by_workspace[workspace_id])
    await rollups.write(session)
    return BatchResult(written=len(prepared), duplicates=duplicates, invalid=len(invalid))


async def count_rejections(session: AsyncSession, rejections: Mapping[tuple[datetime, str], int]) -> None:
    """Adds rejected requests (per UTC time and reason) to ``analytics_rejections``."""
    rollups = Rollups()
    for (at, reason), count in rejections.items():
        rollups.rejections[(at.astimezone(UTC).date(), reason)] += count
    await rollups.write(session)
