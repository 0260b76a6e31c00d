"""Callback delivery: signed POSTs, one line's in event order, retried with backoff, every attempt recorded.

A line is a job's callbacks (its ``callback_url``) or a workspace webhook subscription's events
(``domain.jobs.webhooks``); both go through this sender alike.

Order: a delivery is attempted only while it holds a lease that ``JobsRepository.claim_delivery`` grants
when every earlier delivery of its line is delivered or failed, so a later event waits for an earlier one
whichever process (in-process runner, RQ worker) picked either up. The sender that finishes a delivery goes
on to its line's next one. A sender that dies leaves a lease that runs out; recovery then hands the
delivery to another sender.

Address: the host is resolved once per attempt, every address is checked against private and loopback
ranges, and the request goes to that address (the URL's host in ``Host`` and, for https, in TLS SNI and
certificate verification), so DNS cannot answer differently between the check and the connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from domain.accounts.repository import AccountsRepository
from domain.accounts.service import webhook_signing_secrets
from domain.base import json_default, utcnow
from domain.db import Database
from domain.jobs.callbacks import signature_headers
from domain.jobs.models import DELIVERED, DELIVERY_FAILED, DELIVERY_PENDING, CallbackAttempt
from domain.jobs.repository import JobsRepository
from workers.outbound import OutboundRefused, Resolver, checked_destination, resolve, send_to_checked
from workers.runtime import CallbackPolicy

log = logging.getLogger(__name__)

LEASE_MARGIN_SECONDS = 30.0  # how long past an attempt's timeout a lease outlives a sender that went quiet


@dataclass(frozen=True)
class AttemptOutcome:
    ok: bool
    status_code: int | None
    error: str | None
    permanent: bool = False


@dataclass(frozen=True)
class Claimed:
    """A delivery this sender holds the lease of."""

    id: int
    job_id: str | None
    subscription_id: str | None
    workspace_id: str
    url: str
    body: bytes
    event: str
    attempts: int
    next_attempt_at: datetime | None


class CallbackSender:
    def __init__(
        self,
        db: Database,
        policy: CallbackPolicy,
        *,
        user_agent: str = "Shopwright-Callbacks/1",
        resolver: Resolver = resolve,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.db = db
        self.policy = policy
        self.user_agent = user_agent
        self.resolver = resolver
        self.verify = verify

    async def deliver(self, delivery_id: int) -> str:
        """Deliver this callback (when it is its line's next), then the line's later ones that waited for it.

        Returns the status this delivery is left in: ``delivered``, ``failed``, ``pending`` (an earlier one
        of its job goes first, or another sender holds it: that sender delivers it) or ``missing``."""
        token = str(uuid.uuid4())
        current = await self._claim(delivery_id, token)
        while current is not None and await self._send(current, token):
            current = await self._claim_next(current, token)
        return await self._status(delivery_id)

    # --- leases -----------------------------------------------------------------------------------

    async def _claim(self, delivery_id: int, token: str) -> Claimed | None:
        now = utcnow()
        until = now + timedelta(seconds=self.policy.timeout_seconds + LEASE_MARGIN_SECONDS)
        async with self.db.write_session() as session:
            repo = JobsRepository(session)
            if not await repo.claim_delivery(delivery_id, token, now=now, until=until):
                return None
            delivery = await repo.leased_delivery(delivery_id, token)
            if delivery is None:
                return None
            body = json.dumps(delivery.payload, default=json_default, separators=(",", ":"), sort_keys=True)
            return Claimed(
                id=delivery.id,
                job_id=delivery.job_id,
                subscription_id=delivery.subscription_id,
                workspace_id=delivery.workspace_id,
                url=delivery.url,
                body=body.encode(),
                # Job callbacks name it "event"; workspace webhooks (Standard Webhooks payloads) "type".
                event=str(delivery.payload.get("event") or delivery.payload.get("type") or ""),
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
            )

    async def _claim_next(self, done: Claimed, token: str) -> Claimed | None:
        async with self.db.session() as session:
            following = await JobsRepository(session).next_pending_delivery(done.job_id, done.subscription_id)
        return await self._claim(following, token) if following is not None else None

    async def _status(self, delivery_id: int) -> str:
        async with self.db.session() as session:
            delivery = await JobsRepository(session).get_delivery(delivery_id)
        return delivery.status if delivery is not None else "missing"

    # --- attempts ---------------------------------------------------------------------------------

    async def _send(self, claimed: Claimed, token: str) -> bool:
        """Attempt until delivered or given up (True), or until the lease is lost (False: its new holder
        goes on with the job's line)."""
        if claimed.next_attempt_at is not None:  # picked up again after a sender died while backing off
            await asyncio.sleep(max(0.0, (claimed.next_attempt_at - utcnow()).total_seconds()))
        attempt = claimed.attempts
        while True:
            attempt += 1
            secrets = await self._secrets(claimed.workspace_id)
            if secrets is None:  # the workspace is gone, and its jobs and deliveries with it
                return False
            started = time.monotonic()
            outcome = await self._attempt(claimed, secrets)
            elapsed_ms = int((time.monotonic() - started) * 1000)
            final = outcome.ok or outcome.permanent or attempt >= self.policy.max_attempts
            delay = self.policy.backoff_seconds * (2 ** (attempt - 1))
            status = DELIVERED if outcome.ok else (DELIVERY_FAILED if final else DELIVERY_PENDING)
            if not await self._record(
                claimed.id, token, attempt, outcome, elapsed_ms, status, None if final else delay
            ):
                log.warning("callback delivery %s: its lease passed to another sender", claimed.id)
                return False
            if final:
                return True
            await asyncio.sleep(delay)

    async def _secrets(self, workspace_id: str) -> list[str] | None:
        async with self.db.session() as session:
            workspace = await AccountsRepository(session).get_workspace(workspace_id)
        return webhook_signing_secrets(workspace, utcnow()) if workspace is not None else None

    async def _record(
        self,
        delivery_id: int,
        token: str,
        attempt: int,
        outcome: AttemptOutcome,
        elapsed_ms: int,
        status: str,
        retry_in: float | None,
    ) -> bool:
        """Record the attempt; False when the lease was lost (nothing is recorded then)."""
        async with self.db.write_session() as session:
            repo = JobsRepository(session)
            delivery = await repo.leased_delivery(delivery_id, token)
            if delivery is None:
                return False
            now = utcnow()
            repo.add(
                CallbackAttempt(
                    delivery_id=delivery_id,
                    attempt=attempt,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=elapsed_ms,
                    created_at=now,
                )
            )
            delivery.attempts = attempt
            delivery.status = status
            delivery.updated_at = now
            if retry_in is None:
                delivery.next_attempt_at = delivery.claimed_until = None
                delivery.claimed_by = None
            else:  # the lease covers the wait and the next attempt
                delivery.next_attempt_at = now + timedelta(seconds=retry_in)
                lease = retry_in + self.policy.timeout_seconds + LEASE_MARGIN_SECONDS
                delivery.claimed_until = now + timedelta(seconds=lease)
            return True

    async def _attempt(self, claimed: Claimed, secrets: list[str]) -> AttemptOutcome:
        try:
            destination = await checked_destination(
                httpx.URL(claimed.url),
                self.resolver,
                allow_private=self.policy.allow_private,
                setting="SHOPWRIGHT_CALLBACK_ALLOW_PRIVATE",
            )
        except OutboundRefused as refused:
            return AttemptOutcome(False, None, refused.message, permanent=refused.permanent)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            **signature_headers(secrets, str(claimed.id), utcnow(), claimed.body, legacy_secret=secrets[0]),
            "X-Shopwright-Delivery": str(claimed.id),
            "X-Shopwright-Event": claimed.event,
        }
        # trust_env=False: a proxy from the environment would resolve the name again, past the check.
        async with httpx.AsyncClient(
            timeout=self.policy.timeout_seconds, follow_redirects=False, trust_env=False, verify=self.verify
        ) as client:
            try:
                response = await send_to_checked(client, "POST", destination, headers=headers, content=claimed.body)
            except httpx.HTTPError as exc:
                return AttemptOutcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
        if 200 <= response.status_code < 300:
            return AttemptOutcome(True, response.status_code, None)
        return AttemptOutcome(False, response.status_code, f"HTTP {response.status_code}")
