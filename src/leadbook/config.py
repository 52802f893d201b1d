"""Settings read from the environment (prefix ``LEADBOOK_``), typed and checked at start-up.

Every field is one variable, documented by its description (docs/operations.md's table is
generated from this class: ``leadbook settings --markdown``). A bad value is refused with the
variable's name and the reason (``SettingsError``), before anything is served.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Annotated, Any, Literal

import limits
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PREFIX = "LEADBOOK_"
MINUTE, HOUR, DAY = 60, 3600, 86400


def _database_url(value: str) -> str:
    try:
        backend = make_url(value).get_backend_name()
    except ArgumentError:
        raise ValueError("not a database URL (sqlite:///FILE or postgresql+psycopg://…)") from None
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"the database must be SQLite or PostgreSQL, not {backend}")
    return value


def _redis_url(value: str) -> str:
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("must be empty or a redis://, rediss:// or unix:// URL")
    return value


def _rate(value: str) -> str:
    try:
        limits.parse(value)
    except ValueError:
        raise ValueError('not a rate such as "10 per 5 minutes"') from None
    return value


def _addresses(value: str) -> str:
    for item in filter(None, (part.strip() for part in value.split(","))):
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address, network or *") from None
    return value


def _phone_region(value: str) -> str:
    import phonenumbers

    value = value.strip().upper()
    if value and value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"{value!r} is not a region phonenumbers knows (ISO 3166, e.g. CY)")
    return value


def _accepts(text: str) -> Any:
    """What a variable of a checked type accepts, for the documentation table."""
    return Field(json_schema_extra={"accepts": text})


DatabaseUrl = Annotated[
    str, AfterValidator(_database_url), _accepts("sqlite:// or postgresql:// URL")
]
RedisUrl = Annotated[str, AfterValidator(_redis_url), _accepts("empty, or a redis:// URL")]
Rate = Annotated[str, AfterValidator(_rate), _accepts("N per M seconds/minutes/hours")]
Addresses = Annotated[str, AfterValidator(_addresses), _accepts("IP addresses/networks, or *")]
PhoneRegion = Annotated[
    str, AfterValidator(_phone_region), _accepts("empty, or a region code such as CY")
]


class Settings(BaseSettings):
    """Runtime configuration; every field has a working default for a laptop."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    database_url: DatabaseUrl = Field(
        "sqlite:///leadbook.db", description="SQLAlchemy URL of the database"
    )
    organisation: str = Field(
        "LEADBOOK", min_length=1, description="Organisation a CRM.COM login must name"
    )
    token_ttl_seconds: int = Field(
        2 * HOUR, ge=MINUTE, le=365 * DAY, description="Lifetime of a token issued at login"
    )
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, le=1024**3, description="Largest request body (413 beyond)"
    )
    rate_limit_per_minute: int = Field(
        0, ge=0, description="Requests per client in a fixed minute (0: no limit)"
    )
    login_failures_per_user: Rate = Field(
        "10 per 5 minutes", description="Failed logins allowed per user name (limits syntax)"
    )
    login_failures_per_address: Rate = Field(
        "100 per 5 minutes", description="Failed logins allowed per network address"
    )
    redis_url: RedisUrl = Field(
        "", description="Redis of the shared rate-limit counters (empty: the database)"
    )
    redis_prefix: str = Field(
        "leadbook",
        pattern=r"^[A-Za-z0-9_.:-]{1,64}$",
        description="Prefix of this deployment's Redis keys",
    )
    trusted_proxies: Addresses = Field(
        "",
        description="Comma-separated proxies whose X-Forwarded-For is believed (empty: none)",
    )
    password_hash_concurrency: int = Field(
        2, ge=1, le=64, description="argon2 hashes computed at once per process (64 MiB each)"
    )
    password_cache_seconds: int = Field(
        60, ge=0, le=HOUR, description="How long a successful password check is remembered"
    )
    xml_lead_type: str = Field(
        "", description="Lead type (name or alternative code) of leads the XML API creates"
    )
    password_hash_cost: Literal["production", "cheapest"] = Field(
        "production", description="argon2 parameters of new hashes (cheapest: test suites only)"
    )
    currency: str = Field(
        "EUR",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of the currency the web pages show amounts in",
    )
    xml_business_file_id: str = Field(
        "123456",
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="The business file id the XML API answers under (/{id}/leads.xml)",
    )
    busy_timeout_seconds: float = Field(
        5,
        gt=0,
        le=600,
        description="Wait for SQLite's write lock or a pooled connection before a 503",
    )
    db_pool_size: int = Field(
        10, ge=1, le=1000, description="PostgreSQL connections per server process"
    )
    db_max_connections: int = Field(
        40,
        ge=1,
        le=10000,
        description="PostgreSQL connections one serve may hold in all: each worker's pool is"
        " the smaller of the pool size and this divided by the workers",
    )
    keep_alive_seconds: int = Field(
        5, ge=1, le=HOUR, description="How long an idle keep-alive connection stays open"
    )
    max_header_bytes: int = Field(
        16 * 1024, ge=1024, le=1024 * 1024, description="Largest request head (431 beyond)"
    )
    worker_healthcheck_seconds: int = Field(
        30, ge=1, le=HOUR, description="Time a worker may take to answer the supervisor"
    )
    graceful_shutdown_seconds: int = Field(
        10, ge=0, le=HOUR, description="Time given to open requests when the server stops"
    )
    root_path: str = Field(
        "",
        pattern=r"^(/[A-Za-z0-9._~-]+)*$",
        description="Path prefix a proxy serves Leadbook under (e.g. /leadbook)",
    )
    log_level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], BeforeValidator(str.upper)
    ] = Field("INFO", description="Least severe level logged")
    metrics_allowed_from: Addresses = Field(
        "", description="Networks allowed to read /metrics (empty: any; others get 403)"
    )
    log_format: Literal["json", "console"] = Field(
        "json", description="One JSON object per log line, or a readable console line"
    )
    on_duplicate: Literal["attach", "refuse", "flag"] = Field(
        "attach",
        description="A new contact with a stored contact's email or phone: attach the stored"
        " one, refuse the write, or flag (create it, listed as a duplicate candidate)",
    )
    email_plus_tags: Literal["keep", "strip"] = Field(
        "keep", description="strip: name+tag@host is name@host when looking for duplicates"
    )
    phone_region: PhoneRegion = Field(
        "", description="Region (ISO 3166 code, e.g. CY) of phones written without +code"
    )
    intake_per_form: Rate = Field(
        "60 per minute", description="Web-form submissions (POST /intake/{key}) per form"
    )
    intake_per_address: Rate = Field(
        "10 per minute", description="Web-form submissions per client address"
    )
    intake_max_body_bytes: int = Field(
        16 * 1024, ge=1024, le=1024 * 1024, description="Largest web-form submission (413 beyond)"
    )
    smtp_listen_host: str = Field(
        "127.0.0.1", min_length=1, description="Address leadbook smtp listens on"
    )
    smtp_listen_port: int = Field(
        8025, ge=1, le=65535, description="Port leadbook smtp listens on"
    )
    smtp_max_message_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        le=100 * 1024 * 1024,
        description="Largest message leadbook smtp accepts (552 beyond)",
    )
    smtp_description_chars: int = Field(
        20000,
        ge=100,
        le=1_000_000,
        description="Characters of a mail's text kept as the lead's description",
    )
    idempotency_hours: int = Field(
        24, ge=1, le=30 * 24, description="Hours an Idempotency-Key's first answer is kept"
    )
    merge_undo_seconds: int = Field(
        24 * 3600,
        ge=0,
        le=30 * 24 * 3600,
        description="Seconds a lead merge can be undone (0: never)",
    )

    # webhooks and the worker (docs/events.md)
    webhook_timeout_seconds: float = Field(
        10, gt=0, le=600, description="How long a receiver's answer is waited for"
    )
    webhook_max_response_bytes: int = Field(
        64 * 1024, ge=0, le=1024 * 1024, description="Bytes of a receiver's answer read"
    )
    webhook_retry_first_seconds: float = Field(
        10, gt=0, le=DAY, description="Wait before the first retry (doubled each time after)"
    )
    webhook_retry_max_seconds: float = Field(
        HOUR, gt=0, le=7 * DAY, description="Longest wait between retries (half of it jitter)"
    )
    webhook_retry_window_seconds: float = Field(
        DAY, gt=0, le=30 * DAY, description="Retries stop this long after a delivery's first try"
    )
    webhook_lease_seconds: float = Field(
        300,
        gt=0,
        le=DAY,
        description="How long a worker holds a claimed delivery (retried after a killed worker's)",
    )
    webhook_log_retention_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Delivered webhook deliveries (and their tries) older than this are purged;"
        " pending and failed ones are kept",
    )
    public_url: str = Field(
        "", description="This server's public URL, which no webhook may point at"
    )
    worker_poll_seconds: float = Field(
        1, gt=0, le=HOUR, description="Worker's wait between looks for work when idle"
    )
    worker_jobs_seconds: float = Field(
        60, gt=0, le=DAY, description="Worker's wait between scheduled jobs"
    )
    close_to_completion_days: int = Field(
        1, ge=0, le=365, description="Days before the due day a lead is close to completion"
    )
    score_recompute_hour: int = Field(
        2, ge=0, le=23, description="UTC hour from which the worker rescores open leads, daily"
    )
    gc_freeze: bool = Field(
        True, description="Freeze a worker's startup objects out of the collector's reach"
    )
    in_process_worker: Literal["auto", "on", "off"] = Field(
        "auto", description="Worker inside leadbook serve (auto: on SQLite only)"
    )
    expect_worker: bool = Field(
        False, description="/readyz fails unless some worker beat in the last 30 seconds"
    )
    smtp_host: str = Field(
        "", max_length=253, description="SMTP server of notification emails (empty: none sent)"
    )
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP server's port")
    smtp_from: str = Field(
        "leadbook@localhost",
        min_length=3,
        max_length=200,
        description="Notification emails' sender",
    )
    smtp_username: str = Field("", max_length=200, description="SMTP login (empty: none)")
    smtp_password: str = Field("", max_length=200, description="SMTP password")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS")
    smtp_timeout_seconds: float = Field(
        10, gt=0, le=MINUTE * 5, description="SMTP connect and reply timeout"
    )

    def checked(self, changes: dict[str, Any]) -> Settings:
        """Returns these settings with ``changes`` (command-line options), checked as the
        environment's are."""
        try:
            return Settings(**{**self.model_dump(), **changes})
        except ValidationError as exc:
            raise SettingsError(explain(exc)) from None


class SettingsError(ValueError):
    """Settings the environment gives that the class refuses; says which and why."""


def explain(exc: ValidationError) -> str:
    """Returns one line per refused variable: its name, the value given and the reason."""
    lines = []
    for error in exc.errors():
        name = PREFIX + "_".join(str(part) for part in error["loc"]).upper()
        given = error.get("input")
        reason = error["msg"].removeprefix("Value error, ")
        shown = f"{name}={given!r}" if isinstance(given, str) else name
        lines.append(f"{shown}: {reason}")
    return "\n".join(lines)


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings, or raises SettingsError naming the bad ones."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(explain(exc)) from None
