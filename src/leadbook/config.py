"""Settings read from the environment (prefix ``LEADBOOK_``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache


def _env(name: str, default: str) -> str:
    return os.environ.get(f"LEADBOOK_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every field has a working default for a laptop."""

    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", "sqlite:///leadbook.db"))
    organisation: str = field(default_factory=lambda: _env("ORGANISATION", "LEADBOOK"))
    token_ttl_seconds: int = field(
        default_factory=lambda: int(_env("TOKEN_TTL_SECONDS", str(2 * 3600)))
    )
    max_body_bytes: int = field(
        default_factory=lambda: int(_env("MAX_BODY_BYTES", str(1024 * 1024)))
    )
    rate_limit_per_minute: int = field(
        default_factory=lambda: int(_env("RATE_LIMIT_PER_MINUTE", "0"))
    )
    # failed logins allowed per user name and per address ("N per M minutes", the limits syntax)
    login_failures_per_user: str = field(
        default_factory=lambda: _env("LOGIN_FAILURES_PER_USER", "10 per 5 minutes")
    )
    login_failures_per_address: str = field(
        default_factory=lambda: _env("LOGIN_FAILURES_PER_ADDRESS", "100 per 5 minutes")
    )
    # the rate limits' shared counters: Redis (keys under the prefix), else the database
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", ""))
    redis_prefix: str = field(default_factory=lambda: _env("REDIS_PREFIX", "leadbook"))
    # proxies whose X-Forwarded-For names the client (comma separated; "" trusts none)
    trusted_proxies: str = field(default_factory=lambda: _env("TRUSTED_PROXIES", ""))
    # argon2 computations at once, and how long a successful password check is remembered
    password_hash_concurrency: int = field(
        default_factory=lambda: int(_env("PASSWORD_HASH_CONCURRENCY", "2"))
    )
    password_cache_seconds: int = field(
        default_factory=lambda: int(_env("PASSWORD_CACHE_SECONDS", "60"))
    )
    # name or alternative code of the lead type given to leads created through the XML API
    xml_lead_type: str = field(default_factory=lambda: _env("XML_LEAD_TYPE", ""))
    # argon2 parameters for new password hashes: "production", or "cheapest" for test suites
    password_hash_cost: str = field(
        default_factory=lambda: _env("PASSWORD_HASH_COST", "production")
    )
    # the one business file id the XML API answers under (/{id}/leads.xml)
    xml_business_file_id: str = field(
        default_factory=lambda: _env("XML_BUSINESS_FILE_ID", "123456")
    )
    # how long a request waits for SQLite's write lock or a pooled connection before 503
    busy_timeout_seconds: float = field(
        default_factory=lambda: float(_env("BUSY_TIMEOUT_SECONDS", "5"))
    )
    # PostgreSQL connections per server process (workers × this must stay under the
    # server's max_connections, 100 by default, less its reserved ones)
    db_pool_size: int = field(default_factory=lambda: int(_env("DB_POOL_SIZE", "10")))
    # connections one `leadbook serve` may hold in all (its workers share them: each worker's
    # pool is the smaller of the pool size and this ÷ workers); PostgreSQL's default
    # max_connections is 100, of which 3 are reserved for superusers
    db_max_connections: int = field(
        default_factory=lambda: int(_env("DB_MAX_CONNECTIONS", "40"))
    )
    # uvicorn: seconds an idle keep-alive connection stays open, bytes of a request's head,
    # seconds a worker may take to answer the supervisor's health check
    keep_alive_seconds: int = field(default_factory=lambda: int(_env("KEEP_ALIVE_SECONDS", "5")))
    max_header_bytes: int = field(
        default_factory=lambda: int(_env("MAX_HEADER_BYTES", str(16 * 1024)))
    )
    worker_healthcheck_seconds: int = field(
        default_factory=lambda: int(_env("WORKER_HEALTHCHECK_SECONDS", "30"))
    )


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings."""
    return Settings()
