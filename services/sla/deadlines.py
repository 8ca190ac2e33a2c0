"""The deadline rule: from a start instant and an allowed span to a due instant.

"N working days" ends at the close of working hours (default 18:00 local) of the Nth
working day after the start day; the start day itself does not count, whatever the
hour. "N hours" counts clock hours, nights and holidays included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from services.sla.workdays import WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSE_OF_DAY = time(18, 0)
MAX_WORKING_DAYS = 400

_SPAN = re.compile(r"^(?P<amount>[1-9][0-9]*)(?P<unit>wd|h)$")


@dataclass(frozen=True)
class Span:
    """An allowed time: `amount` working days (`wd`) or clock hours (`h`)."""

    amount: int
    unit: Literal["wd", "h"]

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError("a span is at least 1")
        if self.unit == "wd" and self.amount > MAX_WORKING_DAYS:
            raise ValueError(f"at most {MAX_WORKING_DAYS} working days")

    @classmethod
    def parse(cls, text: str) -> Span:
        """`5wd` or `24h`."""
        found = _SPAN.match(str(text).strip())
        if found is None:
            raise ValueError(f"not a span: {text!r} (write e.g. 5wd or 24h)")
        unit: Literal["wd", "h"] = "wd" if found["unit"] == "wd" else "h"
        return cls(int(found["amount"]), unit)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class DeadlineRule:
    """Where and when working days end."""

    calendar: WorkingCalendar
    zone: ZoneInfo = SHANGHAI
    close_of_day: time = CLOSE_OF_DAY

    def due_at(self, start: datetime, span: Span) -> datetime:
        """The instant the span ends, in the rule's zone.

        Raises `CalendarGap` when a working day would fall in a year no calendar covers.
        """
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if span.unit == "h":
            return (start + timedelta(hours=span.amount)).astimezone(self.zone)
        day = start.astimezone(self.zone).date()
        counted = 0
        while counted < span.amount:
            day += timedelta(days=1)
            if self.calendar.is_working_day(day):
                counted += 1
        return datetime.combine(day, self.close_of_day, tzinfo=self.zone)
