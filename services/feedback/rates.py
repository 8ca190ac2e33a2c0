"""三率 — response, resolution and satisfaction rate per unit and month — from feedback's log.

Pure fold over stored domain events (no I/O): the application reads its own log and
hands the events here, so the figures can always be recomputed and audited.
Months are calendar months in China time (Asia/Shanghai).

* **response rate** (响应率): of the tickets assigned to the unit in the month, the share
  the unit signed for and for which SLA reported no missed sign-in or first-contact
  deadline (签收并及时联系群众).
* **resolution rate** (解决率): of the callbacks in the month in which the citizen gave a
  verdict on the unit's work, the share where the citizen said the problem was solved.
* **satisfaction rate** (满意率): of the same callbacks, the share rated 非常满意, 满意 or
  基本满意.
* **unreachable** (无法联系): tickets closed in the month because three callback
  attempts on different days failed; counted separately, in no rate's denominator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
SATISFIED_LEVELS = frozenset({"very_satisfied", "satisfied", "basically_satisfied"})
MISSED_RESPONSE_KINDS = frozenset({"sign_in", "first_contact"})
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class InvalidPeriod(ValueError):
    """A period is a month written YYYY-MM."""


def parse_period(text: str) -> str:
    if not _PERIOD.match(text):
        raise InvalidPeriod(f"period must be a month written YYYY-MM, not {text!r}")
    return text


def period_of(moment: datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m")


@dataclass
class UnitRates:
    """The counts behind one unit's rates in one month."""

    unit_code: str
    assigned: int = 0
    responded: int = 0
    rated: int = 0
    solved: int = 0
    satisfied: int = 0
    unreachable: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.assigned if self.assigned else None

    @property
    def resolution_rate(self) -> float | None:
        return self.solved / self.rated if self.rated else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "assigned": self.assigned,
            "responded": self.responded,
            "response_rate": self.response_rate,
            "rated": self.rated,
            "solved": self.solved,
            "resolution_rate": self.resolution_rate,
            "satisfied": self.satisfied,
            "satisfaction_rate": self.satisfaction_rate,
            "unreachable": self.unreachable,
        }


@dataclass
class _Fold:
    """Sign-ins and breaches may be logged before or after the assignment they concern,
    so each is collected on its own and combined at the end."""

    period: str
    assigned: set[tuple[UUID, str]] = field(default_factory=set)
    signed: set[tuple[UUID, str]] = field(default_factory=set)
    missed: set[tuple[UUID, str]] = field(default_factory=set)
    units: dict[str, UnitRates] = field(default_factory=dict)

    def unit(self, code: str) -> UnitRates:
        return self.units.setdefault(code, UnitRates(code))


def compute_rates(events: Iterable[Any], period: str) -> list[UnitRates]:
    """Every unit's counts and rates for `period` (YYYY-MM), sorted by unit code."""
    fold = _Fold(parse_period(period))
    for event in events:
        _apply(fold, type(event).__name__, event)
    for key in fold.assigned:
        rates = fold.unit(key[1])
        rates.assigned += 1
        rates.responded += int(key in fold.signed and key not in fold.missed)
    return [fold.units[code] for code in sorted(fold.units)]


def _apply(fold: _Fold, name: str, event: Any) -> None:
    ticket: UUID = event.originator_id
    if name == "AssignmentNoted" and period_of(event.assigned_at) == fold.period:
        fold.assigned.add((ticket, event.unit_code))
    elif name == "SignedNoted":
        fold.signed.add((ticket, event.unit_code))
    elif name == "BreachNoted" and event.kind in MISSED_RESPONSE_KINDS:
        fold.missed.add((ticket, event.unit_code))
    elif name == "CallbackRated" and event.unit_code and period_of(event.rated_at) == fold.period:
        rates = fold.unit(event.unit_code)
        rates.rated += 1
        rates.solved += int(event.solved)
        rates.satisfied += int(event.satisfaction in SATISFIED_LEVELS)
    elif (
        name == "Closed"
        and event.outcome == "unreachable"
        and event.unit_code
        and period_of(event.closed_at) == fold.period
    ):
        fold.unit(event.unit_code).unreachable += 1
