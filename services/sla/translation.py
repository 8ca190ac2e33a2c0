"""SLA's stored events → integration contracts.

Every SLA event carries its own instant (`at`, from the upstream event or the injected
clock), used as `occurred_at`: the stored timestamp is the wall clock at recording,
which in a simulation (or after downtime) is not when the SLA fact happened.
Internal events (Started, HandlerChanged, DeadlineMet, Stopped, Reopened) stay inside.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from contracts import (
    ClockPaused,
    ClockResumed,
    DeadlineBreached,
    DeadlineKind,
    DeadlineSet,
    DeadlineUncomputable,
    DeadlineWarned,
    Escalated,
    ExtensionDecided,
    ExtensionRequested,
    IntegrationEvent,
)
from hotline.runtime.envelope import envelope_of
from services.sla.domain import LADDER, Clock

SOURCE = "sla"


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    build = _BUILDERS.get(type(domain_event))
    if build is None:
        return None
    return build(domain_event, envelope_of(SOURCE, domain_event, position, _at(domain_event)))


def _at(domain_event: Any) -> datetime:
    at: datetime = domain_event.at
    return at


def _deadline_set(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return DeadlineSet(
        **envelope,
        kind=DeadlineKind(event.kind),
        due_at=event.due_at,
        unit_code=event.unit_code,
        policy=event.policy,
    )


def _warned(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return DeadlineWarned(
        **envelope,
        kind=DeadlineKind(event.kind),
        due_at=event.due_at,
        unit_code=event.unit_code,
        fraction=event.fraction,
    )


def _breached(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return DeadlineBreached(
        **envelope, kind=DeadlineKind(event.kind), due_at=event.due_at, unit_code=event.unit_code
    )


def _escalated(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return Escalated(
        **envelope,
        level=LADDER[event.level - 1],
        level_number=event.level,
        reason=event.reason,
        unit_code=event.unit_code,
    )


def _extension_requested(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ExtensionRequested(
        **envelope,
        unit_code=event.unit_code,
        reason=event.reason,
        requested_due_at=event.requested_due_at,
    )


def _extension_decided(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ExtensionDecided(
        **envelope,
        granted=event.granted,
        unit_code=event.unit_code,
        new_due_at=event.new_due_at,
        note=event.note,
    )


def _paused(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ClockPaused(**envelope, reason=event.reason)


def _resumed(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return ClockResumed(**envelope, paused_seconds=event.paused_seconds)


def _uncomputable(event: Any, envelope: dict[str, Any]) -> IntegrationEvent:
    return DeadlineUncomputable(
        **envelope, kind=DeadlineKind(event.kind), missing_year=event.missing_year
    )


_BUILDERS: dict[type, Callable[[Any, dict[str, Any]], IntegrationEvent]] = {
    Clock.DeadlineSet: _deadline_set,
    Clock.DeadlineMoved: _deadline_set,
    Clock.DeadlineWarned: _warned,
    Clock.DeadlineBreached: _breached,
    Clock.Escalated: _escalated,
    Clock.ExtensionRequested: _extension_requested,
    Clock.ExtensionDecided: _extension_decided,
    Clock.Paused: _paused,
    Clock.Resumed: _resumed,
    Clock.DeadlineUncomputable: _uncomputable,
}
