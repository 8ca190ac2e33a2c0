"""The working-day calendar and the deadline rule, held against chinese-calendar's 2026."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar
import pytest
from sla_story import local

from services.sla.deadlines import DeadlineRule, Span
from services.sla.workdays import CalendarGap, load_calendar

RULE = DeadlineRule(load_calendar())


def test_national_day_2026_and_both_make_up_weekend_days_follow_the_official_calendar() -> None:
    calendar = load_calendar()
    days = [date(2026, 9, 20), date(2026, 10, 10), *(date(2026, 10, d) for d in range(1, 8))]

    assert [calendar.is_working_day(d) for d in days] == [
        chinese_calendar.is_workday(d) for d in days
    ]
    assert [calendar.is_working_day(d) for d in days] == [True, True] + [False] * 7


def test_five_working_days_from_the_eve_of_national_day_end_on_13_october_at_18() -> None:
    assert RULE.due_at(local("2026-09-30 10:00"), Span.parse("5wd")) == local("2026-10-13 18:00")


def test_the_start_day_does_not_count_even_when_it_starts_just_after_midnight() -> None:
    assert RULE.due_at(local("2026-10-12 00:05"), Span.parse("1wd")) == local("2026-10-13 18:00")


def test_the_make_up_sunday_before_the_holiday_is_a_working_day() -> None:
    assert RULE.due_at(local("2026-09-18 17:00"), Span.parse("1wd")) == local("2026-09-20 18:00")


def test_hours_count_clock_hours_through_the_holiday() -> None:
    assert RULE.due_at(local("2026-10-01 09:30"), Span.parse("24h")) == local("2026-10-02 09:30")


def test_a_deadline_in_a_year_no_calendar_covers_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarGap) as gap:
        RULE.due_at(local("2026-12-30 10:00"), Span.parse("5wd"))
    assert gap.value.year == 2027


def test_an_override_file_covers_a_missing_year_and_local_days_win(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: []\n"
        "local:\n  holidays: [2026-12-31]\n  workdays: []\n"
    )
    rule = DeadlineRule(load_calendar(overrides))

    # Dec 31 local holiday, Jan 1 holiday, Jan 2–3 weekend: Mon Jan 4 is the first working day.
    assert rule.due_at(local("2026-12-30 10:00"), Span.parse("1wd")) == local("2027-01-04 18:00")
