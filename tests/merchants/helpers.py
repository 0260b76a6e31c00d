"""What the merchant tests share: connecting a merchant, counting what was written, waiting for a job."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from domain.catalog.models import Offer, Product
from domain.jobs.models import Job
from domain.merchants.service import MerchantService
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo
from tests.support.jobs import wait_for


async def connect(
    services: AppServices,
    ws: WorkspaceInfo,
    merchant: str,
    adapter: str,
    settings: dict[str, str],
    credentials: dict[str, str] | None = None,
) -> None:
    ports = services.providers.merchants
    assert ports is not None
    async with services.unit_of_work() as uow:
        await MerchantService(uow, cipher=ports.cipher).connect(
            ws.principal, merchant=merchant, adapter=adapter, settings=settings, credentials=credentials or {}
        )


async def counts(services: AppServices, workspace_id: str) -> dict[str, int]:
    async with services.read() as session:
        out: dict[str, int] = {}
        for name, model in (("products", Product), ("offers", Offer), ("jobs", Job)):
            stmt = select(func.count()).select_from(model).where(model.workspace_id == workspace_id)
            out[name] = int((await session.execute(stmt)).scalar_one())
        return out


async def finished(services: AppServices, job_id: str) -> Job:
    job = await wait_for(services, job_id, {"completed", "failed", "cancelled"}, timeout=30)
    assert job.status == "completed", (job.status, job.error_code, job.error_message)
    return job


def result(job: Job) -> dict[str, Any]:
    assert isinstance(job.result, dict)
    return job.result
