"""Publication's stored events → integration contracts, on two topics.

`hotline.publication` tells the platform what was aired or taken down
(`TicketPublished`, `TicketUnpublished`). `hotline.public` is the personal-data-free
stream for analytics: the same log, translated to `contracts.public`. Both read only
fields the aggregate stored already masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import (
    IntegrationEvent,
    PublicCommentApproved,
    PublicStage,
    PublicTicketAired,
    PublicTicketOpened,
    PublicTicketProgressed,
    PublicTicketWithdrawnFromBoard,
    TicketPublished,
    TicketUnpublished,
)
from hotline.runtime.envelope import envelope_of

SOURCE = "publication"


def _envelope(event: Any, position: int) -> dict[str, Any]:
    return envelope_of(SOURCE, event, position, event.at)


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    """`hotline.publication`: airing and takedowns."""
    name = type(domain_event).__name__
    if name == "Published":
        return TicketPublished(
            **_envelope(domain_event, position),
            masked_description=domain_event.masked_description,
            unit_code=domain_event.unit_code,
            category=domain_event.category,
            district=domain_event.district,
        )
    if name == "Unpublished":
        return TicketUnpublished(**_envelope(domain_event, position), reason=domain_event.reason)
    return None


def to_public(domain_event: Any, position: int) -> IntegrationEvent | None:
    """`hotline.public`: every step of every ticket, no personal data, text only when aired."""
    translate = _PUBLIC.get(type(domain_event).__name__)
    if translate is None or getattr(domain_event, "at", None) is None:
        return None
    return translate(domain_event, position)


def _opened(event: Any, position: int) -> IntegrationEvent:
    return PublicTicketOpened(
        **_envelope(event, position),
        channel=event.channel or "unknown",
        district=event.district,
        category=event.category,
    )


def _aired(event: Any, position: int) -> IntegrationEvent:
    return PublicTicketAired(
        **_envelope(event, position),
        masked_description=event.masked_description,
        category=event.category,
        district=event.district,
        unit_code=event.unit_code,
    )


def _withdrawn(event: Any, position: int) -> IntegrationEvent:
    return PublicTicketWithdrawnFromBoard(**_envelope(event, position))


def _comment_approved(event: Any, position: int) -> IntegrationEvent | None:
    if not event.approved:
        return None
    return PublicCommentApproved(
        **_envelope(event, position), comment_id=event.comment_id, masked_text=event.masked_text
    )


def _progressed(stage: PublicStage) -> Callable[[Any, int], IntegrationEvent]:
    def translate(event: Any, position: int) -> IntegrationEvent:
        values = vars(event)
        return PublicTicketProgressed(
            **_envelope(event, position),
            stage=stage,
            unit_code=values.get("unit_code"),
            category=values.get("category"),
            escalation_level=values.get("level_number"),
            satisfaction=values.get("satisfaction"),
            solved=values.get("solved"),
        )

    return translate


_PUBLIC: dict[str, Callable[[Any, int], IntegrationEvent | None]] = {
    "ComplaintNoted": _opened,
    "ResponsibleUnitNoted": _progressed(PublicStage.ASSIGNED),
    "SignedNoted": _progressed(PublicStage.SIGNED),
    "BreachNoted": _progressed(PublicStage.DEADLINE_BREACHED),
    "EscalationNoted": _progressed(PublicStage.ESCALATED),
    "ReplyNoted": _progressed(PublicStage.REPLIED),
    "RatingNoted": _progressed(PublicStage.RATED),
    "ReopenNoted": _progressed(PublicStage.REOPENED),
    "ClosureNoted": _progressed(PublicStage.CLOSED),
    "WithdrawalNoted": _progressed(PublicStage.WITHDRAWN),
    "Published": _aired,
    "Unpublished": _withdrawn,
    "CommentModerated": _comment_approved,
}
