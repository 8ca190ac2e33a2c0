"""A scripted month (March 2026) of tickets for the inspection report, plus a ticket on
each side of the month. Which ticket gets what is decided by simple rules on its day
number, so a test can count what the report must show without running the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from audit_story import CST, Story

from contracts import (
    Assigned,
    AssignmentReturned,
    ComplaintReceived,
    DeadlineBreached,
    Escalated,
    IntegrationEvent,
    ReplyRejected,
    TicketReopened,
)

MARCH = range(1, 32)


def overdue(day: int) -> bool:
    return day % 4 == 0


def escalated_twice(day: int) -> bool:
    return day % 8 == 0


def returned_thrice(day: int) -> bool:
    return day % 5 == 0


def rejected(day: int) -> bool:
    return day % 6 == 0


def reopened_twice(day: int) -> bool:
    return day % 7 == 0


def unit_of(day: int) -> str:
    return "water" if day % 2 == 0 else "housing"


@dataclass
class Month:
    events: list[IntegrationEvent]
    tickets: dict[int, UUID]


def one_ticket(opened: datetime, day: int) -> Story:
    story = Story(origin=opened)
    unit = unit_of(day)
    hours = iter(range(1, 100))

    def later() -> timedelta:
        return timedelta(hours=next(hours))

    story.add(ComplaintReceived, timedelta(0), channel="app", description=f"第{day}天的投诉")
    story.add(Assigned, later(), unit_code=unit, unit_name=unit, rule="catalogue")
    if returned_thrice(day):
        for count in (1, 2, 3):
            story.add(
                AssignmentReturned,
                later(),
                unit_code=unit,
                reason="not_our_duty",
                returns_so_far=count,
            )
    if rejected(day):
        story.add(ReplyRejected, later(), unit_code=unit, reasons=("套话 boilerplate",))
    if reopened_twice(day):
        story.add(TicketReopened, later(), round=1, unit_code=unit)
        story.add(TicketReopened, later(), round=2, unit_code=unit)
    if overdue(day):
        story.add(
            DeadlineBreached,
            later(),
            kind="resolution",
            due_at=opened + timedelta(hours=2),
            unit_code=unit,
        )
        story.add(
            Escalated,
            later(),
            level="hotline_centre",
            level_number=1,
            reason="overdue",
            unit_code=unit,
        )
        if escalated_twice(day):
            story.add(
                Escalated,
                later(),
                level="media",
                level_number=2,
                reason="still overdue",
                unit_code=unit,
            )
    return story


def scripted_month() -> Month:
    events: list[IntegrationEvent] = []
    tickets: dict[int, UUID] = {}
    for day in MARCH:
        story = one_ticket(datetime(2026, 3, day, 9, 0, tzinfo=CST), day)
        events += story.events
        tickets[day] = story.ticket_id
    for outside in (datetime(2026, 2, 26, 9, tzinfo=CST), datetime(2026, 4, 1, 9, tzinfo=CST)):
        events += one_ticket(outside, 24).events  # overdue, escalated twice, rejected
    return Month(events, tickets)


def days_where(rule: Callable[[int], bool], unit: str | None = None) -> list[int]:
    return [day for day in MARCH if rule(day) and (unit is None or unit_of(day) == unit)]
