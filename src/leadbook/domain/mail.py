"""Mail to an intake form's address: a new lead, or a reply joined to its open lead.

A message (``mailfilter.InboundMail``) that is no person writing (``skip_reason``) is
skipped. One whose In-Reply-To or References names a message recorded on an open lead
the form's user sees, else whose sender's contact has exactly one such open lead, joins
that lead (``add_message``: an audit event with its subject and the start of its text).
Any other becomes a lead through the one create, as a web form's submission does: the
sender is the new contact (duplicate check, assignment rules), the subject the topic, the
text the description; the attribution says it came by email. A message delivered again
(its Message-ID already recorded) is taken once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.config import get_settings
from leadbook.domain import access, events, leads, queries
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.contacts import NewContact
from leadbook.domain.errors import NotFound
from leadbook.domain.identity import email_key
from leadbook.domain.mailfilter import InboundMail, skip_reason
from leadbook.domain.vocabulary import OPEN_STATES

VIA = "email"
TOPIC_LIMIT = 300  # the lead's topic column
NAME_LIMIT = 100  # a contact's first and last name columns
EXCERPT = 500  # characters of a joined message's text kept in its event


@dataclass(frozen=True)
class Received:
    """What became of a message: ``created`` a lead, ``added`` to one, ``skipped``
    (``reason``), or a ``repeat`` of one already taken."""

    outcome: str
    lead: int | None = None
    reason: str | None = None


def form_for(db: Session, address: str) -> m.IntakeForm:
    """Returns the active form that receives mail for ``address``, or raises NotFound."""
    form = db.scalar(
        select(m.IntakeForm).where(
            m.IntakeForm.email_address == address.strip().casefold(),
            m.IntakeForm.is_active.is_(True),
        )
    )
    if form is None:
        raise NotFound(f"No intake address {address!r}")
    return form


def receive(db: Session, form: m.IntakeForm, mail: InboundMail) -> Received:
    """Makes a lead of ``mail`` sent to ``form``'s address, or joins it to its open lead
    (see the module's docstring)."""
    reason = skip_reason(mail)
    if reason is not None:
        return Received("skipped", reason=reason)
    if mail.message_id:
        earlier = db.scalar(
            select(m.Lead.number)
            .join(m.LeadMessage, m.LeadMessage.lead_id == m.Lead.id)
            .where(m.LeadMessage.message_id == mail.message_id)
        )
        if earlier is not None:
            return Received("repeat", earlier)
    actor = Actor(user=form.user, unit=form.user.unit, via=VIA)
    lead = _thread_lead(db, actor, mail) or _sole_open_lead(db, actor, mail.sender)
    if lead is not None:
        access.permit(db, actor, "update", lead)
        add_message(db, actor, lead, mail)
        return Received("added", lead.number)
    lead = leads.create(db, actor, _changes(form, mail), rule=form.rule)
    _remember(db, lead, mail)
    return Received("created", lead.number)


def add_message(db: Session, actor: Actor, lead: m.Lead, mail: InboundMail) -> m.LeadEvent:
    """Records ``mail`` on ``lead``'s history (action ``mail``: who wrote, the subject,
    the start of the text), in the caller's transaction; the lead itself is unchanged."""
    sender = f"{mail.name} <{mail.sender}>" if mail.name else mail.sender
    text = mail.text.strip()
    excerpt = text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
    event = events.note(
        db, lead, actor, "mail", {"from": sender, "subject": mail.subject, "text": excerpt}
    )
    _remember(db, lead, mail)
    return event


def split_name(name: str, address: str) -> dict[str, str]:
    """Returns the first and last name a display name gives (``Lovelace, Ada`` too); the
    address's local part is the last name when there is no display name (or it is an
    address)."""
    name = "" if "@" in name else " ".join(name.replace('"', " ").split())
    last, comma, first = name.partition(",")
    if not comma:
        first, _, last = name.rpartition(" ")
    last = last.strip() or first.strip() or address.rpartition("@")[0] or address
    names = {"first_name": first.strip(), "last_name": last}
    return {key: value[:NAME_LIMIT] for key, value in names.items() if value}


def _changes(form: m.IntakeForm, mail: InboundMail) -> LeadChanges:
    limit = get_settings().smtp_description_chars
    contact = {**split_name(mail.name, mail.sender), "email": mail.sender}
    values = {
        "type": form.lead_type,
        "importance": form.importance,
        "priority": form.priority,
        "contact": NewContact(type="PERSON", values=contact),
        "topic": mail.subject.strip()[:TOPIC_LIMIT] or None,
        "description": mail.text.strip()[:limit] or None,
        "attribution": {"utm_source": VIA, "mail_to": form.email_address},
    }
    source = Source(type=form.source_type, name=form.source_name or form.key)
    return LeadChanges(values=values, source=source)


def _remember(db: Session, lead: m.Lead, mail: InboundMail) -> None:
    if mail.message_id:
        db.add(m.LeadMessage(lead_id=lead.id, message_id=mail.message_id))


def _open(actor: Actor):
    return queries.seen(actor).where(m.Lead.life_cycle_state.in_(OPEN_STATES))


def _thread_lead(db: Session, actor: Actor, mail: InboundMail) -> m.Lead | None:
    """The open lead a message ``mail`` replies to (In-Reply-To, References) was
    recorded on, the newest when several."""
    if not mail.refers_to:
        return None
    recorded = select(m.LeadMessage.lead_id).where(m.LeadMessage.message_id.in_(mail.refers_to))
    stmt = _open(actor).where(m.Lead.id.in_(recorded)).order_by(m.Lead.number.desc())
    return db.scalars(stmt.limit(1)).first()


def _sole_open_lead(db: Session, actor: Actor, sender: str) -> m.Lead | None:
    """The sender's contact's open lead, when it has exactly one."""
    key = email_key(sender)
    if key is None:
        return None
    contacts = select(m.Contact.id).where(
        m.Contact.email_key == key, m.Contact.merged_into_id.is_(None)
    )
    found = db.scalars(_open(actor).where(m.Lead.contact_id.in_(contacts)).limit(2)).all()
    return found[0] if len(found) == 1 else None
