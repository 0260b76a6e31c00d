"""Content generation, configurations and feedback, for GraphQL and the content-services REST surface."""

from __future__ import annotations

from typing import Any

from domain.accounts.principal import Principal
from domain.content.configs import ContentConfigService, SavedConfig
from domain.content.models import ContentFeedback
from domain.content.service import ContentGenerationService
from domain.jobs.models import Job
from resolvers.context import AppServices


async def submit_generation(services: AppServices, principal: Principal, body: Any) -> Job:
    async with services.unit_of_work() as uow:
        return await ContentGenerationService(uow).submit(principal, body)


async def get_generation_job(services: AppServices, principal: Principal, job_id: str) -> Job:
    async with services.read() as session:
        return await ContentGenerationService(session).get_job(principal, job_id)


async def generation_result(services: AppServices, principal: Principal, job_id: str) -> dict[str, Any]:
    async with services.read() as session:
        return await ContentGenerationService(session).result(principal, job_id)


async def used_config(services: AppServices, principal: Principal, job_id: str) -> dict[str, Any]:
    async with services.read() as session:
        return await ContentGenerationService(session).used_config(principal, job_id)


async def submit_feedback(services: AppServices, principal: Principal, job_id: str, body: Any) -> ContentFeedback:
    async with services.unit_of_work() as uow:
        return await ContentGenerationService(uow).submit_feedback(principal, job_id, body)


async def list_configs(services: AppServices, principal: Principal, scope: str | None) -> list[SavedConfig]:
    async with services.read() as session:
        return await ContentConfigService(session).list(principal, scope)


async def get_config(services: AppServices, principal: Principal, config_id: str) -> SavedConfig:
    async with services.read() as session:
        return await ContentConfigService(session).get(principal, config_id)


async def create_config(services: AppServices, principal: Principal, body: Any) -> SavedConfig:
    async with services.unit_of_work() as uow:
        return await ContentConfigService(uow.session).create(principal, body)


async def replace_config(services: AppServices, principal: Principal, config_id: str, body: Any) -> SavedConfig:
    async with services.unit_of_work() as uow:
        return await ContentConfigService(uow.session).replace(principal, config_id, body)


async def update_config(
    services: AppServices,
    principal: Principal,
    config_id: str,
    *,
    name: str | None,
    description: str | None,
    clear_description: bool,
    content_config: dict[str, Any] | None,
) -> SavedConfig:
    async with services.unit_of_work() as uow:
        return await ContentConfigService(uow.session).update(
            principal,
            config_id,
            name=name,
            description=description,
            clear_description=clear_description,
            content_config=content_config,
        )


async def delete_config(services: AppServices, principal: Principal, config_id: str) -> str:
    async with services.unit_of_work() as uow:
        return await ContentConfigService(uow.session).delete(principal, config_id)
