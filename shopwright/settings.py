"""Settings from the environment (prefix ``SHOPWRIGHT_``, plus the SDK's own ``OPENAI_*``)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPWRIGHT_", extra="ignore")

    data_dir: Path = Path("./.shopwright")
    database_url: str | None = None
    redis_url: str | None = None
    db_pool_size: int = Field(default=5, ge=1, le=1000)  # connections each engine keeps per process
    db_max_overflow: int = Field(default=10, ge=0, le=1000)  # extra connections under load, closed after
    secret_key: str | None = None
    # Secrets that signed tokens before the current one (comma-separated): still accepted, never used to sign.
    previous_secret_keys: str = ""
    public_url: str | None = None

    ai_provider: Literal["auto", "openai", "offline"] = "auto"
    llm_model: str | None = None
    openai_api_key: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    llm_concurrency: int = Field(default=8, ge=1, le=1024)  # provider calls in flight per process
    # Provider calls in flight across every process sharing SHOPWRIGHT_REDIS_URL (unset: the per-process cap, so
    # N workers together send no more than one would; 0: no shared cap). Without Redis, only the per-process cap.
    llm_global_concurrency: int | None = Field(default=None, ge=0, le=4096)
    llm_timeout_seconds: float = Field(default=60.0, gt=0)  # per HTTP attempt
    llm_max_retries: int = Field(default=4, ge=0, le=20)  # retries after the first attempt (429/5xx/timeouts)
    llm_backoff_seconds: float = Field(default=0.5, ge=0)  # first backoff; doubles per retry, with jitter

    # Jobs
    job_concurrency: int = Field(default=4, ge=1, le=256)
    job_max_attempts: int = Field(default=3, ge=1, le=20)
    job_heartbeat_seconds: float = Field(default=5.0, gt=0)
    job_stale_seconds: float = Field(default=60.0, gt=0)
    job_plugins: str = ""  # comma-separated modules with a ``register(registry)`` function
    rq_queue: str = "shopwright"

    # Callbacks
    callback_allow_private: bool = False
    callback_max_attempts: int = Field(default=5, ge=1, le=20)
    callback_backoff_seconds: float = Field(default=2.0, ge=0)
    callback_timeout_seconds: float = Field(default=10.0, gt=0)

    # HTTP
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    access_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    graphql_introspection: bool = True
    graphql_max_depth: int = Field(default=12, ge=2)
    # GraphQL cost (Shopify's measure: objects 1, scalars 0, connections 2 + `first` items, mutations 10): the most
    # one document may cost, and each workspace's leaky bucket (size, points restored a second).
    graphql_max_cost: int = Field(default=1000, ge=1)
    graphql_cost_bucket_size: int = Field(default=1000, ge=1)
    graphql_cost_restore_rate: float = Field(default=50.0, gt=0)
    graphql_operation_timeout_seconds: float = Field(default=30.0, gt=0)  # wall clock of one query or mutation
    # How often open WebSockets' credentials are checked again: one whose access ended is closed (4403).
    ws_access_check_seconds: float = Field(default=2.0, gt=0, le=300)
    auto_migrate: bool = True
    # Requests a minute per "<surface>.<group>" (e.g. {"store.all": 600}); 0 lifts a limit. Unlisted groups
    # keep the limit their surface documents.
    rate_limits: dict[str, int] = Field(default_factory=dict)

    # Operations
    log_format: Literal["auto", "json", "text"] = "auto"  # auto: JSON unless stderr is a terminal
    log_level: str = "INFO"
    metrics_enabled: bool = True
    metrics_token: str | None = None  # when set, /metrics wants "Authorization: Bearer <token>"

    def resolved_llm_global_concurrency(self) -> int:
        return self.llm_concurrency if self.llm_global_concurrency is None else self.llm_global_concurrency

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'shopwright.db'}"

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated into the data directory on first use."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        self.secret_key = path.read_text().strip()
        return self.secret_key

    def secret_keys(self) -> list[str]:
        """The signing secret first, then the previous ones that still verify."""
        previous = [k.strip() for k in self.previous_secret_keys.split(",") if k.strip()]
        return [self.resolved_secret_key(), *previous]

    def plugin_modules(self) -> list[str]:
        return [m.strip() for m in self.job_plugins.split(",") if m.strip()]
