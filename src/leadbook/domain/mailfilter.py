"""Which mail is no lead: bounces, auto-replies, list mail and no-reply senders.

Such a message is accepted (its sender's server must not retry it or bounce it back) and
skipped; the reason names the header or address that decided, for the log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

BOUNCERS = ("mailer-daemon", "postmaster")
NO_REPLY = re.compile(r"^(?:no|do[-_.]?not)[-_.]?reply(?![a-z0-9])")  # noreply, do-not-reply …
BULK = ("bulk", "list", "junk")
# the headers the rules read (lower-case)
HEADERS = (
    "auto-submitted",
    "content-type",
    "x-autoreply",
    "x-autorespond",
    "list-id",
    "list-unsubscribe",
    "precedence",
)


@dataclass(frozen=True)
class InboundMail:
    """A received message as the domain reads it (the SMTP face parses the MIME):
    ``refers_to`` the ids of In-Reply-To and References, ``reverse_path`` the envelope
    sender ('' for ``<>``), ``headers`` those of HEADERS present (lower-case names)."""

    sender: str
    name: str
    subject: str
    text: str
    message_id: str | None = None
    refers_to: tuple[str, ...] = ()
    reverse_path: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


def skip_reason(mail: InboundMail) -> str | None:
    """Returns why ``mail`` makes no lead (a bounce, an auto-reply, list mail, a no-reply
    sender), or None when it is a person writing."""
    headers = {key.lower(): value.strip() for key, value in mail.headers.items()}
    local = mail.sender.rpartition("@")[0].casefold()
    if not mail.reverse_path:
        return "bounce: null reverse-path <>"
    if local in BOUNCERS or mail.reverse_path.rpartition("@")[0].casefold() in BOUNCERS:
        return f"bounce: sent by {local or mail.reverse_path}"
    if headers.get("content-type", "").lower().startswith("multipart/report"):
        return "bounce: Content-Type multipart/report"
    submitted = headers.get("auto-submitted", "no").partition(";")[0].strip().lower()
    if submitted != "no":
        return f"auto-reply: Auto-Submitted {submitted}"
    for name in ("x-autoreply", "x-autorespond"):
        if name in headers:
            return f"auto-reply: {name} header"
    for name in ("list-id", "list-unsubscribe"):
        if name in headers:
            return f"list mail: {name} header"
    precedence = headers.get("precedence", "").lower()
    if precedence in BULK:
        return f"list mail: Precedence {precedence}"
    if NO_REPLY.match(local):
        return f"no-reply sender {mail.sender}"
    return None
