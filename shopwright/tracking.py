"""Builds the analytics tracking (``/matomo.php``, ``/go``) and its ingestion queue from settings."""

from __future__ import annotations

import math
from dataclasses import dataclass

from prometheus_client import CollectorRegistry

from domain.analytics.geo import GeoLookup, MaxMindLookup, parse_networks
from domain.analytics.ingest import IngestPolicy
from domain.db import Database
from resolvers.tracking import Tracking, TrackingConfig
from shopwright.settings import Settings
from workers.analytics.queue import InProcessHitQueue, RedisHitQueue

HitQueue = InProcessHitQueue | RedisHitQueue


@dataclass
class TrackingParts:
    tracking: Tracking
    queue: HitQueue
    geo: MaxMindLookup | None = None

    async def start(self) -> None:
        await self.queue.start()

    async def close(self) -> None:
        """Writes (in-process) or leaves in the stream (Redis) every accepted hit, then lets go."""
        try:
            await self.queue.close()
        finally:
            if self.geo is not None:
                self.geo.close()


def ingest_policy(settings: Settings) -> IngestPolicy:
    rates = {k.strip().lower(): float(v) for k, v in settings.analytics_commission_rates.items()}
    bad = sorted(k for k, v in rates.items() if not (math.isfinite(v) and 0 <= v <= 1))
    if bad:
        raise ValueError(f"SHOPWRIGHT_ANALYTICS_COMMISSION_RATES: rates must be between 0 and 1 ({', '.join(bad)}).")
    return IngestPolicy(commission_rates=rates)


def build_hit_queue(settings: Settings, db: Database, policy: IngestPolicy) -> HitQueue:
    if settings.redis_url:
        return RedisHitQueue(
            settings.redis_url,
            db,
            policy,
            batch_size=settings.analytics_batch_size,
            flush_seconds=settings.analytics_flush_seconds,
            claim_idle_seconds=settings.analytics_claim_idle_seconds,
            stream=settings.analytics_stream,
        )
    return InProcessHitQueue(
        db,
        policy,
        batch_size=settings.analytics_batch_size,
        flush_seconds=settings.analytics_flush_seconds,
        max_pending=settings.analytics_max_pending,
    )


def build_tracking(settings: Settings, db: Database, registry: CollectorRegistry) -> TrackingParts:
    try:
        proxies = parse_networks(settings.analytics_trusted_proxies.split(","))
    except ValueError as exc:
        raise ValueError(f"SHOPWRIGHT_ANALYTICS_TRUSTED_PROXIES: {exc}") from None
    policy = ingest_policy(settings)
    geo = MaxMindLookup(str(settings.analytics_geoip_db)) if settings.analytics_geoip_db else None
    lookup: GeoLookup | None = geo
    queue = build_hit_queue(settings, db, policy)
    config = TrackingConfig(
        sink=queue,
        policy=policy,
        ip_mask_bytes=settings.analytics_ip_mask_bytes,
        trusted_proxies=proxies,
        country_header=settings.analytics_country_header,
        region_header=settings.analytics_region_header,
        city_header=settings.analytics_city_header,
        geo=lookup,
        max_bulk_requests=settings.analytics_max_bulk_requests,
        max_body_bytes=settings.max_body_bytes,
    )
    return TrackingParts(Tracking(db, config, registry), queue, geo)


def cmd_analytics_site(workspace_id: str, *, as_json: bool, settings: Settings) -> int:
    """``shopwright analytics site --workspace ID``: the workspace's tracking site id (created on first use)."""
    import asyncio
    import json
    import sys

    from domain.accounts.models import Workspace
    from domain.analytics.repository import AnalyticsRepository

    async def site() -> int | None:
        db = Database(settings.resolved_database_url())
        try:
            async with db.write_session() as session:
                if await session.get(Workspace, workspace_id) is None:
                    return None
                return await AnalyticsRepository(session).site_of(workspace_id)
        finally:
            await db.dispose()

    site_id = asyncio.run(site())
    if site_id is None:
        sys.exit(f"error: no workspace {workspace_id}")
    tracker = f"{(settings.public_url or 'http://127.0.0.1:8000').rstrip('/')}/matomo.php"
    if as_json:
        print(json.dumps({"workspace_id": workspace_id, "site_id": site_id, "tracker_url": tracker}))
    else:
        print(f"Site id:     {site_id}")
        print(f"Tracker URL: {tracker}")
    return 0
