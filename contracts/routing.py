"""Events published by the routing service, which decides who handles a ticket."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event, register_upcaster


class DispatchLevel(StrEnum):
    """三级交办: how the ticket was dispatched."""

    DIRECT = "direct"
    """即交即办: the owner is clear."""
    CONSULTATION = "consultation"
    """会商: the hotline centre named a lead unit and co-handlers."""
    LEADER = "leader"
    """领导交办: a major issue dispatched at leadership level."""


class DeadlineClass(StrEnum):
    """Which SLA policy applies; the catalogue maps categories to it."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    NORMAL = "normal"
    COMPLEX = "complex"


class ReturnReason(StrEnum):
    """The fixed reasons a unit may give for returning a ticket (退单)."""

    WRONG_TERRITORY = "wrong_territory"
    NOT_OUR_DUTY = "not_our_duty"
    OVERLAPPING_DUTIES = "overlapping_duties"
    INSUFFICIENT_INFORMATION = "insufficient_information"


@register_event
class Assigned(IntegrationEvent):
    """The ticket was assigned to a handling unit, which now holds it.

    Records which rule or model decided, so a wrong assignment can be traced to
    its cause and the SLA clock can start for the right unit. A ticket is assigned
    again after an accepted return, a consultation, or a reopen.
    """

    event_type: Literal["Assigned"] = "Assigned"
    schema_version: Literal[2] = 2
    source: Literal["routing"] = "routing"

    unit_code: str = Field(min_length=1)
    """Code of the handling (lead) unit."""
    unit_name: str = Field(min_length=1)
    """Display name of the handling unit."""
    category: str | None = None
    """The category routing settled on, if any."""
    rule: str = Field(min_length=1)
    """Which rule or model made the decision (or `manual:<operator key id>`)."""
    model_version: str | None = None
    """Version of the model, when a model decided."""
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    """The model's confidence in the decision, 0..1."""
    deadline_class: DeadlineClass = DeadlineClass.NORMAL
    """Which SLA policy applies."""
    dispatch_level: DispatchLevel = DispatchLevel.DIRECT
    """三级交办 level."""
    co_handlers: tuple[str, ...] = ()
    """协办 unit codes, for consultation."""
    reopen_round: int = Field(default=0, ge=0)
    """0 for first handling; n for the n-th reopening."""
    previous_unit_code: str | None = None
    """The unit that held the ticket before (after a return or re-route)."""


@register_upcaster("Assigned", from_version=1)
def _assigned_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v2 added deadline class, dispatch level, co-handlers, reopen round; v1 was direct."""
    return payload


@register_event
class ManualDispatchQueued(IntegrationEvent):
    """The classifier was not confident enough; an operator must dispatch the ticket."""

    event_type: Literal["ManualDispatchQueued"] = "ManualDispatchQueued"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    best_guess_unit_code: str | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)


@register_event
class AssignmentSigned(IntegrationEvent):
    """The handling unit signed for the ticket (签收)."""

    event_type: Literal["AssignmentSigned"] = "AssignmentSigned"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    unit_code: str = Field(min_length=1)


@register_event
class AssignmentReturned(IntegrationEvent):
    """A unit returned the ticket as not its own (退单); the hotline centre will review it."""

    event_type: Literal["AssignmentReturned"] = "AssignmentReturned"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    unit_code: str = Field(min_length=1)
    reason: ReturnReason
    note: str | None = None
    returns_so_far: int = Field(ge=1)
    """How many times this ticket has been returned, this one included."""


@register_event
class ReturnReviewed(IntegrationEvent):
    """The hotline centre accepted (→ re-route) or rejected (→ the unit keeps it) a return."""

    event_type: Literal["ReturnReviewed"] = "ReturnReviewed"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    unit_code: str = Field(min_length=1)
    accepted: bool
    note: str | None = None


@register_event
class ConsultationOpened(IntegrationEvent):
    """Ownership is unclear: the hotline centre convenes a consultation (会商)."""

    event_type: Literal["ConsultationOpened"] = "ConsultationOpened"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    candidate_units: tuple[str, ...] = ()
    reason: str = Field(min_length=1)


@register_event
class TicketMerged(IntegrationEvent):
    """This ticket (the child) concerns the same problem as an open master ticket (并单).

    The child follows the master's handling; its citizen is still called back.
    """

    event_type: Literal["TicketMerged"] = "TicketMerged"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    master_ticket_id: UUID
    reason: str = Field(min_length=1)
