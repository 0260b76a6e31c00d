"""The client's job list (``GET /brandbrain/jobs``): every content-service job of the workspace (each kind whose
name starts with ``content.``), newest first, paged by key.

A page token names the last job of the previous page by its key, ``(created_at, id)``, and the workspace it
was issued to, signed (a JWT of its own audience, through ``TokenService``): a forged or altered token, one of
another workspace, or one that has expired is refused (``InvalidPageToken``, 400) and never read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.accounts.principal import Principal
from domain.accounts.tokens import TokenService
from domain.content.configs import READ
from domain.errors import FieldError, InvalidInput
from domain.jobs.models import Job
from domain.jobs.repository import JobsRepository
from domain.paging import MAX_PAGE_SIZE, Page

CONTENT_PREFIX = "content."
PAGE_SIZE = 50
PAGE_TOKEN = "content-job-list"  # the token's purpose: its own key and audience
PAGE_TOKEN_TTL_SECONDS = 7 * 24 * 3600


class InvalidPageToken(InvalidInput, status=400, code="bad_request"):
    """A page token this list did not hand out to this workspace (or one that has expired)."""

    def __init__(self, field: str = "page_token") -> None:
        message = "Invalid page token: use the next_page_token of a previous page, as it was given."
        super().__init__(errors=[FieldError((field,), "page_token", message)])


class ContentJobList:
    def __init__(self, session: Any, tokens: TokenService) -> None:
        self.repo = JobsRepository(session)
        self.tokens = tokens

    def token_for(self, job: Job) -> str:
        claims = {"ws": job.workspace_id, "at": job.created_at.isoformat(), "job": job.id}
        return self.tokens.sign_claims(PAGE_TOKEN, claims, PAGE_TOKEN_TTL_SECONDS)

    def position(self, principal: Principal, token: str, field: str = "page_token") -> tuple[datetime, str]:
        """The key a page token names; ``InvalidPageToken`` unless this list issued it to this workspace."""
        claims = self.tokens.verify_claims(PAGE_TOKEN, token)
        if claims is None or claims.get("ws") != principal.workspace_id:
            raise InvalidPageToken(field)
        try:
            created = datetime.fromisoformat(str(claims["at"]))
            job_id = str(uuid.UUID(str(claims["job"])))
        except (KeyError, ValueError):
            raise InvalidPageToken(field) from None
        if created.tzinfo is None:
            raise InvalidPageToken(field)
        return created, job_id

    async def page(
        self,
        principal: Principal,
        page_token: str | None,
        *,
        limit: int = PAGE_SIZE,
        kinds: Sequence[str] | None = None,
        count: bool = False,
        field: str = "page_token",
    ) -> Page[Job]:
        """``limit`` content jobs after the one ``page_token`` names (none: from the newest), each with its
        token (``Page.cursors``; the last one is the next page's when ``Page.has_next``). ``kinds`` narrows
        the list to some content kinds; ``count`` fills ``Page.total`` (otherwise 0)."""
        principal.require(READ)
        limit = max(1, min(limit, MAX_PAGE_SIZE))
        after = self.position(principal, page_token, field) if page_token else None
        rows = await self.repo.newest_first(
            principal.workspace_id, kind_prefix=CONTENT_PREFIX, kinds=kinds, limit=limit + 1, after=after
        )
        jobs = rows[:limit]
        total = (
            await self.repo.count_prefixed(principal.workspace_id, kind_prefix=CONTENT_PREFIX, kinds=kinds)
            if count
            else 0
        )
        return Page(jobs, total, limit=limit, cursors=[self.token_for(j) for j in jobs], more=len(rows) > limit)
