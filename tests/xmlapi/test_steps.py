"""Each seed step belongs to one life cycle state; statuses coded STEP<n> tell steps apart."""

from __future__ import annotations

import pytest

from leadbook.domain.errors import InvalidValue
from leadbook.models import LIFE_CYCLE_STATES
from leadbook.xmlapi import steps


def test_every_seed_step_is_mapped_to_a_leadbook_state():
    codes = [459, 460, 461, 462, 463, 464, 467, 469, 470, 535]
    assert [s.code for s in steps.STEPS] == codes
    assert {s.life_cycle_state for s in steps.STEPS} <= set(LIFE_CYCLE_STATES)


@pytest.mark.parametrize(
    "state, status_code, step",
    [
        ("PENDING", None, 459),
        ("IN_PROGRESS", "LRN", 460),
        ("IN_PROGRESS", "STEP462", 462),
        ("IN_PROGRESS", "STEP535", 535),
        ("WON", "STEP462", 469),
        ("LOST", None, 470),
        ("CANCELLED", None, 470),
    ],
)
def test_step_of_a_lead(state, status_code, step):
    assert steps.step_of(state, status_code).code == step


def test_unknown_step_is_refused():
    with pytest.raises(InvalidValue):
        steps.by_code(468)
