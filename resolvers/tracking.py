"""``/matomo.php`` (the Matomo Tracking HTTP API) and ``/go/{offer_id}`` (outbound offer clicks).

``/matomo.php`` answers as Matomo does: a 1x1 transparent GIF (``Cache-Control: no-store`` on GET), or 204
with ``send_image=0``; a request Matomo refuses (an unknown ``idsite``, malformed parameters) gets the same
body with status 400 (204 with ``send_image=0``, as Matomo's own response code wins there), and is counted as
rejected. Bulk requests (a JSON body ``{"requests": ["?idsite=..", ...]}``) answer
``{"status": "success", "tracked": n, "invalid": m}``; more than the configured number of requests or a body
over the limit is a 400 ``{"status": "error", ...}``. Hits are validated here and handed to the ingestion
queue; they are written in batches (``workers/analytics/queue.py``).
"""

from __future__ import annotations

import base64
import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import CollectorRegistry, Counter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from domain.analytics.clicks import record_click
from domain.analytics.geo import NOWHERE, GeoLookup, IPNetwork, Location, anonymise_ip, client_ip, from_headers
from domain.analytics.hits import HEX16, InvalidHit, read_hit
from domain.analytics.ingest import AcceptedHit, HitSink, IngestPolicy, QueueFull
from domain.analytics.repository import AnalyticsRepository
from domain.db import Database
from domain.errors import NotFound
from resolvers.jsonenc import JSONResponse

log = logging.getLogger(__name__)

GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
NOT_TRACKING = (
    "This resource is part of Matomo. Keep full control of your data with the leading free and open source "
    "digital analytics platform for web and mobile."
)  # what Matomo answers a request with no parameters
MAX_PARAMS = 500
SITE_CACHE_SECONDS = 60.0


@dataclass
class TrackingConfig:
    sink: HitSink
    policy: IngestPolicy = field(default_factory=IngestPolicy)
    ip_mask_bytes: int = 1
    trusted_proxies: Sequence[IPNetwork] = ()
    country_header: str | None = None
    region_header: str | None = None
    city_header: str | None = None
    geo: GeoLookup | None = None
    max_bulk_requests: int = 500
    max_body_bytes: int = 1_048_576


