"""Migration 0007 gives a number to every user, lead category and contact that has none,
after the largest handed out and in a fixed order, keeping the numbers already handed out."""

from alembic import command
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from leadbook import migrate
from leadbook.db import make_engine
from leadbook.models import Base, Contact, ExternalId, LeadCategory, User
from leadbook.refdata import demo


def test_existing_entities_get_numbers_and_handed_out_ones_stay(_new_database):
    url = _new_database("m0007")
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    migrate.upgrade(url)
    with Session(engine) as db:
        demo.load(db)
        db.commit()
    command.downgrade(migrate.alembic_config(url), "0006")
    with Session(engine) as db:  # as 0006 left it: numbers only for what XML had shown
        kept = dict(db.execute(select(ExternalId.entity_id, ExternalId.number).limit(3)).all())
        db.execute(delete(ExternalId).where(ExternalId.entity_id.not_in(kept)))
        db.commit()

    migrate.upgrade(url)
    migrate.upgrade(url)  # a second run changes nothing

    with Session(engine) as db:
        numbers = dict(db.execute(select(ExternalId.entity_id, ExternalId.number)).all())
        users = db.scalars(select(User.id).order_by(User.username)).all()
        categories = db.scalars(select(LeadCategory.id).order_by(LeadCategory.name)).all()
        contacts = db.scalars(select(Contact.id).order_by(Contact.number, Contact.id)).all()
        newcomer = User(username="newcomer")
        db.add(newcomer)
        db.commit()
        after = db.scalar(select(ExternalId.number).where(ExternalId.entity_id == newcomer.id))
    engine.dispose()
    assert {k: numbers[k] for k in kept} == kept
    assert set(numbers) == set(users) | set(categories) | set(contacts)
    given = [numbers[i] for i in [*users, *categories, *contacts] if i not in kept]
    assert given == list(range(max(kept.values()) + 1, max(kept.values()) + 1 + len(given)))
    assert after == max(numbers.values()) + 1  # numbers to come follow the largest
