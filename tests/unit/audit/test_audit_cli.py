"""`hotline audit …` refuses bad input clearly (exit 2) and changes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from uuid import uuid4

import pytest

from hotline.audit.cli import BAD_INPUT, register, replay_command, report_command
from hotline.settings import Settings


def parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(prog="hotline")
    register(made.add_subparsers(dest="command", required=True))
    return made


def test_every_audit_command_is_registered() -> None:
    for argv in (
        ["audit", "verify", "--service", "sla"],
        ["audit", "proof", "--service", "sla", "--position", "3"],
        ["audit", "replay", str(uuid4()), "--as-of", "2026-03-01T00:00+08:00", "--json"],
        ["audit", "report", "--from", "2026-03-01", "--to", "2026-03-31", "--html", "r.html"],
    ):
        assert callable(parser().parse_args(argv).func)


def test_a_ticket_id_that_is_not_a_uuid_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay_command(Settings(data_dir=tmp_path), "not-a-ticket", None) == BAD_INPUT
    assert "error:" in capsys.readouterr().err


def test_an_as_of_without_a_timezone_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = replay_command(Settings(data_dir=tmp_path), str(uuid4()), "2026-03-01T10:00")
    assert code == BAD_INPUT
    assert "needs a timezone" in capsys.readouterr().err


def test_a_report_period_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code = report_command(Settings(data_dir=tmp_path), "2026-03-31", "2026-03-01", None, target)
    assert code == BAD_INPUT
    assert not target.exists()