class _Sites:
    """Site id -> workspace id, cached briefly (a hit must not cost a query)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[int, tuple[str | None, float]] = {}

    async def workspace(self, site_id: int) -> str | None:
        cached = self._cache.get(site_id)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        async with self.db.session() as session:
            workspace_id = await AnalyticsRepository(session).workspace_of_site(site_id)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[site_id] = (workspace_id, now + SITE_CACHE_SECONDS)
        return workspace_id

    def clear(self) -> None:
        self._cache.clear()


class _TooLarge(Exception):
    pass


def _params(text: str) -> dict[str, str]:
    """A query string as PHP reads it: the last value of a repeated key wins."""
    return dict(parse_qsl(text.lstrip("?"), keep_blank_values=True, max_num_fields=MAX_PARAMS))


class Tracking:
    def __init__(self, db: Database, config: TrackingConfig, registry: CollectorRegistry) -> None:
        self.db = db
        self.config = config
        self.sites = _Sites(db)
        self.hits = Counter(
            "shopwright_analytics_hits",
            "Tracker requests by outcome: accepted, invalid (malformed parameters), unknown_site.",
            ["outcome"],
            registry=registry,
        )
        self.clicks = Counter(
            "shopwright_analytics_clicks", "Offer clicks through /go, by kind.", ["kind"], registry=registry
        )

    def routes(self) -> list[Route]:
        return [
            Route("/matomo.php", self.matomo, methods=["GET", "POST"]),
            Route("/go/{offer_id}", self.go, methods=["GET"]),
        ]

    # ---- /matomo.php ----

    async def _body(self, request: Request) -> bytes:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.config.max_body_bytes:
                raise _TooLarge(f"The body is larger than {self.config.max_body_bytes} bytes.")
        return body

    def _location(self, request: Request, ip: str | None) -> Location:
        cfg = self.config
        if cfg.country_header:
            where = from_headers(
                request.headers.get(cfg.country_header),
                request.headers.get(cfg.region_header) if cfg.region_header else None,
                request.headers.get(cfg.city_header) if cfg.city_header else None,
            )
            if where.country_code is not None:
                return where
        if cfg.geo is not None and ip:
            return cfg.geo.lookup(ip)
        return NOWHERE

    async def _accept(
        self, params: dict[str, str], request: Request, now: datetime, ip: str | None, where: Location
    ) -> AcceptedHit | str:
        """The accepted hit, or why it was rejected (``invalid`` or ``unknown_site``)."""
        try:
            hit = read_hit(params, now)
        except InvalidHit as exc:
            log.debug("tracker request refused: %s", exc.reason)
            return "invalid"
        workspace_id = await self.sites.workspace(hit.site_id)
        if workspace_id is None:
            return "unknown_site"
        return AcceptedHit(
            ingest_id=uuid.uuid4().hex,
            workspace_id=workspace_id,
            received_at=now,
            params=params,
            ip=anonymise_ip(ip, self.config.ip_mask_bytes),
            user_agent=request.headers.get("user-agent"),
            language=request.headers.get("accept-language"),
            location=where,
        )

    def _count(self, outcome: str, n: int = 1) -> None:
        if n:
            self.hits.labels(outcome).inc(n)
            if outcome != "accepted":
                self.config.sink.reject(outcome, n)

    def _cors(self, request: Request, response: Response) -> Response:
        if request.method != "GET":
            response.headers["Access-Control-Allow-Origin"] = request.headers.get("origin", "*")
            response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    def _image(self, request: Request, params: dict[str, str], status: int) -> Response:
        if params.get("send_image") == "0":
            response = Response(status_code=204)
        else:
            response = Response(GIF, status_code=status, media_type="image/gif")
        if request.method == "GET":
            response.headers["Cache-Control"] = "no-store"
        return self._cors(request, response)

    async def matomo(self, request: Request) -> Response:
        now = datetime.now(UTC)
        try:
            body = await self._body(request) if request.method == "POST" else b""
        except _TooLarge as exc:
            return self._bulk_error(request, str(exc))
        text = body.decode("utf-8", errors="replace").strip()
        if text.startswith("{"):
            return await self._bulk(request, text, now)
        try:
            params = {**_params(text), **_params(request.url.query)}  # PHP's $_GET + $_POST: the query wins
        except ValueError:  # more than MAX_PARAMS fields
            self._count("invalid")
            return self._image(request, {}, 400)
        if not params:
            return self._cors(request, HTMLResponse(NOT_TRACKING))
        peer = request.client.host if request.client else None
        ip = client_ip(peer, request.headers.get("x-forwarded-for"), self.config.trusted_proxies)
        outcome = await self._accept(params, request, now, ip, self._location(request, ip))
        if isinstance(outcome, str):
            self._count(outcome)
            return self._image(request, params, 400)
        try:
            await self.config.sink.put([outcome])
        except QueueFull:
            return self._cors(request, Response("Busy: try again later.", status_code=503, media_type="text/plain"))
        self._count("accepted")
        return self._image(request, params, 200)

    def _bulk_error(self, request: Request, message: str) -> Response:
        body = {"status": "error", "tracked": 0, "invalid": 0, "message": message}
        return self._cors(request, JSONResponse(body, status_code=400))

    async def _bulk(self, request: Request, text: str, now: datetime) -> Response:
        try:
            data: Any = json.loads(text)
        except ValueError:
            return self._bulk_error(request, "The body is not JSON.")
        requests = data.get("requests") if isinstance(data, dict) else None
        if not isinstance(requests, list) or not all(isinstance(r, str) for r in requests):
            return self._bulk_error(request, 'The body must be {"requests": ["?idsite=...&rec=1...", ...]}.')
        limit = self.config.max_bulk_requests
        if len(requests) > limit:
            return self._bulk_error(request, f"A bulk request holds at most {limit} requests.")
        peer = request.client.host if request.client else None
        ip = client_ip(peer, request.headers.get("x-forwarded-for"), self.config.trusted_proxies)
        where = self._location(request, ip)
        accepted: list[AcceptedHit] = []
        rejected: dict[str, int] = {}
        for raw in requests:
            try:
                params = _params(raw)
            except ValueError:
                params = {}
            outcome = await self._accept(params, request, now, ip, where)
            if isinstance(outcome, str):
                rejected[outcome] = rejected.get(outcome, 0) + 1
            else:
                accepted.append(outcome)
        try:
            await self.config.sink.put(accepted)
        except QueueFull:
            body = {"status": "error", "tracked": 0, "invalid": 0, "message": "Busy: try again later."}
            return self._cors(request, JSONResponse(body, status_code=503))
        self._count("accepted", len(accepted))
        for outcome, n in rejected.items():
            self._count(outcome, n)
        body = {"status": "success", "tracked": len(accepted), "invalid": sum(rejected.values())}
        return self._cors(request, JSONResponse(body))

    # ---- /go/{offer_id} ----

    @staticmethod
    def _visitor_key(request: Request) -> str | None:
        # The Matomo JS tracker's first-party cookie: _pk_id.<site id>.<domain hash> = "<16 hex>.<created>."
        for name, value in request.cookies.items():
            if name.startswith("_pk_id."):
                key = value.split(".", 1)[0]
                if HEX16.fullmatch(key):
                    return key.lower()
        return None

    async def go(self, request: Request) -> Response:
        raw = request.path_params["offer_id"]
        if not raw.isdigit() or len(raw) > 9:
            return _not_found()
        source = request.query_params.get("from") or request.headers.get("referer")
        try:
            async with self.db.write_session() as session:
                clicked = await record_click(
                    session,
                    self.config.policy,
                    offer_id=int(raw),
                    source=source,
                    visitor_key=self._visitor_key(request),
                    now=datetime.now(UTC),
                )
        except NotFound:
            return _not_found()
        self.clicks.labels("affiliate" if clicked.affiliate else "internal").inc()
        response = RedirectResponse(clicked.url, status_code=302)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer-when-downgrade"
        return response


def _not_found() -> Response:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Offer not found</title></head>"
        "<body><h1>Offer not found</h1><p>This offer does not exist or is no longer available.</p></body></html>"
    )
    return HTMLResponse(page, status_code=404, headers={"Cache-Control": "no-store"})
