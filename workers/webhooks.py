"""Callback delivery: signed POSTs, retried with backoff, every attempt recorded."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import httpx

from domain.accounts.repository import AccountsRepository
from domain.base import json_default, utcnow
from domain.db import Database
from domain.jobs.callbacks import SIGNATURE_HEADER, is_private_address, sign
from domain.jobs.models import CallbackAttempt
from domain.jobs.repository import JobsRepository
from workers.runtime import CallbackPolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AttemptOutcome:
    ok: bool
    status_code: int | None
    error: str | None
    permanent: bool = False


class CallbackSender:
    def __init__(self, db: Database, policy: CallbackPolicy, *, user_agent: str = "Shopwright-Callbacks/1") -> None:
        self.db = db
        self.policy = policy
        self.user_agent = user_agent

    async def deliver(self, delivery_id: int) -> str:
        """Deliver one callback, retrying with exponential backoff. Returns the final status."""
        async with self.db.session() as session:
            delivery = await JobsRepository(session).get_delivery(delivery_id)
            if delivery is None or delivery.status != "pending":
                return delivery.status if delivery else "missing"
            workspace = await AccountsRepository(session).get_workspace(delivery.workspace_id)
            if workspace is None:
                return "missing"
            secret, url, payload, done = workspace.webhook_secret, delivery.url, delivery.payload, delivery.attempts
        body = json.dumps(payload, default=json_default, separators=(",", ":"), sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            SIGNATURE_HEADER: sign(secret, body),
            "X-Shopwright-Delivery": str(delivery_id),
            "X-Shopwright-Event": str(payload.get("event", "")),
        }
        attempt = done
        while attempt < self.policy.max_attempts:
            attempt += 1
            started = time.monotonic()
            outcome = await self._attempt(url, body, headers)
            elapsed_ms = int((time.monotonic() - started) * 1000)
            final = outcome.ok or outcome.permanent or attempt >= self.policy.max_attempts
            delay = self.policy.backoff_seconds * (2 ** (attempt - 1))
            status = "delivered" if outcome.ok else ("failed" if final else "pending")
            await self._record(delivery_id, attempt, outcome, elapsed_ms, status, None if final else delay)
            if final:
                return status
            await asyncio.sleep(delay)
        return "failed"

    async def _record(
        self,
        delivery_id: int,
        attempt: int,
        outcome: AttemptOutcome,
        elapsed_ms: int,
        status: str,
        retry_in: float | None,
    ) -> None:
        async with self.db.write_session() as session:
            repo = JobsRepository(session)
            delivery = await repo.get_delivery(delivery_id)
            if delivery is None:
                return
            repo.add(
                CallbackAttempt(
                    delivery_id=delivery_id,
                    attempt=attempt,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=elapsed_ms,
                    created_at=utcnow(),
                )
            )
            delivery.attempts = attempt
            delivery.status = status
            delivery.updated_at = utcnow()
            delivery.next_attempt_at = utcnow() + timedelta(seconds=retry_in) if retry_in is not None else None

    async def _attempt(self, url: str, body: bytes, headers: dict[str, str]) -> AttemptOutcome:
        refusal = await self._check_target(url)
        if refusal:
            return AttemptOutcome(False, None, refusal, permanent=True)
        try:
            async with httpx.AsyncClient(timeout=self.policy.timeout_seconds, follow_redirects=False) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return AttemptOutcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
        if 200 <= response.status_code < 300:
            return AttemptOutcome(True, response.status_code, None)
        return AttemptOutcome(False, response.status_code, f"HTTP {response.status_code}")

    async def _check_target(self, url: str) -> str | None:
        if self.policy.allow_private:
            return None
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            return f"Cannot resolve {host}: {exc}"
        for info in infos:
            address = str(info[4][0])
            if is_private_address(address):
                return (
                    f"Refused: {host} resolves to the private or loopback address {address} "
                    "(set SHOPWRIGHT_CALLBACK_ALLOW_PRIVATE=true to allow it)."
                )
        return None
