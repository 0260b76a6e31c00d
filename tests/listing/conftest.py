"""Listing tests run the app with the listing job kinds, images fetched from a loopback server (private
addresses allowed for it) under a small size limit, and a Pro workspace with credits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.listing.helpers import FETCH_MAX_BYTES, listing_registry, noise_png, product_png
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.serving import serving
from workers.runner import InProcessQueue

# No monthly credits: a workspace's balance is exactly what the test grants it.
EXACT_PLANS = {"free": 0, "pro": 0, "growth": 0}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "listing_settings(**overrides): settings for this test's app")


@pytest.fixture
def settings(request: pytest.FixtureRequest, settings_factory: Callable[..., Settings]) -> Settings:
    values: dict[str, Any] = {
        "image_fetch_allow_private": True,
        "image_fetch_max_bytes": FETCH_MAX_BYTES,
        "plans": EXACT_PLANS,
    }
    marker = request.node.get_closest_marker("listing_settings")
    if marker is not None:
        values.update(marker.kwargs)
    return settings_factory(**values)


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, listing_registry) as application:
        yield application


@pytest.fixture
async def pro(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Pro shop", plan="pro", credits=100)


@pytest.fixture
async def pro_b(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Other pro shop", plan="pro", credits=100)


@pytest.fixture
async def free(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Free shop", plan="free", credits=100)


@pytest.fixture(scope="session")
async def image_server() -> AsyncIterator[str]:
    """``/product.png`` (a small product photo), ``/noise.png`` (over the fetch limit), ``/page.txt`` (no image),
    ``/fake.png`` (text served as image/png)."""
    files = {
        "/product.png": (product_png(), "image/png"),
        "/noise.png": (noise_png(400), "image/png"),
        "/page.txt": (b"just text", "text/plain"),
        "/fake.png": (b"this is not a png at all", "image/png"),
    }
    assert len(files["/noise.png"][0]) > FETCH_MAX_BYTES

    async def serve(request: Request) -> Response:
        found = files.get(request.url.path)
        if found is None:
            return Response(status_code=404)
        return Response(found[0], media_type=found[1])

    async with serving(Starlette(routes=[Route("/{name:path}", serve)])) as url:
        yield url


@pytest.fixture
def held_jobs(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Jobs the test creates stay queued (never run): what submitting did is all there is to see."""
    queue = app.state.runtime.queue
    assert isinstance(queue, InProcessQueue)
    held: list[str] = []

    async def hold(job_id: str) -> None:
        held.append(job_id)

    monkeypatch.setattr(queue, "enqueue", hold)
    return held
