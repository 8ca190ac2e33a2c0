"""`hotline sla …`: compute a deadline from the command line with the service's own rule."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from services.sla.context import SlaContext
from services.sla.deadlines import Span
from services.sla.policies import DEFAULT_POLICIES, load_rules
from services.sla.workdays import DEFAULT_OVERRIDES, CalendarGap, load_calendar

EXIT_BAD_INPUT = 2
EXIT_NO_CALENDAR = 3


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sla = commands.add_parser("sla", help="deadlines and the working-day calendar")
    sla_commands = sla.add_subparsers(dest="sla_command", required=True)
    due = sla_commands.add_parser(
        "due", help="print the deadline of a span started at an instant (ISO 8601 with offset)"
    )
    due.add_argument(
        "--start", required=True, help="ISO 8601 with offset, e.g. 2026-09-30T10:00:00+08:00"
    )
    span = due.add_mutually_exclusive_group(required=True)
    span.add_argument("--working-days", type=int, help="N working days")
    span.add_argument("--hours", type=int, help="N clock hours")
    due.add_argument("--calendar", type=Path, default=DEFAULT_OVERRIDES, help="override file")
    due.add_argument("--policies", type=Path, default=DEFAULT_POLICIES, help="policies file")
    due.set_defaults(func=cmd_due)


def cmd_due(args: argparse.Namespace) -> int:
    try:
        start = datetime.fromisoformat(args.start)
        if start.tzinfo is None:
            raise ValueError("--start needs a UTC offset, e.g. +08:00")
        span = (
            Span(args.working_days, "wd")
            if args.working_days is not None
            else Span(args.hours, "h")
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    context = SlaContext(rules=load_rules(args.policies), calendar=load_calendar(args.calendar))
    try:
        due = context.rule.due_at(start, span)
    except CalendarGap as gap:
        print(f"error: deadline uncomputable: {gap}", file=sys.stderr)
        return EXIT_NO_CALENDAR
    print(due.isoformat())
    return 0
