"""The workspace's credits: subscription and top-up, its plan and when the subscription credits renew."""

from __future__ import annotations

from starlette.responses import Response
from typing_extensions import TypedDict

from domain.listing.service import READ
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.dialect import zulu
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["billing"])


class CreditsJson(TypedDict):
    creditsRemaining: int
    subscriptionCredits: int
    topupCredits: int
    plan: str
    renewsAt: str | None


@router.get("/billing/credits", permission=READ, response=CreditsJson)
async def credits(call: Call) -> Response:
    """The balance: creditsRemaining = subscriptionCredits + topupCredits."""
    links = Links(call)
    # A read: a renewal that has come due is shown as it will be applied (the next debit applies it).
    balance = await call.read(lambda s, p: links.service(s).credits(p))
    return JSONResponse(
        CreditsJson(
            creditsRemaining=balance.total,
            subscriptionCredits=balance.subscription,
            topupCredits=balance.topup,
            plan=balance.plan,
            renewsAt=zulu(balance.renews_at),
        )
    )
