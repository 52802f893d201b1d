"""Random leads for comparing the read paths: every kind of reference, set, source, UDF,
number and date a lead can hold, nulls and empty sets included (seeded: the same each run)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.models import LifeCycleState

NOW = datetime(2026, 3, 14, 15, 9, 26)
SOURCES = (
    "WEBSITE",
    "RECOMMENDED_BY_CONTACT",
    "RECOMMENDED_BY_EMPLOYEE",
    "RECOMMENDED_BY_PARTNER",
    "COMMUNICATIONS",
    "NOTIFICATIONS",
)


def _number(rnd: random.Random) -> float | None:
    return rnd.choice(
        [
            None,
            0.0,
            -0.0,
            12000.0,
            1e15,
            -1e15,
            999999999999999.9,
            0.1 + 0.2,
            1 / 3,
            -2.5,
            5e-324,
            1.5e-7,
            rnd.uniform(-1e6, 1e6),
            float(rnd.randint(-(10**9), 10**9)),
        ]
    )


def _moment(rnd: random.Random) -> datetime | None:
    if rnd.random() < 0.2:
        return None
    return NOW + timedelta(seconds=rnd.randint(-900 * 86400, 900 * 86400))


def _maybe(rnd: random.Random, rows: list):
    return rnd.choice([None, *rows])


def _rows(db, model) -> list:
    return list(db.scalars(select(model)))


def _contact(db, rnd: random.Random, countries: list, i: int) -> m.Contact:
    person = rnd.random() < 0.6
    contact = m.Contact(
        number=f"RC{i}",
        type="PERSON" if person else "COMPANY",
        life_cycle_state=rnd.choice(["MARKETING", "FINANCIAL"]),
        title=rnd.choice([None, "Dr"]),
        first_name=rnd.choice([None, "", "Ada", 'Zoë "Q"']),
        middle_name=rnd.choice([None, "", "B."]),
        last_name=rnd.choice([None, "Lovelace", "O'Brien\\\u00e9"]),
        company_name=rnd.choice([None, "", "Acme\tLtd", "\u65e5\u672c"]),
        gender=rnd.choice([None, "FEMALE", "MALE"]),
        id_number=rnd.choice([None, f"ID{i}"]),
        birth_day=rnd.choice([None, 1, 29]),
        birth_month=rnd.choice([None, 2, 12]),
        birth_year=rnd.choice([None, 1970]),
        name_day_day=rnd.choice([None, 3]),
        name_day_month=rnd.choice([None, 4]),
        country_of_residence=_maybe(rnd, countries),
        id_issued_by_country=_maybe(rnd, countries),
        passport_issued_by_country=_maybe(rnd, countries),
        registered_in_country=_maybe(rnd, countries),
        industry=rnd.choice([None, "Software"]),
        registration_number=rnd.choice([None, f"REG{i}"]),
        vat_registration_date=rnd.choice([None, date(1999, 12, 31), date(2024, 2, 29)]),
        annual_turnover=_number(rnd),
        number_of_employees=rnd.choice([None, 0, 250]),
        established_date=rnd.choice([None, date(1901, 1, 1)]),
    )
    db.add(contact)
    return contact


@pytest.fixture
def random_leads(db, demo) -> int:
    """Adds 60 random leads (numbers from 500000); returns how many."""
    rnd = random.Random(14)
    countries = _rows(db, m.Country) or []
    if len(countries) < 2:
        countries += [
            m.Country(name=f"Country {k}", two_character_code=f"C{k}", alternative_code=None)
            for k in range(2)
        ]
        db.add_all(countries)
    contacts = [_contact(db, rnd, countries, i) for i in range(12)]
    db.flush()
    accounts = [
        m.AccountsReceivable(number=f"RA{i}", name=f"Account {i}", owner=rnd.choice(contacts))
        for i in range(5)
    ]
    communications = [
        m.Communication(
            number=f"RCOM{i}",
            contact=_maybe(rnd, contacts),
            subject=rnd.choice([None, "Hello"]),
            viewed=bool(i % 2),
            viewed_on=_moment(rnd),
        )
        for i in range(4)
    ]
    notifications = [
        m.Notification(
            number=f"RNOT{i}",
            contact=_maybe(rnd, contacts),
            accounts_receivable=_maybe(rnd, accounts),
        )
        for i in range(4)
    ]
    kinds = [
        m.ProductType(name="Random type A", used_for_provisioning=True, service_type="USAGE"),
        m.ProductType(
            name="Random type B", alternative_code="RTB", classification="PHYSICAL_GOODS"
        ),
    ]
    brands = [m.ProductBrand(name="Random brand", alternative_code="RB")]
    families = [m.ProductFamily(name="Random family", code="RF")]
    products = [
        m.Product(
            code=f"RP{i}", product_type=_maybe(rnd, kinds), priority_level=rnd.choice([None, 3])
        )
        for i in range(3)
    ]
    competitors = [
        m.Competitor(name=f"Random competitor {i}", website="https://x.test") for i in range(3)
    ]
    levels = [
        m.PrivacyLevel(number=f"RPL{i}", name=f"Random level {i}", hierarchy_level=i)
        for i in range(2)
    ]
    db.add_all([*accounts, *communications, *notifications, *kinds, *brands, *families])
    db.add_all([*products, *competitors, *levels])
    db.flush()
    types, statuses = _rows(db, m.LeadType), _rows(db, m.LeadStatus)
    categories, reasons = _rows(db, m.LeadCategory), _rows(db, m.LostReason)
    users, units, groups = _rows(db, m.User), _rows(db, m.Unit), _rows(db, m.Group)
    packages = _rows(db, m.SubscriptionPackage)
    levels = _rows(db, m.PrivacyLevel)
    kinds, brands, families = (
        _rows(db, m.ProductType),
        _rows(db, m.ProductBrand),
        _rows(db, m.ProductFamily),
    )
    products, competitors = _rows(db, m.Product), _rows(db, m.Competitor)
    start = (db.scalar(select(func.max(m.Lead.number))) or 0) + 500000
    count = 60
    for i in range(count):
        source = rnd.choice(SOURCES)
        uot = rnd.choice([None, "DAYS", "WEEKS", "MONTHS", "HOURS"])
        lead = m.Lead(
            number=start + i,
            life_cycle_state=rnd.choice(list(LifeCycleState)),
            type=rnd.choice(types),
            status=rnd.choice(statuses),
            category=_maybe(rnd, categories),
            lost_reason=_maybe(rnd, reasons),
            importance=rnd.choice(["IMPORTANCE1", "IMPORTANCE5", "CUSTOM2"]),
            priority=rnd.randint(1, 6),
            probability_to_win=_number(rnd),
            target_amount=_number(rnd),
            description=rnd.choice([None, "", 'a\nb "c" \\ d \u2028 e', "x" * 300]),
            contact_email=rnd.choice([None, "a@b.test"]),
            contact_phone=rnd.choice([None, "+357 99 765432"]),
            start_date=NOW - timedelta(days=rnd.randint(0, 400), seconds=rnd.randint(0, 86399)),
            expected_completion_date=_moment(rnd),
            actual_completion_date=_moment(rnd),
            estimated_time_value=rnd.choice([None, 3.0, 2.5, 0.1])
            if uot or rnd.random() < 0.3
            else None,
            estimated_time_uot=uot,
            contact=rnd.choice(contacts),
            accounts_receivable=_maybe(rnd, accounts),
            source_type=source,
            source_name=rnd.choice([None, "leadbook.example"]),
            source_contact=_maybe(rnd, contacts)
            if "CONTACT" in source or "PARTNER" in source
            else None,
            source_user=_maybe(rnd, users) if "EMPLOYEE" in source else None,
            source_communication=_maybe(rnd, communications)
            if source == "COMMUNICATIONS"
            else None,
            source_notification=_maybe(rnd, notifications) if source == "NOTIFICATIONS" else None,
            assigned_unit=_maybe(rnd, units),
            assigned_user=_maybe(rnd, users),
            owned_by_group=_maybe(rnd, groups),
            privacy_level=_maybe(rnd, levels),
            lead_owner=_maybe(rnd, users),
            subscription_package=_maybe(rnd, packages),
            created_by_user=_maybe(rnd, users),
            updated_by_user=_maybe(rnd, users),
            created_by_unit=_maybe(rnd, units),
            updated_by_unit=_maybe(rnd, units),
            udf_string_1=rnd.choice([None, "", "udf"]),
            udf_float_1=_number(rnd),
            udf_float_4=_number(rnd),
            udf_date_2=_moment(rnd),
        )
        for position, competitor in enumerate(rnd.sample(competitors, rnd.randint(0, 3))):
            lead.competitors.append(m.LeadCompetitor(competitor=competitor, position=position))
        for position, user in enumerate(rnd.sample(users, rnd.randint(0, min(2, len(users))))):
            lead.users.append(m.LeadUser(user=user, position=position))
        for position in range(rnd.randint(0, 5)):
            kind = rnd.choice(["PRODUCT", "SERVICE", "PHYSICAL_GOOD"])
            item = m.LeadProduct(kind=kind, position=9 - position)  # stored out of order
            which = rnd.choice(["product", "product_type", "product_brand", "product_family"])
            if which == "product":
                item.product = rnd.choice(products)
            elif which == "product_type":
                item.product_type = rnd.choice(kinds)
            elif which == "product_brand":
                item.product_brand = rnd.choice(brands)
            else:
                item.product_family = rnd.choice(families)
            lead.products.append(item)
        db.add(lead)
    db.flush()
    db.commit()
    return count
