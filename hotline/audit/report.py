"""`hotline audit report`: what the inspection office (督查室, 纪委) looks at, for a period.

Five sections, each row a ticket fact found in the events of the period — overdue
(DeadlineBreached), returned three or more times (AssignmentReturned.returns_so_far),
rejected replies (ReplyRejected), repeated unsatisfied callbacks (TicketReopened with
round >= 2), escalations by level (Escalated) — and each row links to the ticket's
replayed timeline in the appendix, with the exact `hotline audit replay` command.
Built from integration events only (pure); rendered to printable HTML by Jinja2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

from jinja2 import Environment, FileSystemLoader, select_autoescape

from contracts import (
    AssignmentReturned,
    DeadlineBreached,
    Escalated,
    IntegrationEvent,
    ReplyRejected,
    SupervisionLevel,
    TicketReopened,
)
from contracts.fold import fold_as_of
from hotline.audit.timeline import LABELS, Replay, in_history_order, replay

CHINA = timezone(timedelta(hours=8), "CST")
"""Report dates are calendar days in China Standard Time."""
RETURNS_THRESHOLD = 3
REOPEN_THRESHOLD = 2
TEMPLATES = Path(__file__).parent / "templates"
LEVEL_NAMES = {
    1: "热线催办 hotline centre",
    2: "媒体曝光 media",
    3: "政务督查 government inspection",
    4: "人大政协 congress / CPPCC",
    5: "纪委 discipline inspection",
}


@dataclass(frozen=True)
class ReportRow:
    ticket_id: UUID
    at: datetime
    unit_code: str | None
    detail: str
    replay_command: str

    @property
    def anchor(self) -> str:
        return f"t-{self.ticket_id}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class Report:
    date_from: date
    date_to: date
    unit: str | None
    sections: tuple[Section, ...]
    escalations_by_level: tuple[tuple[int, str, tuple[ReportRow, ...]], ...]
    appendix: tuple[Replay, ...] = field(default=())

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def period(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start of the first day, end of the last day] in China Standard Time."""
    start = datetime.combine(date_from, time.min, CHINA)
    end = datetime.combine(date_to + timedelta(days=1), time.min, CHINA) - timedelta(microseconds=1)
    return start, end


def build_report(
    events: Sequence[IntegrationEvent], date_from: date, date_to: date, unit: str | None = None
) -> Report:
    start, end = period(date_from, date_to)
    ordered = in_history_order(events)
    by_ticket: dict[UUID, list[IntegrationEvent]] = {}
    for event in ordered:
        by_ticket.setdefault(event.ticket_id, []).append(event)
    in_period = [e for e in ordered if start <= e.occurred_at <= end]

    def row(event: IntegrationEvent, detail: str) -> ReportRow | None:
        holder = (
            _unit_of(event) or fold_as_of(by_ticket[event.ticket_id], event.occurred_at).unit_code
        )
        if unit is not None and holder != unit:
            return None
        command = f"hotline audit replay {event.ticket_id} --as-of {end.isoformat()}"
        return ReportRow(event.ticket_id, event.occurred_at, holder, detail, command)

    sections = (
        Section(
            "overdue", "超期工单 Overdue tickets", _rows(in_period, DeadlineBreached, _overdue, row)
        ),
        Section(
            "returned",
            f"退单{RETURNS_THRESHOLD}次及以上 Returned {RETURNS_THRESHOLD}+ times",
            _most_returned(in_period, row),
        ),
        Section(
            "rejected", "驳回重办 Rejected replies", _rows(in_period, ReplyRejected, _rejected, row)
        ),
        Section(
            "unsatisfied",
            "多次回访不满意 Repeatedly unsatisfied callbacks",
            _rows(in_period, TicketReopened, _reopened, row),
        ),
    )
    levels = tuple(
        (number, LEVEL_NAMES[number], _rows(in_period, Escalated, _escalated_to(number), row))
        for number in range(1, len(SupervisionLevel) + 1)
    )
    mentioned = {r.ticket_id for s in sections for r in s.rows}
    mentioned |= {r.ticket_id for _, _, rows in levels for r in rows}
    appendix = tuple(
        replay(ticket_id, by_ticket[ticket_id], as_of=end)
        for ticket_id in sorted(mentioned, key=lambda t: (by_ticket[t][0].occurred_at, str(t)))
    )
    return Report(date_from, date_to, unit, sections, levels, appendix)


Describe = Callable[[Any], "str | None"]
RowMaker = Callable[[IntegrationEvent, str], "ReportRow | None"]


def _rows(
    events: Sequence[IntegrationEvent],
    kind: type[IntegrationEvent],
    describe: Describe,
    row: RowMaker,
) -> tuple[ReportRow, ...]:
    found = []
    for event in events:
        if isinstance(event, kind) and (detail := describe(event)) is not None:
            made = row(event, detail)
            if made is not None:
                found.append(made)
    return tuple(found)


def _overdue(event: DeadlineBreached) -> str:
    return f"{event.kind.value} due {event.due_at.astimezone(CHINA):%Y-%m-%d %H:%M}"


def _rejected(event: ReplyRejected) -> str:
    return "; ".join(event.reasons)


def _reopened(event: TicketReopened) -> str | None:
    return f"round {event.round}" if event.round >= REOPEN_THRESHOLD else None


def _escalated_to(level_number: int) -> Describe:
    def describe(event: Escalated) -> str | None:
        return event.reason if event.level_number == level_number else None

    return describe


def _most_returned(events: Sequence[IntegrationEvent], row: RowMaker) -> tuple[ReportRow, ...]:
    """One row per ticket: its highest return count in the period, if at the threshold."""
    latest: dict[UUID, AssignmentReturned] = {}
    for event in events:
        if isinstance(event, AssignmentReturned) and event.returns_so_far >= RETURNS_THRESHOLD:
            known = latest.get(event.ticket_id)
            if known is None or event.returns_so_far >= known.returns_so_far:
                latest[event.ticket_id] = event
    made = (
        row(event, f"returned {event.returns_so_far} times, last: {event.reason.value}")
        for event in latest.values()
    )
    return tuple(sorted((r for r in made if r is not None), key=lambda r: r.at))


def _unit_of(event: IntegrationEvent) -> str | None:
    value = getattr(event, "unit_code", None)
    return value if isinstance(value, str) else None


def render_html(report: Report) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["cst"] = lambda moment: moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    return environment.get_template("report.html.j2").render(report=report, labels=LABELS)
