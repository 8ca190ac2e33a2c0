"""Properties of the working-day rule over every start in 2025–2026 that hypothesis tries."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sla_story import SHANGHAI

from services.sla.deadlines import DeadlineRule, Span
from services.sla.workdays import load_calendar

CALENDAR = load_calendar()
RULE = DeadlineRule(CALENDAR)
starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(SHANGHAI)
)


@settings(max_examples=200, deadline=None)
@given(start=starts, days=st.integers(min_value=1, max_value=15))
def test_n_working_days_end_at_18_on_a_working_day_with_n_working_days_after_the_start_day(
    start: datetime, days: int
) -> None:
    due = RULE.due_at(start, Span(days, "wd"))

    assert (due.hour, due.minute) == (18, 0)
    assert CALENDAR.is_working_day(due.date())
    between = [
        start.date() + timedelta(days=offset)
        for offset in range(1, (due.date() - start.date()).days + 1)
    ]
    assert sum(CALENDAR.is_working_day(day) for day in between) == days


@settings(max_examples=100, deadline=None)
@given(start=starts, hours=st.integers(min_value=1, max_value=72))
def test_hours_are_exact_clock_hours(start: datetime, hours: int) -> None:
    assert RULE.due_at(start, Span(hours, "h")) - start == timedelta(hours=hours)
