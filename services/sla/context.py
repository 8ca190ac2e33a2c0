"""Where the SLA service gets its clock, policies and calendar: injected, not hard-wired.

A process uses the wall clock and the data files (or the files named by
`HOTLINE_SLA_POLICIES` / `HOTLINE_SLA_CALENDAR`). A test wraps the service's start in
`with using(SlaContext(clock=ManualClock(...), ...)):` — the application captures the
context when it is built, and its scheduler reads "now" from that clock — so the test
moves time by advancing the clock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from hotline.runtime.clock import Clock, SystemClock
from services.sla.deadlines import DeadlineRule
from services.sla.policies import DEFAULT_POLICIES, SlaRules, load_rules
from services.sla.workdays import DEFAULT_OVERRIDES, WorkingCalendar, load_calendar

POLICIES_VARIABLE = "HOTLINE_SLA_POLICIES"
CALENDAR_VARIABLE = "HOTLINE_SLA_CALENDAR"


@dataclass(frozen=True)
class SlaContext:
    clock: Clock = field(default_factory=SystemClock)
    rules: SlaRules = field(default_factory=lambda: load_rules(_path(POLICIES_VARIABLE)))
    calendar: WorkingCalendar = field(
        default_factory=lambda: load_calendar(_path(CALENDAR_VARIABLE))
    )
    tick_seconds: float = 0.5
    """How often the scheduler looks for due timers."""

    @cached_property
    def rule(self) -> DeadlineRule:
        return DeadlineRule(self.calendar, ZoneInfo(self.rules.timezone), self.rules.close_of_day)


_injected: list[SlaContext] = []


def current_context() -> SlaContext:
    """The injected context, else a fresh default one."""
    return _injected[-1] if _injected else SlaContext()


@contextmanager
def using(context: SlaContext) -> Iterator[SlaContext]:
    """SLA applications built inside this block use `context`."""
    _injected.append(context)
    try:
        yield context
    finally:
        _injected.remove(context)


def _path(variable: str) -> Path:
    default = DEFAULT_POLICIES if variable == POLICIES_VARIABLE else DEFAULT_OVERRIDES
    return Path(os.environ.get(variable) or default)
