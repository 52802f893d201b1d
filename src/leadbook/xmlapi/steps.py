"""The seed's lead steps (459 project … 535 sleeping) and Leadbook's life cycle states.

Every step belongs to exactly one life cycle state. Within a state, a step is told apart by
the lead's status: a status whose alternative code is ``STEP<code>`` (e.g. ``STEP461``)
stands for that step. A lead whose status carries no step code shows its state's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from leadbook.domain.errors import InvalidValue
from leadbook.models import LifeCycleState


@dataclass(frozen=True)
class Step:
    code: int
    label: str
    life_cycle_state: str

    @property
    def status_code(self) -> str:
        """Returns the alternative code of the status standing for this step."""
        return f"STEP{self.code}"


STEPS = (
    Step(459, "project", LifeCycleState.PENDING),
    Step(460, "analysis", LifeCycleState.IN_PROGRESS),
    Step(461, "proposal", LifeCycleState.IN_PROGRESS),
    Step(462, "negociation", LifeCycleState.IN_PROGRESS),
    Step(463, "closing", LifeCycleState.IN_PROGRESS),
    Step(464, "production", LifeCycleState.IN_PROGRESS),
    Step(467, "exploitation", LifeCycleState.IN_PROGRESS),
    Step(469, "done", LifeCycleState.WON),
    Step(470, "lost", LifeCycleState.LOST),
    Step(535, "sleeping", LifeCycleState.IN_PROGRESS),
)
BY_CODE = {step.code: step for step in STEPS}
LOST = BY_CODE[470]
_BY_STATUS_CODE = {step.status_code: step for step in STEPS}
# the step shown for a state when the status names none; CANCELLED has no step of its own
DEFAULT_FOR_STATE: dict[str, Step] = {
    LifeCycleState.PENDING: BY_CODE[459],
    LifeCycleState.IN_PROGRESS: BY_CODE[460],
    LifeCycleState.WON: BY_CODE[469],
    LifeCycleState.LOST: BY_CODE[470],
    LifeCycleState.CANCELLED: BY_CODE[470],
}


def by_code(code: int) -> Step:
    """Returns the step with ``code``, or raises InvalidValue."""
    try:
        return BY_CODE[code]
    except KeyError:
        known = ", ".join(str(c) for c in BY_CODE)
        raise InvalidValue(f"Step {code} does not exist; the steps are {known}") from None


def step_of(life_cycle_state: str, status_alternative_code: str | None) -> Step:
    """Returns the step a lead in this state and status is at."""
    step = _BY_STATUS_CODE.get(status_alternative_code or "")
    if step is not None and step.life_cycle_state == life_cycle_state:
        return step
    return DEFAULT_FOR_STATE[life_cycle_state]
