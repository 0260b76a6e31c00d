"""Prometheus metrics: what the app counts (``resolvers.observability`` serves them at ``/metrics``).

Each app has its own ``CollectorRegistry`` (several apps in one process, as in the tests, do not collide).
Requests are labelled by route template (``/api/products/{id}``), never by raw path, so the number of series
stays bounded whatever clients send. Jobs by kind and status and the queue depth are read when scraped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs.repository import JobsRepository

UNMATCHED = "unmatched"  # the route label of a request no route answered
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    """The app's metrics on its own registry. ``queue_depth`` reports work waiting for a worker."""

    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        queue_depth: Callable[[], Awaitable[int]] | None = None,
    ) -> None:
        self.registry = registry or CollectorRegistry()
        self.queue_depth = queue_depth
        self.requests = Counter(
            "shopwright_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shopwright_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.jobs = Gauge(
            "shopwright_jobs", "Jobs in the database, by kind and status.", ["kind", "status"], registry=self.registry
        )
        self.queued = Gauge(
            "shopwright_job_queue_depth", "Jobs and callback deliveries waiting for a worker.", registry=self.registry
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def set_jobs(self, counts: Iterable[tuple[str, str, int]]) -> None:
        # Cleared first: a kind and status with no jobs left reads as absent, not as its last count.
        self.jobs.clear()
        for kind, status, count in counts:
            self.jobs.labels(kind, status).set(count)

    async def refresh(self, session: AsyncSession) -> None:
        """Reads what is measured at scrape time: jobs by kind and status, and the queue's depth."""
        self.set_jobs(await JobsRepository(session).count_by_kind_and_status())
        if self.queue_depth is not None:
            self.queued.set(await self.queue_depth())
