"""A received message's MIME, read into the domain's ``InboundMail``: the From address
and name, the subject, the text (text/plain preferred, else HTML turned into text by
inscriptis), the Message-ID and the ids it replies to, and the headers the skip rules read.
"""

from __future__ import annotations

import re
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from inscriptis import get_text

from leadbook.domain.mailfilter import HEADERS, InboundMail

MESSAGE_ID = re.compile(r"<([^<>\s]{1,996})>")


class MalformedMail(ValueError):
    """A message that cannot be read as mail from someone (no From address, bad MIME)."""


def parse(content: bytes, reverse_path: str) -> InboundMail:
    """Returns the message in ``content`` (``reverse_path``: the envelope sender, '' for
    ``<>``), or raises MalformedMail saying what is wrong."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(content)
        sender = _sender(message)
        text = _text(message)
        subject = str(message.get("subject", "") or "")
        headers = {name: str(message[name]) for name in HEADERS if message[name] is not None}
        ids = _ids(str(message.get("message-id", "") or ""))
        replied = _ids(f"{message.get('in-reply-to', '')} {message.get('references', '')}")
    except MalformedMail:
        raise
    except Exception as exc:  # the parser's and the decoders' many errors, one refusal
        raise MalformedMail(f"the message cannot be read: {exc}") from None
    return InboundMail(
        sender=_clean(sender.addr_spec),
        name=_clean(sender.display_name),
        subject=_clean(" ".join(subject.split())),
        text=_clean(text.replace("\r\n", "\n")),
        message_id=ids[0] if ids else None,
        refers_to=tuple(dict.fromkeys(replied)),
        reverse_path=reverse_path,
        headers=headers,
    )


def _sender(message: EmailMessage) -> Address:
    header = message.get("from")
    if header is None:
        raise MalformedMail("the message has no From header")
    addresses: Any = getattr(header, "addresses", ())
    if len(addresses) != 1 or "@" not in addresses[0].addr_spec:
        raise MalformedMail(f"From must be one address, not {str(header)!r}")
    return addresses[0]


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if not isinstance(content, str):
        return ""
    return get_text(content) if part.get_content_subtype() == "html" else content


def _clean(text: str) -> str:
    """``text`` without NULs, and bytes no charset decoded shown as ``?``."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode()


def _ids(text: str) -> list[str]:
    return MESSAGE_ID.findall(text)
