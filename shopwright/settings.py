"""Settings from the environment (prefix ``SHOPWRIGHT_``, plus the SDK's own ``OPENAI_*``)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.accounts.plans import DEFAULT_PLANS, Plans
from domain.store.ai_billing import DEFAULT_CHIPS_PER_CREDIT, MAX_CHIPS_PER_CREDIT


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
    # Image models (listing images): the "openai" entry uses OPENAI_API_KEY/OPENAI_BASE_URL with this model; the
    # "gemini" entry is Gemini's OpenAI-compatible endpoint. An entry is configured when its model (and key) is set.
    image_model: str | None = None
    gemini_api_key: str | None = None
    gemini_base_url: str = "https://generativelanguage.googleapis.com/v1beta/openai/"
    gemini_image_model: str | None = None
    image_concurrency: int = Field(default=4, ge=1, le=256)  # image calls in flight per process (and entry)
    image_timeout_seconds: float = Field(default=180.0, gt=0)  # per HTTP attempt: images take tens of seconds

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

    # Media (docs/media.md): where files are kept, how long signed links live, and importing images by URL.
    media_backend: Literal["local", "s3"] = "local"
    media_dir: Path | None = None  # local backend; default <data dir>/media
    media_s3_bucket: str | None = None
    media_s3_endpoint_url: str | None = None  # an S3-compatible server (MinIO, R2 ...); unset: AWS for the region
    media_s3_region: str = "us-east-1"
    media_s3_access_key_id: str | None = None  # unset: the AWS_* environment / instance credentials
    media_s3_secret_access_key: str | None = None
    media_s3_prefix: str = ""  # keys live under this prefix in the bucket
    media_url_ttl_seconds: int = Field(default=3600, ge=1, le=7 * 24 * 3600)
    image_fetch_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024)
    image_fetch_timeout_seconds: float = Field(default=15.0, gt=0, le=300)  # the whole download, redirects included
    image_fetch_allow_private: bool | None = None  # unset: SHOPWRIGHT_CALLBACK_ALLOW_PRIVATE
    # Stock photos for store images (docs/store-ai-content.md): the APIs' addresses, and keys used by a store
    # that has none of its own in its settings (store_pexels_api_key ...).
    pexels_base_url: str = "https://api.pexels.com"
    unsplash_base_url: str = "https://api.unsplash.com"
    pixabay_base_url: str = "https://pixabay.com"
    pexels_api_key: str | None = None
    unsplash_api_key: str | None = None
    pixabay_api_key: str | None = None
    stock_timeout_seconds: float = Field(default=15.0, gt=0, le=120)

    # Merchant catalogs (docs/merchants.md): API base URLs (a proxy; the tests' fake merchant server), the
    # directory file feeds are read from (unset: file feeds are off), the address guard for feed URLs.
    merchant_paapi_base_url: str | None = None
    merchant_ebay_base_url: str | None = None
    merchant_feed_dir: Path | None = None
    merchant_feed_allow_private: bool | None = None  # unset: SHOPWRIGHT_CALLBACK_ALLOW_PRIVATE
    merchant_timeout_seconds: float = Field(default=15.0, gt=0, le=120)

    # Email (docs/mail.md): configured when host and sender are set.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_tls: Literal["starttls", "tls", "none"] = "starttls"  # tls: implicit TLS (port 465)
    smtp_from: str | None = None  # the sender, e.g. "Shopwright <noreply@example.com>"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=600)  # connecting and each command
    smtp_retry_backoff_seconds: float = Field(default=10.0, ge=0, le=120)  # wait before a retry; doubles
    smtp_ca_file: Path | None = None  # a private CA's certificates (PEM); unset: the system's trust store

    # HTTP
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # `serve`: the garbage collector's youngest-generation threshold (Python's own default is 700).
    gc_threshold: int = Field(default=20_000, ge=100, le=1_000_000)
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
    # Failed authentications (credentials that do not authenticate) a minute per client address; past it every
    # request of the address that presents credentials answers 429 until the minute ends. 0: no limit.
    auth_failures_per_minute: int = Field(default=20, ge=0, le=1_000_000)
    # Comma-separated CIDRs of proxies whose X-Forwarded-For names the client for that limit; unset: the same
    # as SHOPWRIGHT_ANALYTICS_TRUSTED_PROXIES (empty: the connection's address is the client's).
    auth_trusted_proxies: str | None = None

    # Credits: plan name -> subscription credits granted each month (JSON, e.g. {"free": 0, "pro": 500}).
    plans: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_PLANS))

    @field_validator("plans")
    @classmethod
    def _plans_work(cls, value: dict[str, int]) -> dict[str, int]:
        Plans(value)
        return value

    # The store document prices AI features in "AI Chips"; this many chips cost one credit (ai_billing.py).
    chips_per_credit: int = Field(default=DEFAULT_CHIPS_PER_CREDIT, ge=1, le=MAX_CHIPS_PER_CREDIT)

    # Operations
    log_format: Literal["auto", "json", "text"] = "auto"  # auto: JSON unless stderr is a terminal
    log_level: str = "INFO"
    metrics_enabled: bool = True
    metrics_token: str | None = None  # when set, /metrics wants "Authorization: Bearer <token>"

    # Analytics tracking (docs/analytics-tracking.md): where a visitor is, how much of the address is kept,
    # which proxies may say who the client is, affiliate commission rates, and the ingestion batches.
    analytics_country_header: str | None = None  # e.g. CF-IPCountry, set by a trusted proxy
    analytics_region_header: str | None = None  # e.g. CF-Region-Code (ISO 3166-2 subdivision)
    analytics_city_header: str | None = None  # e.g. CF-IPCity
    analytics_geoip_db: Path | None = None  # a MaxMind GeoLite2/GeoIP2 City or Country .mmdb
    analytics_ip_mask_bytes: int = Field(default=1, ge=0, le=4)  # IPv4 bytes zeroed (IPv6: /48 for 1)
    analytics_trusted_proxies: str = ""  # comma-separated CIDRs whose X-Forwarded-For is believed
    analytics_commission_rates: dict[str, float] = Field(default_factory=dict)  # merchant -> rate; "*": others
    analytics_batch_size: int = Field(default=500, ge=1, le=10_000)
    analytics_flush_seconds: float = Field(default=1.0, gt=0, le=60)
    analytics_max_pending: int = Field(default=100_000, ge=1)  # in-process queue: more waiting hits are refused
    analytics_claim_idle_seconds: float = Field(default=60.0, ge=0)  # Redis: re-claim a dead consumer's batch
    analytics_max_bulk_requests: int = Field(default=500, ge=1, le=100_000)
    analytics_stream: str = "shopwright:analytics:hits"  # the Redis stream accepted hits wait in

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

    def resolved_media_dir(self) -> Path:
        return (self.media_dir or self.data_dir / "media").resolve()

    def resolved_image_fetch_allow_private(self) -> bool:
        allowed = self.image_fetch_allow_private
        return self.callback_allow_private if allowed is None else allowed

    def plugin_modules(self) -> list[str]:
        return [m.strip() for m in self.job_plugins.split(",") if m.strip()]
