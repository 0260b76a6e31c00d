"""Credits: two pools, one ledger.

A workspace holds subscription credits (its plan's monthly allowance: reset at each renewal, so unused ones
expire) and top-up credits (granted; they last). A debit spends subscription credits first, then top-up ones,
in one conditional UPDATE: concurrent debits can never take the balance below zero, and nothing is read first.
Every change is a ``CreditEntry`` whose ``details["pools"]`` says how much each pool moved, so a refund gives
back to the pools its debit drew from. A renewal that has come due is applied lazily by the first unit of work
that reads or debits the balance, once (a conditional UPDATE on ``plan_renews_at``).

Plans (plan name -> monthly credits, ``domain.accounts.plans``) are configuration the composition root hands
down. Services never commit.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.models import CreditEntry, Workspace
from domain.accounts.plans import Plans, add_months, next_renewal
from domain.accounts.principal import Principal
from domain.accounts.repository import AccountRow, CreditsRepository
from domain.base import utcnow
from domain.db import UnitOfWork
from domain.errors import InvalidInput, NotFound, PaymentRequired
from domain.jobs import webhooks
from domain.paging import MAX_PAGE_SIZE, Page, PageRequest

MAX_GRANT = 1_000_000_000  # credits one grant may add: far beyond any plan, far below the column's range
MAX_NOTE = 500

DEBIT = "debit"
REFUND = "refund"
GRANT = "grant"
RENEWAL = "renewal"
EXPIRY = "expiry"


class InsufficientCredits(PaymentRequired):
    """402 ``insufficient_credits``: the task costs more than the workspace holds."""

    def __init__(self, cost: int, balance: int) -> None:
        super().__init__(f"Not enough credits: this costs {cost} credits and the balance is {balance}.")
        self.cost = cost
        self.balance = balance


@dataclass(frozen=True)
class LedgerNote:
    """Why credits moved, as the ledger records it."""

    reason: str
    reference: str | None = None
    details: dict[str, Any] | None = None


@dataclass(frozen=True)
class Pools:
    """How many credits each pool holds, or how many moved (negative: taken)."""

    subscription: int = 0
    topup: int = 0

    @property
    def total(self) -> int:
        return self.subscription + self.topup

    def to_json(self) -> dict[str, int]:
        return {"subscription": self.subscription, "topup": self.topup}

    @classmethod
    def from_details(cls, details: Mapping[str, Any] | None) -> Pools | None:
        pools = (details or {}).get("pools")
        if not isinstance(pools, Mapping):
            return None
        return cls(int(pools.get("subscription", 0)), int(pools.get("topup", 0)))


@dataclass(frozen=True)
class CreditBalance:
    subscription: int
    topup: int
    plan: str
    renews_at: datetime | None

    @property
    def total(self) -> int:
        return self.subscription + self.topup

    @classmethod
    def of(cls, row: AccountRow | Workspace) -> CreditBalance:
        return cls(row.subscription_credits, row.topup_credits, row.plan, row.plan_renews_at)


def encode_entry_cursor(entry: CreditEntry) -> str:
    return base64.urlsafe_b64encode(f"credit:{entry.id}".encode()).decode().rstrip("=")


def decode_entry_cursor(cursor: str) -> int:
    try:
        kind, _, raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        if kind != "credit" or not raw.isdigit() or len(raw) > 18:
            raise ValueError(cursor)
        return int(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.field("after", "Unknown cursor.", rule="cursor") from None


def grant_note(note: str | None, **who: Any) -> LedgerNote:
    """The ledger note of a grant: the granter's ``note`` (at most ``MAX_NOTE`` characters) and who granted."""
    details = {key: value for key, value in who.items() if value is not None}
    if note is not None:
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput.field(
                "note", f"The note is at most {MAX_NOTE} characters.", rule="max_length", params={"max": MAX_NOTE}
            )
        if note:
            details["note"] = note
    return LedgerNote(GRANT, details=details or None)


