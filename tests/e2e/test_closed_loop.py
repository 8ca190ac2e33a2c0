"""One ticket through the whole closed loop, all five services running on the real broker.

Story: a citizen phones about a danger in their building. No model is trained and no
catalogue rule matches, so routing queues the ticket and an operator dispatches it as
an emergency (hour-based deadlines). The unit signs, then returns it as not its duty;
the hotline centre accepts the return and re-routes it to a second unit, which signs and
asks for twelve more hours (granted). Time passes beyond the new deadline: SLA records
the breaches and escalates (督办). The unit
replies; the reply passes the quality check; the citizen is unsatisfied on callback,
so the ticket reopens and goes back to the unit; a second reply, a satisfied callback,
and the ticket closes. Then audit replays the ticket from the five stores: every step
is there, in each service's order, and the fold says closed.

SLA runs on an injected clock, so "time passes" is a line of code; the other services
use real time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from contracts import (
    DeadlineClass,
    DeadlineKind,
    DeadlineSet,
    Escalated,
    IntegrationEvent,
    ReturnReason,
)
from contracts.fold import TicketStatus
from hotline.audit.sources import events_from_stores
from hotline.audit.timeline import replay
from hotline.runtime.clock import ManualClock
from hotline.settings import SERVICE_NAMES, Settings
from services.feedback.application import RecordCallback, SubmitReply
from services.intake.application import Contact, ReceiveComplaint
from services.routing.catalogue import load_catalogue
from services.routing.domain import Status
from services.sla.context import SlaContext, using

from support import eventually, running

pytestmark = pytest.mark.timeout(300)

REPLY = (
    "经现场核查，沿江三东路共有三盏路灯因线路老化损坏。我局已于本周更换老化电缆并修复全部路灯，"
    "夜间照明已恢复正常；后续每周巡查该路段线路，发现问题及时处理，并已电话告知市民处理结果。"
)


def two_units() -> tuple[str, str]:
    units = [u.code for u in load_catalogue().units if u.code.startswith("u-")]
    return units[0], units[1]


def events_of(settings: Settings, ticket_id: UUID, service: str) -> list[IntegrationEvent]:
    return sorted(
        events_from_stores(settings, ticket_id, services=[service]), key=lambda e: e.position
    )


def types_of(settings: Settings, ticket_id: UUID, service: str) -> list[str]:
    return [e.event_type for e in events_of(settings, ticket_id, service)]


def has(settings: Settings, ticket_id: UUID, service: str, *wanted: str) -> Callable[[], bool]:
    """A condition: the service has recorded at least these events (with repeats)."""

    def check() -> bool:
        found = types_of(settings, ticket_id, service)
        return all(found.count(name) >= wanted.count(name) for name in set(wanted))

    return check


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_ticket_travels_the_whole_loop_and_replays_from_the_logs(
    settings: Settings,
) -> None:
    first_unit, second_unit = two_units()
    clock = ManualClock(datetime.now(UTC))
    with using(SlaContext(clock=clock, tick_seconds=0.02)):
        async with running(settings, *SERVICE_NAMES) as services:
            intake, routing = services["intake"], services["routing"].application
            sla, feedback = services["sla"].application, services["feedback"].application

            complaint = ReceiveComplaint(
                channel="phone",
                description="我们楼里有件事情一直没人管，很危险，希望尽快派人来看看。",
                district="美兰区",
                contact=Contact(name="张三", phone="13800001234"),
            )
            ticket = await call(intake.application.receive_complaint, complaint, intake.keyring)

            await eventually(lambda: dispatch_status(routing, ticket) == Status.QUEUED)
            await call(
                routing.dispatch_manually,
                ticket,
                first_unit,
                None,
                DeadlineClass.EMERGENCY,
                "operator-1",
            )
            await call(routing.sign, ticket, first_unit)
            await call(
                routing.give_back,
                ticket,
                first_unit,
                ReturnReason.NOT_OUR_DUTY,
                "道路照明归另一单位",
            )
            await call(routing.review_return, ticket, True, "accepted", second_unit)
            await call(routing.sign, ticket, second_unit)

            await eventually(has(settings, ticket, "sla", "DeadlineSet", "DeadlineSet"))
            await eventually(lambda: sla.deadlines_of(ticket).unit_code == second_unit)
            extended = resolution_due(settings, ticket) + timedelta(hours=12)
            await call(sla.request_extension, ticket, second_unit, "需协调物业", extended, None)
            await call(sla.decide_extension, ticket, True, "同意延期", None)
            await eventually(lambda: resolution_due(settings, ticket) == extended)
            clock.set(extended + timedelta(minutes=1))
            await eventually(has(settings, ticket, "sla", "DeadlineBreached", "Escalated"))

            await eventually(lambda: holder(feedback, ticket) == second_unit)
            verdict = await call(feedback.submit_reply, reply(ticket, second_unit))
            assert verdict.accepted, verdict.reasons
            await call(feedback.record_callback, callback(ticket, satisfaction="unsatisfied"))
            await eventually(has(settings, ticket, "routing", "Assigned", "Assigned", "Assigned"))

            verdict = await call(feedback.submit_reply, reply(ticket, second_unit))
            assert verdict.accepted, verdict.reasons
            await call(feedback.record_callback, callback(ticket, satisfaction="satisfied"))
            await eventually(has(settings, ticket, "feedback", "TicketClosed"))
            await eventually(lambda: dispatch_status(routing, ticket) == Status.CLOSED)

    assert types_of(settings, ticket, "routing") == [
        "ManualDispatchQueued",
        "Assigned",
        "AssignmentSigned",
        "AssignmentReturned",
        "ReturnReviewed",
        "Assigned",
        "AssignmentSigned",
        "Assigned",
    ]
    sla_types = types_of(settings, ticket, "sla")
    assert sla_types.index("ExtensionRequested") < sla_types.index("ExtensionDecided")
    assert sla_types.index("ExtensionDecided") < sla_types.index("DeadlineBreached")
    levels = [
        e.level_number for e in events_of(settings, ticket, "sla") if isinstance(e, Escalated)
    ]
    assert levels[0] == 1, "the first escalation is the hotline centre's own (催办)"
    assert [t for t in types_of(settings, ticket, "feedback") if t != "ReplySubmitted"] == [
        "ReplyAccepted",
        "CallbackRated",
        "TicketReopened",
        "ReplyAccepted",
        "CallbackRated",
        "TicketClosed",
    ]

    history = replay(ticket, events_from_stores(settings, ticket))
    assert history.state.status is TicketStatus.CLOSED
    assert history.state.reopen_round == 1
    sources = {entry.service for entry in history.entries}
    assert {"intake", "routing", "sla", "feedback"} <= sources


async def call(function: Callable[..., Any], *args: Any) -> Any:
    """Commands are synchronous (eventsourcing); run them off the event loop, as the API does."""
    import asyncio

    return await asyncio.to_thread(function, *args)


def resolution_due(settings: Settings, ticket: UUID) -> datetime:
    """The latest resolution deadline SLA has set (an extension sets a new one)."""
    return [
        e.due_at
        for e in events_of(settings, ticket, "sla")
        if isinstance(e, DeadlineSet) and e.kind is DeadlineKind.RESOLUTION
    ][-1]


def dispatch_status(routing: Any, ticket: UUID) -> Status | None:
    dispatch = routing.find(ticket)
    return getattr(dispatch, "status", None)


def holder(feedback: Any, ticket: UUID) -> str | None:
    follow_up = feedback.find(ticket)
    return getattr(follow_up, "handling_unit", None)


def reply(ticket: UUID, unit: str) -> SubmitReply:
    now = datetime.now(UTC)
    return SubmitReply(
        ticket_id=ticket,
        unit_code=unit,
        result="solved",
        public_reply=REPLY,
        measures="更换老化电缆，修复三盏路灯",
        evidence_urls=("https://example.org/evidence/lamp-1.jpg",),
        contacted_citizen_at=now - timedelta(minutes=5),
        at=now,
    )


def callback(ticket: UUID, satisfaction: str) -> RecordCallback:
    return RecordCallback(
        ticket_id=ticket,
        reached=True,
        attempted_at=datetime.now(UTC),
        solved=satisfaction != "unsatisfied",
        satisfaction=satisfaction,
    )
