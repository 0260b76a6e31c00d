"""Credits: the balance (subscription and top-up), the ledger, and granting top-up credits."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from domain.accounts import credits, models
from domain.accounts.credits import CreditsService
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.relay import Connection, keyset_request
from schema.types import Info


@strawberry.type(
    description="The workspace's credits: its plan's monthly subscription credits, used first, and "
    "top-up credits, which do not expire."
)
class Credits:
    credits_remaining: int = strawberry.field(description="Subscription plus top-up credits.")
    subscription_credits: int = strawberry.field(
        description="Left of this month's plan allowance; reset to the plan's amount at renewsAt (unused ones expire)."
    )
    topup_credits: int
    plan: str
    renews_at: datetime | None = strawberry.field(
        description="When the subscription credits renew; null: no plan credits."
    )

    @classmethod
    def of(cls, balance: credits.CreditBalance) -> Credits:
        return cls(
            credits_remaining=balance.total,
            subscription_credits=balance.subscription,
            topup_credits=balance.topup,
            plan=balance.plan,
            renews_at=balance.renews_at,
        )


@strawberry.type(description="One change of the balance: a debit (negative), refund, grant, renewal or expiry.")
class CreditEntry(FromModel):
    amount: int
    balance_after: int
    reason: str = strawberry.field(description="debit, refund, grant, initial_grant, renewal or expiry.")
    reference: str | None = strawberry.field(description="What it concerns: the job id of a debit or refund.")
    details: JSON | None = strawberry.field(
        description='Why, and how much each pool moved: {"pools": {"subscription": n, "topup": n}, ...}.'
    )
    created_at: datetime

    @classmethod
    def of(cls, entry: models.CreditEntry) -> CreditEntry:
        return cls.build(entry, details=cast(JSON, entry.details))


@strawberry.input
class GrantCreditsInput:
    amount: int = strawberry.field(description=f"Top-up credits to add, 1 to {credits.MAX_GRANT}.")
    note: str | None = strawberry.field(
        default=None, description=f"Why, kept in the ledger (at most {credits.MAX_NOTE} characters)."
    )


@strawberry.type
class GrantCreditsPayload(Payload):
    credits: Credits | None = None


@strawberry.type
class CreditsQuery:
    @strawberry.field(description="The workspace's credits (workspace.billing.read).")
    async def credits(self, info: Info) -> Credits:
        plans = info.context.services.plans
        found = await info.context.read(lambda s, p: CreditsService(s, plans).balance_of(p))
        return Credits.of(found)

    @strawberry.field(
        description="The credit ledger, newest first: every debit, refund, grant, renewal and expiry "
        "(workspace.billing.read)."
    )
    async def credit_entries(self, info: Info, first: int = 20, after: str | None = None) -> Connection[CreditEntry]:
        request = keyset_request(first, after)
        page = await info.context.read(lambda s, p: CreditsService(s).entries_of(p, request))
        return Connection.of(page, CreditEntry.of)


@strawberry.type
class CreditsMutation:
    @payload_mutation(description="Grant top-up credits to the workspace (workspace.billing.manage: owners).")
    async def grant_credits(self, info: Info, input: GrantCreditsInput) -> GrantCreditsPayload:
        plans = info.context.services.plans
        balance = await info.context.write(lambda uow, p: CreditsService(uow, plans).grant(p, input.amount, input.note))
        return GrantCreditsPayload(credits=Credits.of(balance))
