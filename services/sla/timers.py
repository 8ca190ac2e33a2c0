"""Which timers a clock has pending, and firing those that fell due.

A clock's timers are derived from its state (never stored separately): a warning per
unfired fraction, a breach per running deadline, and the next overdue ladder step of a
breached deadline that escalates. The scheduler only needs each ticket's earliest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import structlog

from contracts import DeadlineKind
from services.sla.deadlines import DeadlineRule
from services.sla.domain import TOP_LEVEL, Clock, Deadline
from services.sla.policies import SlaRules
from services.sla.workdays import CalendarGap

log = structlog.get_logger(__name__)

Action = Literal["warn", "breach", "escalate"]


KIND_ORDER = {kind: rank for rank, kind in enumerate(DeadlineKind)}


@dataclass(frozen=True)
class Timer:
    fire_at: datetime
    action: Action
    kind: DeadlineKind
    fraction: float = 0.0

    def sort_key(self) -> tuple[datetime, float, int, str]:
        """Earliest first; at one instant, lower fractions, then sign-in before resolution."""
        return (self.fire_at, self.fraction, KIND_ORDER[self.kind], self.action)


def pending_timers(clock: Clock, rules: SlaRules, rule: DeadlineRule) -> list[Timer]:
    """Every timer still to fire, earliest first; none while stopped or paused."""
    if not clock.running or clock.paused_at is not None:
        return []
    timers: list[Timer] = []
    for deadline in clock.deadlines.values():
        if deadline.met:
            continue
        if not deadline.breached:
            timers.extend(_warnings(deadline, rules))
            timers.append(Timer(deadline.due_at, "breach", deadline.kind))
        elif deadline.kind in rules.escalate_on_breach_of:
            step = _next_ladder_step(clock, deadline, rules, rule)
            if step is not None:
                timers.append(step)
    return sorted(timers, key=Timer.sort_key)


def next_fire_at(clock: Clock, rules: SlaRules, rule: DeadlineRule) -> datetime | None:
    timers = pending_timers(clock, rules, rule)
    return timers[0].fire_at if timers else None


def fire_due(clock: Clock, now: datetime, rules: SlaRules, rule: DeadlineRule) -> int:
    """Fire, in order, every timer due at `now`; returns how many fired."""
    fired = 0
    while True:
        timers = pending_timers(clock, rules, rule)
        if not timers or timers[0].fire_at > now:
            return fired
        _fire(clock, timers[0], now, rules)
        fired += 1


def _warnings(deadline: Deadline, rules: SlaRules) -> list[Timer]:
    allowed = deadline.due_at - deadline.starts_at
    return [
        Timer(deadline.starts_at + allowed * fraction, "warn", deadline.kind, fraction)
        for fraction in rules.warning_fractions
        if fraction not in deadline.warned
    ]


def _next_ladder_step(
    clock: Clock, deadline: Deadline, rules: SlaRules, rule: DeadlineRule
) -> Timer | None:
    """Step k+1 of the overdue ladder comes `ladder_steps[k-1]` after step k (step 1 = breach)."""
    if clock.level >= TOP_LEVEL or clock.overdue_steps > len(rules.ladder_steps):
        return None
    when = deadline.due_at
    try:
        for span in rules.ladder_steps[: clock.overdue_steps]:
            when = rule.due_at(when, span)
    except CalendarGap as gap:
        log.error("sla.ladder_uncomputable", ticket_id=str(clock.id), missing_year=gap.year)
        return None
    return Timer(when, "escalate", deadline.kind)


def _fire(clock: Clock, timer: Timer, now: datetime, rules: SlaRules) -> None:
    deadline = clock.deadlines[timer.kind]
    if timer.action == "warn":
        clock.warn(
            kind=timer.kind.value,
            fraction=timer.fraction,
            due_at=deadline.due_at,
            unit_code=clock.unit_code,
            at=now,
            trace=clock.trace,
        )
        return
    if timer.action == "breach":
        clock.breach(
            kind=timer.kind.value,
            due_at=deadline.due_at,
            unit_code=clock.unit_code,
            at=now,
            trace=clock.trace,
        )
    if timer.kind in rules.escalate_on_breach_of:
        clock.escalate_one_level(f"overdue: {timer.kind.value}", now, overdue_step=True)
