"""``generate_content`` of the merchant imports: one ``store.ai_content`` job per product an import created,
queued in the transaction that writes the products (they commit together or not at all).

Each job is billed like the store's other AI flags (``domain.store.ai_flags``): a content fill
(``CONTENT_FILL_CHIPS`` through ``credits_for_chips``) when a text provider writes it, nothing for the offline
composer. The price per product is fixed at submit and carried in the import job's parameters, with the plans the
debit needs; a workspace that runs out of credits half-way keeps its products, and the result says which have no
content job."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from domain.accounts.credits import CreditsService, InsufficientCredits
from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.jobs.service import JobService
from domain.store.ai_billing import CONTENT_FILL_CHIPS, credits_for_chips
from domain.store.ai_content import STORE_AI_CONTENT, ContentJobParams


class ContentPlan(BaseModel):
    """What an import job needs to queue the content jobs: the price of one, and the plans its debit renews by."""

    credits_per_product: int = Field(default=0, ge=0)
    plans: dict[str, int] | None = None


def plan_content(ai_available: bool, chips_per_credit: int, plans: Mapping[str, int] | None) -> ContentPlan:
    chips = CONTENT_FILL_CHIPS if ai_available else 0
    return ContentPlan(
        credits_per_product=credits_for_chips(chips, chips_per_credit),
        plans=dict(plans) if plans is not None else None,
    )


@dataclass
class ContentQueued:
    """The content jobs an import queued, by product, and the products left without one."""

    jobs: dict[int, str] = field(default_factory=dict)
    credits: int = 0
    unpaid: list[int] = field(default_factory=list)

    def merge(self, other: ContentQueued) -> None:
        self.jobs.update(other.jobs)
        self.credits += other.credits
        self.unpaid.extend(other.unpaid)

    def report(self) -> dict[str, Any]:
        return {
            "jobs": [{"product_id": pid, "job_id": job_id} for pid, job_id in self.jobs.items()],
            "credits": self.credits,
            "without_content": list(self.unpaid),
        }

    def warnings(self) -> list[str]:
        if not self.unpaid:
            return []
        ids = ", ".join(str(i) for i in self.unpaid)
        return [f"generate_content: not enough credits to write the content of product(s) {ids}; they were imported."]


async def queue_content(
    uow: UnitOfWork, workspace_id: str, product_ids: Sequence[int], plan: ContentPlan
) -> ContentQueued:
    """Queue ``store.ai_content`` for each product, inside ``uow`` (the products' own transaction)."""
    queued = ContentQueued()
    if not product_ids:
        return queued
    # The import runs as the workspace itself: its submitter's permissions were checked when it was submitted.
    system = Principal(workspace_id=workspace_id, permissions=frozenset())
    jobs = JobService(uow, plans=plan.plans)
    cost = plan.credits_per_product
    available = (await CreditsService(uow, plan.plans).balance(workspace_id)).total if cost else 0
    for product_id in product_ids:
        if cost and available < cost:
            queued.unpaid.append(product_id)
            continue
        params = ContentJobParams(entity="product", entity_id=product_id)
        try:
            job = await jobs.create(system, kind=STORE_AI_CONTENT, params=params, credits=cost)
        except InsufficientCredits:  # spent elsewhere since the balance was read: the debit wrote nothing
            queued.unpaid.append(product_id)
            available = 0
            continue
        available -= cost
        queued.jobs[product_id] = job.id
        queued.credits += cost
    return queued
