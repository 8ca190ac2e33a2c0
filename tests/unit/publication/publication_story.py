"""Builders of the upstream events publication consumes, for its tests at every level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from contracts import (
    Assigned,
    AssignmentSigned,
    CallbackRated,
    Channel,
    ClosureOutcome,
    ComplaintReceived,
    ComplaintWithdrawn,
    DeadlineBreached,
    DeadlineKind,
    Escalated,
    IntegrationEvent,
    ReplyAccepted,
    ReplyResult,
    Satisfaction,
    SupervisionLevel,
    TicketClosed,
    event_id_for,
)

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
START = datetime(2026, 9, 28, 1, 0, tzinfo=UTC)


class Story:
    """One ticket's upstream history, with positions per source that only go up."""

    positions: ClassVar[dict[str, int]] = {}

    def __init__(self, ticket_id: UUID | None = None, start: datetime = START) -> None:
        self.ticket_id = ticket_id or uuid4()
        self.at = start

    def _envelope(self, source: str) -> dict[str, Any]:
        Story.positions[source] = Story.positions.get(source, 0) + 1
        position = Story.positions[source]
        self.at += timedelta(hours=1)
        return {
            "event_id": event_id_for(source, self.ticket_id, position),
            "ticket_id": self.ticket_id,
            "occurred_at": self.at,
            "position": position,
        }

    def received(self, description: str = "小区路灯坏了三天", **fields: Any) -> ComplaintReceived:
        values: dict[str, Any] = {
            "channel": Channel.PHONE,
            "description": description,
            "district": "美兰区",
            "publication_consent": True,
            "citizen_ref": "ref-secret",
        }
        return ComplaintReceived(**self._envelope("intake"), **(values | fields))

    def assigned(self, unit_code: str = "water", **fields: Any) -> Assigned:
        values: dict[str, Any] = {"unit_name": "市水务局", "category": "供水", "rule": "test"}
        return Assigned(**self._envelope("routing"), unit_code=unit_code, **(values | fields))

    def signed(self, unit_code: str = "water") -> AssignmentSigned:
        return AssignmentSigned(**self._envelope("routing"), unit_code=unit_code)

    def breached(self, unit_code: str = "water") -> DeadlineBreached:
        return DeadlineBreached(
            **self._envelope("sla"),
            kind=DeadlineKind.RESOLUTION,
            due_at=self.at,
            unit_code=unit_code,
        )

    def escalated(self, level_number: int = 2) -> Escalated:
        level = list(SupervisionLevel)[level_number - 1]
        return Escalated(
            **self._envelope("sla"), level=level, level_number=level_number, reason="overdue"
        )

    def replied(self, text: str = "已维修路灯", unit_code: str = "water") -> ReplyAccepted:
        return ReplyAccepted(
            **self._envelope("feedback"),
            unit_code=unit_code,
            result=ReplyResult.SOLVED,
            public_reply=text,
        )

    def rated(
        self, satisfaction: Satisfaction = Satisfaction.SATISFIED, solved: bool = True
    ) -> CallbackRated:
        return CallbackRated(**self._envelope("feedback"), solved=solved, satisfaction=satisfaction)

    def closed(self, satisfaction: Satisfaction = Satisfaction.SATISFIED) -> TicketClosed:
        return TicketClosed(
            **self._envelope("feedback"),
            outcome=ClosureOutcome.SATISFIED,
            satisfaction=satisfaction,
            solved=True,
        )

    def withdrawn(self) -> ComplaintWithdrawn:
        return ComplaintWithdrawn(**self._envelope("intake"), reason="已自行解决")

    def handled_well(self, description: str = "小区路灯坏了三天") -> list[IntegrationEvent]:
        """A ticket aired, signed, replied, rated satisfied and closed on time."""
        return [
            self.received(description),
            self.assigned(),
            self.signed(),
            self.replied(),
            self.rated(),
            self.closed(),
        ]


def deliver(app: Any, *events: IntegrationEvent) -> None:
    """What the inbox consumer does with each message."""
    for event in events:
        app.process_event(event, Tracking(event.source, event.position))


STAFF_KEYS = {
    "centre-key-0123456789": "hotline_centre",
    "operator-key-0123456789": "operator",
    "unit-key-0123456789abc": "unit:water",
}


def board_app(application: Any, clock: Any = None) -> Any:
    """The publication routes over an in-memory application, without broker or relays."""
    from types import SimpleNamespace

    from fastapi import FastAPI

    from hotline.runtime.auth import Credentials, install_error_handlers
    from services.publication.main import SPEC

    app = FastAPI()
    install_error_handlers(app)
    for router in SPEC.routers:
        app.include_router(router)
    app.state.service = SimpleNamespace(application=application, spec=SPEC)
    app.state.credentials = Credentials(STAFF_KEYS)
    app.state.publication_clock = clock
    return app


def staff(role: str) -> dict[str, str]:
    key = next(key for key, value in STAFF_KEYS.items() if value == role)
    return {"X-API-Key": key}