def _positive(amount: int, what: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_GRANT:
        raise InvalidInput.field(
            "amount",
            f"{what} must be a whole number of credits from 1 to {MAX_GRANT}.",
            rule="between",
            params={"min": 1, "max": MAX_GRANT},
        )
    return amount


class CreditsService:
    """Balances, debits, refunds and grants of workspaces' credits. Reads take a session or a unit of work;
    changes take a unit of work (their ``credits.changed`` webhooks go out once it commits). ``plans`` is
    needed wherever a due renewal may have to be applied: ``balance`` and ``debit``."""

    def __init__(self, uow_or_session: UnitOfWork | AsyncSession, plans: Mapping[str, int] | None = None) -> None:
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            session = uow_or_session.session
        else:
            self.uow = None
            session = uow_or_session
        self.repo = CreditsRepository(session)
        self.plans = Plans.of(plans)

    # --- for callers --------------------------------------------------------------------------------

    async def balance_of(self, principal: Principal) -> CreditBalance:
        principal.require("workspace.billing.read")
        return await self.balance(principal.workspace_id)

    async def entries_of(self, principal: Principal, page: PageRequest) -> Page[CreditEntry]:
        principal.require("workspace.billing.read")
        return await self.entries(principal.workspace_id, page)

    async def grant(self, principal: Principal, amount: int, note: str | None = None) -> CreditBalance:
        """Top-up credits granted by a member who manages billing (or a key holding that permission)."""
        principal.require("workspace.billing.manage")
        _positive(amount, "A grant")
        ledger_note = grant_note(note, user_id=principal.user_id, api_key_id=principal.api_key_id)
        return await self.grant_topup(principal.workspace_id, amount, ledger_note)

    # --- by workspace ---------------------------------------------------------------------------------

    async def balance(self, workspace_id: str) -> CreditBalance:
        """The balance, with a renewal that has come due applied (in a unit of work) or as it will be once
        applied (on a read session, which writes nothing)."""
        account = await self._account(workspace_id)
        if not self._due(account):
            return CreditBalance.of(account)
        if self.uow is None:
            assert account.plan_renews_at is not None
            plans = self._plans()
            return CreditBalance(
                plans.monthly(account.plan),
                account.topup_credits,
                account.plan,
                next_renewal(account.plan_renews_at, utcnow()),
            )
        await self._renew(account)
        return CreditBalance.of(await self._account(workspace_id))

    async def debit(self, workspace_id: str, amount: int, note: LedgerNote) -> CreditBalance:
        """Take ``amount`` credits, subscription ones first; ``InsufficientCredits`` (nothing written) when the
        workspace holds fewer."""
        _positive(amount, "A debit")
        self._require_uow()
        account = await self._account(workspace_id)
        if self._due(account):
            await self._renew(account)
        row = await self.repo.debit(workspace_id, amount)
        if row is None:
            raise InsufficientCredits(amount, await self.repo.total(workspace_id) or 0)
        taken_subscription = row.previous_subscription_credits - row.subscription_credits
        moved = Pools(-taken_subscription, -(amount - taken_subscription))
        await self._record(row, moved, note)
        return CreditBalance.of(row)

    async def refund(self, workspace_id: str, amount: int, note: LedgerNote) -> CreditBalance:
        """Give back ``amount`` credits to the pools the debit ``note.reference`` names drew from (top-up
        first when only part comes back: those last); to top-up when there is no such debit."""
        _positive(amount, "A refund")
        self._require_uow()
        drawn = None
        if note.reference is not None:
            debit = await self.repo.latest_entry(workspace_id, DEBIT, note.reference)
            drawn = Pools.from_details(debit.details) if debit is not None else None
        topup = min(amount, -drawn.topup) if drawn is not None else amount
        subscription = min(amount - topup, -drawn.subscription) if drawn is not None else 0
        return await self._add(workspace_id, Pools(subscription, amount - subscription), note)

    async def grant_topup(self, workspace_id: str, amount: int, note: LedgerNote) -> CreditBalance:
        _positive(amount, "A grant")
        self._require_uow()
        return await self._add(workspace_id, Pools(topup=amount), note)

    async def entries(self, workspace_id: str, page: PageRequest) -> Page[CreditEntry]:
        """The ledger, newest first, paged by key (``page.after``: a cursor from ``Page.cursors``)."""
        limit = max(1, min(page.limit, MAX_PAGE_SIZE))
        before = decode_entry_cursor(page.after) if page.after else None
        rows, total = await self.repo.entries(workspace_id, limit=limit + 1, before_id=before)
        found = rows[:limit]
        return Page(found, total, limit=limit, cursors=[encode_entry_cursor(e) for e in found], more=len(rows) > limit)

    async def open(self, workspace: Workspace, *, topup: int = 0) -> None:
        """A new workspace's credits (it was just inserted): its plan's subscription started, renewing a
        month on when the plan grants credits, and ``topup`` credits granted. No webhook: nobody can have
        subscribed to a workspace this young."""
        plans = self._plans()
        monthly = plans.monthly(plans.check(workspace.plan))
        now = utcnow()
        workspace.subscription_credits = monthly
        workspace.previous_subscription_credits = 0
        workspace.topup_credits = topup
        workspace.plan_renews_at = add_months(now, 1) if monthly else None
        entries = []
        if monthly:
            entries.append(
                CreditEntry(
                    workspace_id=workspace.id,
                    amount=monthly,
                    balance_after=monthly,
                    reason=RENEWAL,
                    reference=f"{workspace.plan}:{now.date().isoformat()}",
                    details={"pools": Pools(subscription=monthly).to_json(), "plan": workspace.plan},
                    created_at=now,
                )
            )
        if topup:
            entries.append(
                CreditEntry(
                    workspace_id=workspace.id,
                    amount=topup,
                    balance_after=monthly + topup,
                    reason="initial_grant",
                    details={"pools": Pools(topup=topup).to_json()},
                    created_at=now,
                )
            )
        await self.repo.add_entries(entries)

    # --- internals ------------------------------------------------------------------------------------

    def _require_uow(self) -> UnitOfWork:
        if self.uow is None:
            raise RuntimeError("changing credits needs a UnitOfWork (its webhooks go out once it commits)")
        return self.uow

    def _plans(self) -> Plans:
        if self.plans is None:
            raise RuntimeError("CreditsService needs the plans (AppServices.plans) to renew subscriptions")
        return self.plans

    async def _account(self, workspace_id: str) -> AccountRow:
        account = await self.repo.account(workspace_id)
        if account is None:
            raise NotFound("Workspace not found.")
        return account

    def _due(self, account: AccountRow) -> bool:
        # Checked before the moment matters: a debit must know the plans even when no renewal is due yet,
        # or a misconfigured caller would only fail a month later.
        self._plans()
        return account.plan_renews_at is not None and account.plan_renews_at <= utcnow()

    async def _renew(self, account: AccountRow) -> None:
        """Reset the subscription credits to the plan's monthly amount (the unused ones expire), once: when
        several transactions find the same renewal due, the first UPDATE moves ``plan_renews_at`` on and the
        others match no row."""
        due = account.plan_renews_at
        monthly = self._plans().monthly(account.plan)
        following = next_renewal(due, utcnow())
        row = await self.repo.renew(account.workspace_id, due=due, monthly=monthly, following=following)
        if row is None:
            return
        period = f"{account.plan}:{due.date().isoformat()}"
        expired = row.previous_subscription_credits
        entries = []
        if expired:
            entries.append(
                CreditEntry(
                    workspace_id=row.workspace_id,
                    amount=-expired,
                    balance_after=row.topup_credits,
                    reason=EXPIRY,
                    reference=period,
                    details={"pools": Pools(subscription=-expired).to_json()},
                )
            )
        if monthly:
            entries.append(
                CreditEntry(
                    workspace_id=row.workspace_id,
                    amount=monthly,
                    balance_after=row.topup_credits + monthly,
                    reason=RENEWAL,
                    reference=period,
                    details={
                        "pools": Pools(subscription=monthly).to_json(),
                        "plan": account.plan,
                        "renews_at": following.isoformat(),
                    },
                )
            )
        await self.repo.add_entries(entries)
        if monthly != expired:
            await self._announce(row, before=expired + row.topup_credits, reason=RENEWAL, reference=period)

    async def _add(self, workspace_id: str, pools: Pools, note: LedgerNote) -> CreditBalance:
        row = await self.repo.credit(workspace_id, pools)
        if row is None:
            raise NotFound("Workspace not found.")
        await self._record(row, pools, note)
        return CreditBalance.of(row)

    async def _record(self, row: AccountRow, moved: Pools, note: LedgerNote) -> None:
        balance = row.subscription_credits + row.topup_credits
        details = {**(note.details or {}), "pools": moved.to_json()}
        entry = CreditEntry(
            workspace_id=row.workspace_id,
            amount=moved.total,
            balance_after=balance,
            reason=note.reason,
            reference=note.reference,
            details=details,
        )
        await self.repo.add_entries([entry])
        await self._announce(row, before=balance - moved.total, reason=note.reason, reference=note.reference)

    async def _announce(self, row: AccountRow, *, before: int, reason: str, reference: str | None) -> None:
        """The one place a balance change is announced: ``credits.changed`` (and ``credits.low`` where a
        subscription's threshold was crossed: the webhooks decide from the two balances)."""
        await webhooks.emit(
            self._require_uow(),
            row.workspace_id,
            "credits.changed",
            {
                "balance_before": before,
                "balance": row.subscription_credits + row.topup_credits,
                "subscription_credits": row.subscription_credits,
                "topup_credits": row.topup_credits,
                "reason": reason,
                "reference": reference,
            },
        )
