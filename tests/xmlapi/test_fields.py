"""Element values are read strictly and written in the seed's formats."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from leadbook.domain.errors import InvalidValue
from leadbook.xmlapi import fields


def test_reads_typed_values():
    values = fields.read(
        {
            "manager_id": "7",
            "client_name": "ACME",
            "contact_id": "",
            "is_engaged": "true",
            "importance": "5",
            "value": "15000,50",
            "value_date": "30-06-2025",
            "confidence_pct": "40",
            "description": "",
            "step_id": "461",
        }
    )
    assert values == {
        "manager_id": 7,
        "client_name": "ACME",
        "contact_id": 0,
        "is_engaged": True,
        "importance": 5,
        "value": 15000.5,
        "value_date": date(2025, 6, 30),
        "confidence_pct": 40.0,
        "description": None,
        "progress_id": 461,
    }


@pytest.mark.parametrize("text", ["30-06-2025", "30/06/2025", "2025-06-30"])
def test_reads_the_usual_date_spellings(text):
    assert fields.read({"value_date": text}) == {"value_date": date(2025, 6, 30)}


def test_timestamps_written_on_reads_are_ignored_on_writes():
    assert fields.read({"created_at": "01-01-2025 10:00:00", "topic": "x"}) == {"topic": "x"}


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"importance": "6"}, "from 0 to 5"),
        ({"importance": "-1"}, "from 0 to 5"),
        ({"importance": "high"}, "from 0 to 5"),
        ({"confidence_pct": "101"}, "from 0 to 100"),
        ({"value": "-5"}, "amount of 0 or more"),
        ({"value": "1e9"}, "amount of 0 or more"),
        ({"value": "NaN"}, "amount of 0 or more"),
        ({"manager_id": "abc"}, "whole number"),
        ({"firm_id": "1.5"}, "whole number"),
        ({"is_engaged": "2"}, "0 or 1"),
        ({"value_date": "31-02-2025"}, "DD-MM-YYYY"),
        ({"progress_id": "465"}, "Step 465 does not exist"),
        ({"progress_id": "460", "step_id": "461"}, "given twice"),
        ({"topic": "x" * 301}, "longer than 300"),
    ],
)
def test_refuses_wrong_values(raw, message):
    with pytest.raises(InvalidValue, match=message):
        fields.read(raw)


@pytest.mark.parametrize(
    "value, text",
    [(None, ""), (15000.0, "15000.0"), (1234.56, "1234.56"), (1e16, "10000000000000000.0")],
)
def test_writes_amounts_with_a_dot_and_no_exponent(value, text):
    assert fields.amount(value) == text


def test_writes_dates_day_first():
    assert fields.day(datetime(2025, 6, 30, 17, 5)) == "30-06-2025"
    assert fields.moment(datetime(2025, 6, 30, 17, 5, 9)) == "30-06-2025-17-05"


def test_years_below_1000_keep_four_digits():
    assert fields.day(datetime(999, 1, 2)) == "02-01-0999"
    assert fields.moment(datetime(7, 1, 2, 3, 4)) == "02-01-0007-03-04"
    assert fields.percent(40.0) == "40" and fields.percent(12.5) == "12.5"


@pytest.mark.parametrize(
    "name, value, text, read_back",
    [
        ("manager_id", None, "0", 0),
        ("topic", None, "", None),
        ("is_engaged", True, "1", True),
        ("value", 10.0, "10.0", 10.0),
        ("confidence_pct", 55.0, "55", 55.0),
        ("value_date", date(2027, 1, 2), "02-01-2027", date(2027, 1, 2)),
        ("progress_id", 461, "461", 461),
    ],
)
def test_write_then_read_round_trips(name, value, text, read_back):
    assert fields.write(name, value) == text
    assert fields.read({name: text}) == {name: read_back}
