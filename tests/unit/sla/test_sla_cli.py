"""`hotline sla due` prints the deadline with its offset, and refuses a year without data."""

from __future__ import annotations

import pytest

from hotline.cli import main


def test_due_prints_the_documented_national_day_example(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sla", "due", "--start", "2026-09-30T10:00:00+08:00", "--working-days", "5"])

    assert (code, capsys.readouterr().out) == (0, "2026-10-13T18:00:00+08:00\n")


def test_due_counts_hours_and_answers_in_shanghai_time(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sla", "due", "--start", "2026-09-30T02:00:00Z", "--hours", "24"])

    assert (code, capsys.readouterr().out) == (0, "2026-10-01T10:00:00+08:00\n")


def test_due_flags_a_year_with_no_calendar_data(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sla", "due", "--start", "2026-12-30T10:00:00+08:00", "--working-days", "5"])

    captured = capsys.readouterr()
    assert (code, captured.out) == (3, "")
    assert "no working-day calendar for 2027" in captured.err


def test_due_rejects_a_start_without_offset(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sla", "due", "--start", "2026-09-30T10:00:00", "--working-days", "5"])

    assert code == 2
    assert "offset" in capsys.readouterr().err
