"""Webhook subscriptions: what a valid one is, made the same way by the admin API, the CLI
and ``config apply``.

A subscription names a URL (http or https, never the server itself: a webhook sent to its
own sender would make events out of events), the event types it wants (every type when
none is given), optionally lead types and, for ``lead.updated``, the fields whose change
it wants; and a Standard Webhooks secret (``whsec_`` + base64 of 24 random bytes when
none is given). A new subscription receives the events after the moment it is made.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import events, feed, values
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing, NotFound

FIELDS = frozenset(events.TRACKED) | {"competitors_set", "users_set", "products_set"}
KEYS = ("url", "event_types", "lead_types", "fields", "secret", "active")
PREFIX = "whsec_"


def new_secret() -> str:
    """Returns a fresh signing secret."""
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def find(db: Session, name: str) -> m.WebhookSubscription:
    """Returns subscription ``name``, or raises NotFound."""
    row = db.scalar(select(m.WebhookSubscription).where(m.WebhookSubscription.name == name))
    if row is None:
        raise NotFound(f"No webhook subscription {name!r}", field="name")
    return row


def save(
    db: Session, name: str, given: Mapping[str, Any], *, own: Iterable[str] = ()
) -> tuple[m.WebhookSubscription, str]:
    """Creates subscription ``name`` or changes what ``given`` says of it; ``own`` are the
    server's own URLs. Returns it and what happened: created, updated or unchanged."""
    unknown = set(given) - set(KEYS)
    if unknown:
        raise InvalidValue(f"Unknown field {{field}}; use {', '.join(KEYS)}", field=min(unknown))
    values.text(name, "name")
    if not name.strip() or len(name) > 100:
        raise InvalidValue("{field} must be 1 to 100 characters", field="name")
    row = db.scalar(select(m.WebhookSubscription).where(m.WebhookSubscription.name == name))
    if row is None and not given.get("url"):
        raise MandatoryParameterMissing("{field} is mandatory", field="url")
    checked: dict[str, Any] = {}
    if "url" in given:
        checked["url"] = check_url(given["url"], own)
    if "event_types" in given:
        checked["event_types"] = _listed(given["event_types"], "event_types", feed.TYPES)
    if "lead_types" in given:
        checked["lead_types"] = _lead_types(db, given["lead_types"])
    if "fields" in given:
        checked["fields"] = _listed(given["fields"], "fields", sorted(FIELDS))
    if given.get("secret") is not None:
        checked["secret"] = _secret(given["secret"])
    if "active" in given:
        if not isinstance(given["active"], bool):
            raise InvalidValue("{field} must be true or false", field="active")
        checked["active"] = given["active"]
    if row is None:
        row = m.WebhookSubscription(
            name=name,
            event_types=[],
            lead_types=[],
            fields=[],
            secret=new_secret(),
            position=feed.last_position(db),
        )
        db.add(row)
        outcome = "created"
    else:
        changed = any(getattr(row, key) != value for key, value in checked.items())
        outcome = "updated" if changed else "unchanged"
    for key, value in checked.items():
        setattr(row, key, value)
    if checked.get("active"):
        row.paused_reason = None
    db.flush()
    return row, outcome


def exported(row: m.WebhookSubscription, *, secret: bool = False) -> dict[str, Any]:
    """Returns ``row`` as ``save`` takes it, named (its secret only when asked)."""
    shown = {"name": row.name, **{key: getattr(row, key) for key in KEYS if key != "secret"}}
    if secret:
        shown["secret"] = row.secret
    return shown


def pause(row: m.WebhookSubscription, reason: str) -> None:
    """Stops sending to ``row`` and says why; saving it with active true resumes it."""
    row.active = False
    row.paused_reason = reason


def wants(row: m.WebhookSubscription, event: m.FeedEvent, type_names: Mapping[str, str]) -> bool:
    """Returns whether ``row`` wants ``event`` (``type_names``: lead type id → name)."""
    if row.event_types and event.type not in row.event_types:
        return False
    if row.lead_types and type_names.get(event.lead_type_id or "") not in row.lead_types:
        return False
    if row.fields and event.type == "lead.updated":
        return any(key in row.fields for key in event.data.get("changes", {}))
    return True


def check_url(url: Any, own: Iterable[str] = ()) -> str:
    """Returns ``url`` if webhooks can be sent there: http(s), a host, not one of ``own``."""
    if not isinstance(url, str) or len(url) > 2000:
        raise InvalidValue("{field} must be a URL of at most 2000 characters", field="url")
    parts = urlsplit(values.text(url.strip(), "url"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidValue("{field} must be an http or https URL with a host", field="url")
    try:
        port = parts.port
    except ValueError:
        raise InvalidValue("{field} has a port that is not a number", field="url") from None
    for server in own:
        mine = urlsplit(server)
        if mine.hostname and _same_origin(parts, port, mine):
            raise InvalidValue(
                f"{{field}} points at this server itself ({server}); webhooks go elsewhere",
                field="url",
            )
    return url.strip()


def _same_origin(parts, port: int | None, mine) -> bool:
    def effective(p, explicit):
        return explicit or (443 if p.scheme == "https" else 80)

    if effective(parts, port) != effective(mine, mine.port):
        return False
    return parts.hostname == mine.hostname or _loopback(parts.hostname) and _loopback(mine.hostname)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _listed(given: Any, field: str, allowed: Iterable[str]) -> list[str]:
    choices = list(allowed)
    if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
        raise InvalidValue("{field} must be a list of names", field=field)
    for item in given:
        if item not in choices:
            raise InvalidValue(
                f"{{field}}: {item!r} is not one of {', '.join(choices)}", field=field
            )
    return sorted(set(given))


def _lead_types(db: Session, given: Any) -> list[str]:
    names = [row.name for row in db.scalars(select(m.LeadType))]
    return _listed(given, "lead_types", names)


def _secret(given: Any) -> str:
    if not isinstance(given, str) or not given.startswith(PREFIX):
        raise InvalidValue(f"{{field}} must start with {PREFIX}", field="secret")
    try:
        raw = base64.b64decode(given[len(PREFIX) :], validate=True)
    except binascii.Error:
        raise InvalidValue("{field} must be whsec_ followed by base64", field="secret") from None
    if not 24 <= len(raw) <= 64:
        raise InvalidValue("{field} must hold 24 to 64 bytes", field="secret")
    return given
