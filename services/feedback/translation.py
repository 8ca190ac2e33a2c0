"""Feedback's stored events → integration contracts (what leaves the service).

What feedback only notes from upstream (assignments, sign-ins, breaches, merges) and
the reply book stay inside. The callback comment never leaves (it is sealed even in
the store); the complaint text and the query-code digest stay inside too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from contracts import (
    CallbackFailed,
    CallbackRated,
    ClosureOutcome,
    IntegrationEvent,
    ReplyAccepted,
    ReplyRejected,
    ReplyResult,
    ReplySubmitted,
    Satisfaction,
    TicketClosed,
    TicketReopened,
)
from hotline.runtime.envelope import envelope_of
from services.feedback.domain import FollowUp

SOURCE = "feedback"
PRIVATE_FIELDS = frozenset(
    {"citizen_ref", "description", "complaint", "query_code_sha256", "comment"}
)


def _envelope(event: Any, position: int, occurred_at: datetime) -> dict[str, Any]:
    return envelope_of(SOURCE, event, position, occurred_at)


def _reply_submitted(event: Any, position: int) -> IntegrationEvent:
    return ReplySubmitted(
        **_envelope(event, position, event.submitted_at),
        unit_code=event.unit_code,
        result=ReplyResult(event.result),
        public_reply=event.public_reply,
        measures=event.measures,
        evidence_urls=tuple(event.evidence_urls),
        contacted_citizen_at=event.contacted_citizen_at,
    )


def _reply_accepted(event: Any, position: int) -> IntegrationEvent:
    return ReplyAccepted(
        **_envelope(event, position, event.accepted_at),
        unit_code=event.unit_code,
        result=ReplyResult(event.result),
        public_reply=event.public_reply,
    )


def _reply_rejected(event: Any, position: int) -> IntegrationEvent:
    return ReplyRejected(
        **_envelope(event, position, event.rejected_at),
        unit_code=event.unit_code,
        reasons=tuple(event.reasons),
    )


def _callback_rated(event: Any, position: int) -> IntegrationEvent:
    return CallbackRated(
        **_envelope(event, position, event.rated_at),
        unit_code=event.unit_code,
        solved=event.solved,
        satisfaction=Satisfaction(event.satisfaction),
        by_citizen=event.by_citizen,
        round=event.round,
    )


def _callback_failed(event: Any, position: int) -> IntegrationEvent:
    return CallbackFailed(
        **_envelope(event, position, event.attempted_at),
        attempt=event.attempt,
        unreachable=event.unreachable,
    )


def _reopened(event: Any, position: int) -> IntegrationEvent:
    return TicketReopened(
        **_envelope(event, position, event.reopened_at),
        round=event.round,
        unit_code=event.unit_code,
    )


def _closed(event: Any, position: int) -> IntegrationEvent:
    return TicketClosed(
        **_envelope(event, position, event.closed_at),
        outcome=ClosureOutcome(event.outcome),
        satisfaction=Satisfaction(event.satisfaction) if event.satisfaction else None,
        solved=event.solved,
        unit_code=event.unit_code,
    )


_TRANSLATORS: dict[type[Any], Callable[[Any, int], IntegrationEvent]] = {
    FollowUp.ReplySubmitted: _reply_submitted,  # type: ignore[attr-defined]
    FollowUp.ReplyAccepted: _reply_accepted,  # type: ignore[attr-defined]
    FollowUp.ReplyRejected: _reply_rejected,  # type: ignore[attr-defined]
    FollowUp.CallbackRated: _callback_rated,  # type: ignore[attr-defined]
    FollowUp.CallbackAttemptFailed: _callback_failed,  # type: ignore[attr-defined]
    FollowUp.Reopened: _reopened,  # type: ignore[attr-defined]
    FollowUp.Closed: _closed,  # type: ignore[attr-defined]
}


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    translate = _TRANSLATORS.get(type(domain_event))
    return translate(domain_event, position) if translate else None
