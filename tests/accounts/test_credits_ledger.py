"""Credits as a ledger: atomic debits under concurrency (separate transactions, as requests run them),
subscription credits spent before top-up ones, refunds to the pools a debit drew from, monthly renewal applied
lazily and once, and plans as configuration."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.credits import CreditsService, InsufficientCredits, LedgerNote
from domain.accounts.models import CreditEntry, Workspace
from domain.accounts.plans import DEFAULT_PLANS, Plans, UnknownPlan, add_months, next_renewal
from domain.accounts.service import AccountsService
from domain.accounts.tokens import TokenService
from domain.base import utcnow
from domain.db import Database, NullDispatcher
from domain.errors import InvalidInput, NotFound
from domain.jobs.models import CallbackDelivery, Job
from domain.jobs.service import JobService
from domain.jobs.webhooks import WebhookCommand, WebhookService
from domain.paging import PageRequest
from shopwright.migrate import downgrade, upgrade
from shopwright.settings import Settings
from tests.support import jobkinds

PLANS = Plans({"free": 0, "pro": 500, "growth": 2000})


@pytest.fixture
async def db(clean_db: str) -> AsyncIterator[Database]:
    # Thirty transactions at once at most: the server's connections are shared with other test runs.
    database = Database(clean_db, pool_size=10, max_overflow=20)
    try:
        yield database
    finally:
        await database.dispose()


def accounts(session: AsyncSession) -> AccountsService:
    return AccountsService(session, TokenService(["k"]), token_ttl_seconds=60, plans=PLANS)


async def new_workspace(db: Database, *, plan: str = "free", topup: int = 0) -> str:
    return (await new_workspace_and_key(db, plan=plan, topup=topup))[0]


async def new_workspace_and_key(db: Database, *, plan: str = "free", topup: int = 0) -> tuple[str, str]:
    async with db.unit_of_work(NullDispatcher()) as uow:
        created = await accounts(uow.session).create_workspace(
            name="Shop", owner_email="o@example.com", plan=plan, credits=topup
        )
        return created.workspace.id, created.api_key.plaintext


async def balance(db: Database, workspace_id: str) -> tuple[int, int]:
    async with db.unit_of_work(NullDispatcher()) as uow:
        found = await CreditsService(uow, PLANS).balance(workspace_id)
        return found.subscription, found.topup


async def ledger(db: Database, workspace_id: str) -> list[CreditEntry]:
    async with db.session() as session:
        stmt = select(CreditEntry).where(CreditEntry.workspace_id == workspace_id).order_by(CreditEntry.id)
        return list((await session.execute(stmt)).scalars())


async def set_workspace(db: Database, workspace_id: str, **values: Any) -> None:
    async with db.write_session() as session:
        await session.execute(update(Workspace).where(Workspace.id == workspace_id).values(**values))


async def debit_once(db: Database, workspace_id: str, amount: int, reference: str) -> bool:
    try:
        async with db.unit_of_work(NullDispatcher()) as uow:
            await CreditsService(uow, PLANS).debit(workspace_id, amount, LedgerNote("debit", reference=reference))
        return True
    except InsufficientCredits as exc:
        assert exc.cost == amount and exc.balance >= 0
        return False


async def test_a_hundred_concurrent_debits_against_ten_credits_take_exactly_ten(db: Database) -> None:
    workspace_id = await new_workspace(db, topup=10)
    outcomes = await asyncio.gather(*(debit_once(db, workspace_id, 1, f"req-{i}") for i in range(100)))
    assert outcomes.count(True) == 10 and outcomes.count(False) == 90
    assert await balance(db, workspace_id) == (0, 0)
    debits = [e for e in await ledger(db, workspace_id) if e.reason == "debit"]
    assert len(debits) == 10
    # Every debit saw its own balance: 9, 8, ... 0, never below.
    assert sorted(e.balance_after for e in debits) == list(range(10))
    assert all(e.amount == -1 and e.details == {"pools": {"subscription": 0, "topup": -1}} for e in debits)


async def test_concurrent_debits_spend_subscription_credits_before_top_up_ones(db: Database) -> None:
    workspace_id = await new_workspace(db, topup=4)
    await set_workspace(db, workspace_id, subscription_credits=6)
    outcomes = await asyncio.gather(*(debit_once(db, workspace_id, 1, f"req-{i}") for i in range(30)))
    assert outcomes.count(True) == 10
    assert await balance(db, workspace_id) == (0, 0)
    debits = [e for e in await ledger(db, workspace_id) if e.reason == "debit"]
    taken = [(e.details or {})["pools"] for e in sorted(debits, key=lambda e: -e.balance_after)]
    assert taken == [{"subscription": -1, "topup": 0}] * 6 + [{"subscription": 0, "topup": -1}] * 4


async def test_jobs_created_concurrently_debit_exactly_what_the_balance_covers(db: Database) -> None:
    workspace_id, key = await new_workspace_and_key(db, topup=30)
    async with db.session() as session:
        principal = await accounts(session).authenticate(key)

    async def create() -> bool:
        try:
            async with db.unit_of_work(NullDispatcher()) as uow:
                await JobService(uow, plans=PLANS).create(principal, kind=jobkinds.STEPS, params={}, credits=3)
            return True
        except InsufficientCredits:
            return False

    outcomes = await asyncio.gather(*(create() for _ in range(100)))
    assert outcomes.count(True) == 10
    async with db.session() as session:
        jobs = list((await session.execute(select(Job).where(Job.workspace_id == workspace_id))).scalars())
    assert len(jobs) == 10 and all(j.credits_charged == 3 for j in jobs)
    assert await balance(db, workspace_id) == (0, 0)
    debits = [e for e in await ledger(db, workspace_id) if e.reason == "debit"]
    assert sorted(e.reference for e in debits if e.reference) == sorted(j.id for j in jobs)


async def test_a_debit_split_across_pools_is_refunded_to_the_same_pools(db: Database) -> None:
    workspace_id = await new_workspace(db, plan="pro", topup=20)
    assert await balance(db, workspace_id) == (500, 20)
    async with db.unit_of_work(NullDispatcher()) as uow:
        after = await CreditsService(uow, PLANS).debit(workspace_id, 510, LedgerNote("debit", reference="job-1"))
    assert (after.subscription, after.topup, after.total) == (0, 10, 10)
    async with db.unit_of_work(NullDispatcher()) as uow:
        back = await CreditsService(uow).refund(workspace_id, 510, LedgerNote("refund", reference="job-1"))
    assert (back.subscription, back.topup) == (500, 20)
    debit, refund = (await ledger(db, workspace_id))[-2:]
    assert (debit.amount, debit.balance_after, debit.details) == (
        -510,
        10,
        {"pools": {"subscription": -500, "topup": -10}},
    )
    assert (refund.amount, refund.balance_after, refund.reference, refund.details) == (
        510,
        520,
        "job-1",
        {"pools": {"subscription": 500, "topup": 10}},
    )


async def test_a_partial_refund_gives_back_top_up_first_and_one_without_a_debit_goes_to_top_up(db: Database) -> None:
    workspace_id = await new_workspace(db, plan="pro", topup=20)
    async with db.unit_of_work(NullDispatcher()) as uow:
        credits = CreditsService(uow, PLANS)
        await credits.debit(workspace_id, 510, LedgerNote("debit", reference="job-1"))
        partial = await credits.refund(workspace_id, 15, LedgerNote("refund", reference="job-1"))
        assert (partial.subscription, partial.topup) == (5, 20)
        loose = await credits.refund(workspace_id, 7, LedgerNote("refund", reference="nothing-debited"))
        assert (loose.subscription, loose.topup) == (5, 27)


async def test_short_balance_raises_402_naming_cost_and_balance_and_writes_nothing(db: Database) -> None:
    workspace_id = await new_workspace(db, topup=4)
    before = await ledger(db, workspace_id)
    with pytest.raises(InsufficientCredits) as caught:
        async with db.unit_of_work(NullDispatcher()) as uow:
            await CreditsService(uow, PLANS).debit(workspace_id, 5, LedgerNote("debit"))
    error = caught.value
    assert (error.status, error.code, error.cost, error.balance) == (402, "insufficient_credits", 5, 4)
    assert "5" in error.message and "4" in error.message
    assert await balance(db, workspace_id) == (0, 4)
    assert len(await ledger(db, workspace_id)) == len(before)


@pytest.mark.parametrize("amount", [0, -3, 10**12, True])
async def test_bad_amounts_are_refused_as_invalid_input(db: Database, amount: Any) -> None:
    workspace_id = await new_workspace(db, topup=4)
    async with db.unit_of_work(NullDispatcher()) as uow:
        credits = CreditsService(uow, PLANS)
        for change in (credits.debit, credits.refund, credits.grant_topup):
            with pytest.raises(InvalidInput) as caught:
                await change(workspace_id, amount, LedgerNote("x"))
            assert caught.value.errors.keys() == {"amount"}
    assert await balance(db, workspace_id) == (0, 4)


async def test_unknown_workspace_is_not_found(db: Database) -> None:
    async with db.unit_of_work(NullDispatcher()) as uow:
        credits = CreditsService(uow, PLANS)
        with pytest.raises(NotFound):
            await credits.debit("no-such-workspace", 1, LedgerNote("debit"))
        with pytest.raises(NotFound):
            await credits.grant_topup("no-such-workspace", 1, LedgerNote("grant"))


async def test_a_pro_workspace_starts_its_subscription_a_month_on(db: Database) -> None:
    before = utcnow()
    workspace_id = await new_workspace(db, plan="pro", topup=7)
    async with db.session() as session:
        found = await CreditsService(session, PLANS).balance(workspace_id)
    assert (found.subscription, found.topup, found.plan, found.total) == (500, 7, "pro", 507)
    assert found.renews_at is not None
    assert add_months(before, 1) <= found.renews_at <= add_months(utcnow(), 1)
    entries = await ledger(db, workspace_id)
    assert [(e.reason, e.amount, e.balance_after) for e in entries] == [
        ("renewal", 500, 500),
        ("initial_grant", 7, 507),
    ]
    free = await new_workspace(db)
    async with db.session() as session:
        nothing = await CreditsService(session, PLANS).balance(free)
    assert (nothing.total, nothing.renews_at) == (0, None)


async def test_a_due_renewal_is_applied_once_under_concurrency(db: Database) -> None:
    workspace_id = await new_workspace(db, plan="pro", topup=20)
    due = utcnow() - timedelta(days=1)
    await set_workspace(db, workspace_id, subscription_credits=120, plan_renews_at=due)

    async def read_balance() -> tuple[int, int]:
        return await balance(db, workspace_id)

    seen = await asyncio.gather(*(read_balance() for _ in range(20)))
    assert set(seen) == {(500, 20)}
    entries = await ledger(db, workspace_id)
    renewals = [(e.reason, e.amount, e.balance_after) for e in entries[2:]]
    assert renewals == [("expiry", -120, 20), ("renewal", 500, 520)]
    async with db.session() as session:
        found = await CreditsService(session, PLANS).balance(workspace_id)
    assert found.renews_at == next_renewal(due, utcnow()) and found.renews_at > utcnow()


async def test_a_debit_renews_first_and_never_spends_expired_credits(db: Database) -> None:
    workspace_id = await new_workspace(db, plan="pro")
    await set_workspace(db, workspace_id, subscription_credits=3, plan_renews_at=utcnow() - timedelta(minutes=1))
    async with db.unit_of_work(NullDispatcher()) as uow:
        after = await CreditsService(uow, PLANS).debit(workspace_id, 10, LedgerNote("debit"))
    assert (after.subscription, after.topup) == (490, 0)
    assert [e.reason for e in await ledger(db, workspace_id)][-3:] == ["expiry", "renewal", "debit"]


async def test_a_read_session_sees_the_renewal_without_writing_it(db: Database) -> None:
    workspace_id = await new_workspace(db, plan="growth")
    due = utcnow() - timedelta(days=40)
    await set_workspace(db, workspace_id, subscription_credits=0, plan_renews_at=due)
    async with db.session() as session:
        found = await CreditsService(session, PLANS).balance(workspace_id)
    assert (found.subscription, found.renews_at) == (2000, next_renewal(due, utcnow()))
    assert [e.reason for e in await ledger(db, workspace_id)] == ["renewal"]  # only the opening one


async def test_a_workspace_on_a_plan_no_longer_configured_fails_clearly(db: Database) -> None:
    workspace_id = await new_workspace(db, plan="pro")
    await set_workspace(db, workspace_id, plan="legacy", plan_renews_at=utcnow() - timedelta(days=1))
    with pytest.raises(UnknownPlan) as caught:
        await balance(db, workspace_id)
    assert "'legacy'" in caught.value.message and "free, pro, growth" in caught.value.message
    with pytest.raises(InvalidInput) as refused:
        await new_workspace(db, plan="platinum")
    assert refused.value.errors == {"plan": ["Unknown plan 'platinum'. Use one of: free, pro, growth."]}


async def test_balances_and_debits_need_the_plans(db: Database) -> None:
    workspace_id = await new_workspace(db, topup=5)
    async with db.unit_of_work(NullDispatcher()) as uow:
        with pytest.raises(RuntimeError, match="plans"):
            await CreditsService(uow).debit(workspace_id, 1, LedgerNote("debit"))


async def test_the_ledger_pages_newest_first_by_key(db: Database) -> None:
    workspace_id = await new_workspace(db, topup=100)
    for i in range(5):
        await debit_once(db, workspace_id, 1, f"req-{i}")
    async with db.session() as session:
        credits = CreditsService(session)
        first = await credits.entries(workspace_id, PageRequest(limit=4))
        rest = await credits.entries(workspace_id, PageRequest(limit=4, after=first.next_after))
    assert first.total == 6 and first.has_next and not rest.has_next
    assert [e.reference for e in first.items] == ["req-4", "req-3", "req-2", "req-1"]
    assert [e.reference for e in rest.items] == ["req-0", None]
    with pytest.raises(InvalidInput):
        async with db.session() as session:
            await CreditsService(session).entries(workspace_id, PageRequest(after="bogus"))


def test_months_are_added_with_the_day_clamped() -> None:
    assert add_months(datetime(2027, 1, 31, 9, tzinfo=UTC), 1) == datetime(2027, 2, 28, 9, tzinfo=UTC)
    assert add_months(datetime(2028, 1, 31, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2027, 11, 15, tzinfo=UTC), 3) == datetime(2028, 2, 15, tzinfo=UTC)
    due = datetime(2027, 1, 10, tzinfo=UTC)
    assert next_renewal(due, datetime(2027, 1, 11, tzinfo=UTC)) == datetime(2027, 2, 10, tzinfo=UTC)
    assert next_renewal(due, datetime(2027, 4, 10, tzinfo=UTC)) == datetime(2027, 5, 10, tzinfo=UTC)


def test_plans_are_settings_and_bad_tables_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().plans == dict(DEFAULT_PLANS)
    monkeypatch.setenv("SHOPWRIGHT_PLANS", json.dumps({"free": 0, "studio": 900}))
    assert Settings().plans == {"free": 0, "studio": 900}
    for bad in ({}, {"pro": -1}, {"": 5}, {"x" * 21: 5}, {"pro": 1.5}):
        monkeypatch.setenv("SHOPWRIGHT_PLANS", json.dumps(bad))
        with pytest.raises(ValidationError):
            Settings()
    with pytest.raises(ValueError):
        Plans({"pro": True})


async def test_migration_turns_the_old_balance_into_top_up_credits_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url, "0004")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO workspaces (id, name, plan, credit_balance, webhook_secret, created_at) "
            "VALUES ('w1', 'Old', 'pro', 42, 'whsec_x', '2026-01-01 00:00:00')"
        )
    await asyncio.to_thread(upgrade, url, "0005")
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT subscription_credits, topup_credits, plan_renews_at FROM workspaces").fetchone()
        assert row == (0, 42, None)
        with pytest.raises(sqlite3.IntegrityError):  # the pools never go below zero, whoever writes
            db.execute("UPDATE workspaces SET topup_credits = -1")
    await asyncio.to_thread(downgrade, url, "0004")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT credit_balance FROM workspaces").fetchone() == (42,)


async def test_every_balance_change_is_announced_with_the_balances_before_and_after(db: Database) -> None:
    workspace_id, key = await new_workspace_and_key(db, plan="pro", topup=10)
    async with db.unit_of_work(NullDispatcher()) as uow:
        principal = await accounts(uow.session).authenticate(key)
        command = WebhookCommand(
            url="https://hooks.example.com/credits", events=["credits.changed", "credits.low"], creditsLowThreshold=100
        )
        await WebhookService(uow).create(principal, command)
    async with db.unit_of_work(NullDispatcher()) as uow:
        credits = CreditsService(uow, PLANS)
        await credits.debit(workspace_id, 450, LedgerNote("debit", reference="job-1"))
        await credits.refund(workspace_id, 450, LedgerNote("refund", reference="job-1"))
        await credits.grant_topup(workspace_id, 5, LedgerNote("grant"))
    await set_workspace(db, workspace_id, plan_renews_at=utcnow() - timedelta(seconds=1))
    await balance(db, workspace_id)  # the renewal: 500 subscription credits again (none expired unused)
    async with db.session() as session:
        stmt = select(CallbackDelivery).where(CallbackDelivery.workspace_id == workspace_id)
        sent = [d.payload for d in (await session.execute(stmt.order_by(CallbackDelivery.event_seq))).scalars()]
    moves = [(p["type"], p["data"]["reason"], p["data"]["balance_before"], p["data"]["balance"]) for p in sent]
    assert moves == [
        ("credits.changed", "debit", 510, 60),
        ("credits.low", "debit", 510, 60),
        ("credits.changed", "refund", 60, 510),
        ("credits.changed", "grant", 510, 515),
    ]
    assert sent[1]["data"]["threshold"] == 100
    assert {k: sent[0]["data"][k] for k in ("subscription_credits", "topup_credits", "reference")} == {
        "subscription_credits": 50,
        "topup_credits": 10,
        "reference": "job-1",
    }
