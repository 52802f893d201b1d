"""Time periods reproduce the values of the seed examples (anchored months)."""

from datetime import date, datetime

import pytest

from leadbook.domain import periods
from leadbook.domain.errors import InvalidValue


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2015, 3, 13), date(2015, 5, 13), (2, "MONTHS")),
        (date(2015, 5, 12), date(2016, 2, 16), (9.137931034482758, "MONTHS")),
        (date(2015, 5, 13), date(2016, 2, 16), (9.10344827586207, "MONTHS")),
        (date(2016, 3, 24), date(2016, 11, 1), (7.258064516129032, "MONTHS")),
        (date(2016, 11, 1), date(2016, 12, 1), (1, "MONTHS")),
        (date(2016, 10, 31), date(2016, 11, 3), (3, "DAYS")),
        (date(2018, 1, 22), date(2018, 1, 30), (1.1428571428571428, "WEEKS")),
        (date(2016, 11, 2), date(2016, 12, 1), (29 / 7, "WEEKS")),
        (date(2015, 3, 13), date(2018, 1, 22), (2.8657534246575342, "YEARS")),
        (date(2015, 3, 16), date(2015, 3, 16), (0, "DAYS")),
    ],
)
def test_between_matches_the_seed_values(a, b, expected):
    value, unit = periods.between(a, b)
    assert unit == expected[1]
    assert value == pytest.approx(expected[0], rel=1e-12)


def test_whole_values_are_integers():
    value, _ = periods.between(date(2015, 2, 16), date(2015, 5, 16))
    assert value == 3 and isinstance(value, int)


def test_add_keeps_the_time_of_day():
    start = datetime(2015, 2, 20, 17, 28, 30)
    assert periods.add(start, 3, "WEEKS") == datetime(2015, 3, 13, 17, 28, 30)
    assert periods.add(start, 1, "MONTHS") == datetime(2015, 3, 20, 17, 28, 30)
    assert periods.add(start, 2, "HOURS") == datetime(2015, 2, 20, 19, 28, 30)


def test_estimate_from_dates_round_trips():
    start = datetime(2018, 1, 22, 17, 28, 30)
    for value, unit in ((3, "WEEKS"), (2, "MONTHS"), (5, "DAYS"), (90, "MINUTES")):
        expected = periods.add(start, value, unit)
        assert periods.add(start, *periods.between_datetimes(start, expected)) == expected


def test_overdue_and_time_left_by_state():
    now = datetime(2016, 2, 16, 10, 0)
    past, future = datetime(2015, 5, 12, 15, 10), datetime(2016, 2, 19, 8, 0)
    assert periods.time_overdue("IN_PROGRESS", past, now)[1] == "MONTHS"
    assert periods.time_to_completion("IN_PROGRESS", past, now) is None
    assert periods.time_to_completion("PENDING", future, now) == (3, "DAYS")
    assert periods.time_overdue("CANCELLED", past, now) is not None
    assert periods.time_overdue("WON", past, now) is None
    assert periods.time_to_completion("LOST", future, now) is None


def test_unknown_unit_is_refused():
    with pytest.raises(InvalidValue):
        periods.add(datetime(2020, 1, 1), 1, "FORTNIGHTS")
