"""The official working-day calendar: public holidays and make-up working days (调休).

The State Council's schedule comes from the `chinese-calendar` package; an override
file adds years the package does not cover yet and local adjustments. A day in a year
that no source covers raises `CalendarGap`: guessing "no holidays that year" would
silently move deadlines into the Spring Festival.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import chinese_calendar
import yaml

DEFAULT_OVERRIDES = Path(__file__).parent / "data" / "calendar_overrides.yaml"


class CalendarGap(Exception):
    """No calendar source covers `year`."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"no working-day calendar for {year}: chinese-calendar does not cover it and "
            f"the override file has no `years: {year}` entry"
        )
        self.year = year


@dataclass(frozen=True)
class YearSchedule:
    """A whole year given by the override file: its holidays and weekend working days."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class WorkingCalendar:
    """Answers "is this a working day?" from the official schedule plus overrides."""

    years: Mapping[int, YearSchedule] = field(default_factory=dict)
    local_holidays: frozenset[date] = frozenset()
    local_workdays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.local_workdays:
            return True
        if day in self.local_holidays:
            return False
        schedule = self.years.get(day.year)
        if schedule is not None:
            return _scheduled_working_day(day, schedule)
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise CalendarGap(day.year) from None

    def covers(self, year: int) -> bool:
        """Whether any source knows the holidays of `year`."""
        try:
            self.is_working_day(date(year, 1, 1))
        except CalendarGap:
            return False
        return True


def _scheduled_working_day(day: date, schedule: YearSchedule) -> bool:
    if day in schedule.workdays:
        return True
    if day in schedule.holidays:
        return False
    return day.weekday() < 5


def load_calendar(path: Path = DEFAULT_OVERRIDES) -> WorkingCalendar:
    """The official calendar with the overrides in `path` (YAML)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    local = data.get("local") or {}
    return WorkingCalendar(
        years={
            int(year): YearSchedule(
                holidays=_dates((entry or {}).get("holidays")),
                workdays=_dates((entry or {}).get("workdays")),
            )
            for year, entry in (data.get("years") or {}).items()
        },
        local_holidays=_dates(local.get("holidays")),
        local_workdays=_dates(local.get("workdays")),
    )


def _dates(values: Any) -> frozenset[date]:
    return frozenset(_as_date(value) for value in values or ())


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
