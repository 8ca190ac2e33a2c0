"""Routing's stored events → integration contracts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import (
    Assigned,
    AssignmentReturned,
    AssignmentSigned,
    ConsultationOpened,
    DeadlineClass,
    DispatchLevel,
    IntegrationEvent,
    ManualDispatchQueued,
    ReturnReason,
    ReturnReviewed,
    TicketMerged,
)
from hotline.runtime.envelope import envelope_of
from services.routing.domain import Dispatch

SOURCE = "routing"


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    translate = _TRANSLATORS.get(type(domain_event))
    if translate is None:
        return None
    return translate(domain_event, envelope_of(SOURCE, domain_event, position))


def _assigned(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return Assigned(
        **envelope,
        unit_code=event.unit_code,
        unit_name=event.unit_name,
        category=event.category,
        rule=event.rule,
        model_version=event.model_version,
        confidence=event.confidence,
        deadline_class=DeadlineClass(event.deadline_class),
        dispatch_level=DispatchLevel(event.dispatch_level),
        co_handlers=tuple(event.co_handlers),
        reopen_round=event.reopen_round,
        previous_unit_code=event.previous_unit_code,
    )


def _queued(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ManualDispatchQueued(
        **envelope, best_guess_unit_code=event.best_guess_unit_code, confidence=event.confidence
    )


def _consultation(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ConsultationOpened(
        **envelope, candidate_units=tuple(event.candidate_units), reason=event.reason
    )


def _signed(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return AssignmentSigned(**envelope, unit_code=event.unit_code)


def _returned(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return AssignmentReturned(
        **envelope,
        unit_code=event.unit_code,
        reason=ReturnReason(event.reason),
        note=event.note,
        returns_so_far=event.returns_so_far,
    )


def _reviewed(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ReturnReviewed(
        **envelope, unit_code=event.unit_code, accepted=event.accepted, note=event.note
    )


def _merged(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return TicketMerged(**envelope, master_ticket_id=event.master_ticket_id, reason=event.reason)


_TRANSLATORS: dict[type, Callable[[Any, dict[str, Any]], IntegrationEvent]] = {
    Dispatch.Assigned: _assigned,
    Dispatch.ManualQueued: _queued,
    Dispatch.ConsultationOpened: _consultation,
    Dispatch.Signed: _signed,
    Dispatch.Returned: _returned,
    Dispatch.ReturnReviewed: _reviewed,
    Dispatch.Merged: _merged,
}
