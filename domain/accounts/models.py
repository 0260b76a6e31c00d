from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, UUIDStr, new_uuid, utcnow


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (CheckConstraint("subscription_credits >= 0 AND topup_credits >= 0", name="credits_not_negative"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(255))
    plan: Mapped[str] = mapped_column(String(20), default="free")
    # Credits (domain.accounts.credits): the plan's monthly credits, reset at ``plan_renews_at`` (unused ones
    # expire), and bought top-up credits, which last. Debits spend subscription credits first.
    subscription_credits: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    topup_credits: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The subscription credits before the latest change of them: RETURNING gives only the new row (no
    # RETURNING OLD on PostgreSQL < 18 or SQLite), and the ledger records how much each pool moved.
    previous_subscription_credits: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    plan_renews_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Signs job callbacks (Standard Webhooks: "whsec_" + base64). After a rotation the previous secret keeps
    # signing too until ``webhook_secret_previous_until``, so receivers can switch without refusing deliveries.
    webhook_secret: Mapped[str] = mapped_column(String(128))
    webhook_secret_previous: Mapped[str | None] = mapped_column(String(128), nullable=True)
    webhook_secret_previous_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    last_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The store's newsletter consent of this member (store API users; migration 0301).
    newsletter: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    prefix: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSONType)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Requests a minute this key may make in each rate-limited route group, instead of the group's limit
    # (a trusted integration's own allowance); 0: unlimited; None: the groups' limits.
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CreditEntry(Base):
    """The credit ledger: grants are positive, deductions negative, refunds explicit positive entries."""

    __tablename__ = "credit_entries"
    # A refund finds the debit it gives back by its reference (a job id).
    __table_args__ = (Index("ix_credit_entries_workspace_reference", "workspace_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str | None] = mapped_column(String(255), nullable=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
