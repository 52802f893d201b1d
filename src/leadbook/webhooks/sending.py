"""Sending one delivery: a Standard Webhooks signed POST whose answer is read with a size
and a time limit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks.webhooks import Webhook


@dataclass(frozen=True)
class Job:
    """A claimed delivery: where to send which event's body, signed with which secret."""

    delivery_id: int
    position: int
    url: str
    secret: str
    body: str

    @property
    def message_id(self) -> str:
        """The ``webhook-id``: the event's id, the same on every try (receivers dedupe by it)."""
        return f"evt_{self.position}"


@dataclass(frozen=True)
class Result:
    """What one try got: the answer's status (None: no answer), its time, the error."""

    status: int | None
    ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def signed_headers(secret: str, message_id: str, at: datetime, body: str) -> dict[str, str]:
    """Returns the Standard Webhooks headers of ``body`` sent at ``at``."""
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def send(client: httpx.Client, job: Job, *, timeout: float, max_bytes: int) -> Result:
    """Posts ``job``; a 2xx is success. Redirects are not followed; the answer is read for
    at most ``timeout`` seconds and ``max_bytes`` bytes, the rest is left unread."""
    headers = signed_headers(job.secret, job.message_id, datetime.now(UTC), job.body)
    start = time.monotonic()
    try:
        with client.stream(
            "POST", job.url, content=job.body.encode(), headers=headers, timeout=timeout
        ) as response:
            read = 0
            snippet = b""
            for chunk in response.iter_bytes():
                snippet = snippet or chunk[:200]
                read += len(chunk)
                if read >= max_bytes or time.monotonic() - start > timeout:
                    break
            status = response.status_code
    except httpx.HTTPError as exc:
        return Result(None, _ms(start), f"{type(exc).__name__}: {exc}"[:500])
    error = None if 200 <= status < 300 else f"HTTP {status}: {snippet.decode(errors='replace')}"
    return Result(status, _ms(start), error)


def _ms(start: float) -> int:
    return round((time.monotonic() - start) * 1000)
