"""The shared fold: every contract event means something, finished tickets stay finished,
and the public stream folds to the same facts as the full events."""

from __future__ import annotations

from uuid import uuid4

from audit_story import Story, d

from contracts import (
    EVENT_TYPES,
    Assigned,
    ClockPaused,
    ClockResumed,
    ComplaintReceived,
    ComplaintWithdrawn,
    DeadlineSet,
    PublicTicketOpened,
    PublicTicketProgressed,
    TicketMerged,
    TicketPublished,
    TicketUnpublished,
)
from contracts.fold import TicketStatus, fold, is_folded

CONTRACT_MAP = [
    "ComplaintReceived",
    "ComplaintSupplemented",
    "ComplaintWithdrawn",
    "ContactDataAccessed",
    "Assigned",
    "ManualDispatchQueued",
    "AssignmentSigned",
    "AssignmentReturned",
    "ReturnReviewed",
    "ConsultationOpened",
    "TicketMerged",
    "DeadlineSet",
    "DeadlineWarned",
    "DeadlineBreached",
    "Escalated",
    "ExtensionRequested",
    "ExtensionDecided",
    "ClockPaused",
    "ClockResumed",
    "DeadlineUncomputable",
    "ReplySubmitted",
    "ReplyAccepted",
    "ReplyRejected",
    "CallbackRated",
    "CallbackFailed",
    "TicketReopened",
    "TicketClosed",
    "TicketPublished",
    "TicketUnpublished",
    "PublicTicketOpened",
    "PublicTicketProgressed",
    "PublicTicketAired",
    "PublicTicketWithdrawnFromBoard",
    "PublicCommentApproved",
]
"""The events of the contract map the fold was written against. Events added later are
tolerated (kept in history, not folded) until the fold learns them."""


def test_every_event_of_the_contract_map_is_folded() -> None:
    assert [name for name in CONTRACT_MAP if not is_folded(EVENT_TYPES[name])] == []


def test_a_withdrawn_ticket_stays_withdrawn_and_has_no_deadlines() -> None:
    s = Story()
    s.add(ComplaintReceived, d(), channel="web", description="噪音扰民")
    s.add(
        DeadlineSet,
        d(hours=1),
        kind="resolution",
        due_at=s.origin + d(5),
        unit_code="env",
        policy="normal:resolution:5wd",
    )
    s.add(ComplaintWithdrawn, d(hours=2), reason="已解决")
    s.add(Assigned, d(hours=3), unit_code="env", unit_name="生态环境局", rule="late")
    state = fold(s.events)
    assert (state.status, state.withdrawn, state.deadlines) == (TicketStatus.WITHDRAWN, True, ())


def test_a_merged_ticket_names_its_master() -> None:
    master = uuid4()
    s = Story()
    s.add(TicketMerged, d(), master_ticket_id=master, reason="同一路灯")
    assert (fold(s.events).status, fold(s.events).merged_into) == (TicketStatus.MERGED, master)


def test_the_clock_pauses_and_resumes() -> None:
    s = Story()
    s.add(ClockPaused, d(), reason="等待市民补充材料")
    assert fold(s.events).clock_paused
    s.add(ClockResumed, d(1), paused_seconds=86400)
    assert not fold(s.events).clock_paused


def test_publication_and_takedown() -> None:
    s = Story()
    s.add(TicketPublished, d(), masked_description="某小区路灯坏了")
    assert fold(s.events).published
    s.add(TicketUnpublished, d(1), reason="市民要求")
    assert not fold(s.events).published


def test_the_public_stream_folds_to_the_same_status_unit_level_and_satisfaction() -> None:
    s = Story()
    s.add(PublicTicketOpened, d(), channel="app", district="美兰区")
    s.add(PublicTicketProgressed, d(hours=1), stage="assigned", unit_code="water")
    s.add(PublicTicketProgressed, d(6), stage="deadline_breached", unit_code="water")
    s.add(PublicTicketProgressed, d(6, hours=1), stage="escalated", escalation_level=2)
    s.add(PublicTicketProgressed, d(9), stage="closed", satisfaction="satisfied", solved=True)
    state = fold(s.events)
    assert (state.status, state.unit_code, state.escalation_level, state.satisfaction) == (
        TicketStatus.CLOSED,
        "water",
        2,
        "satisfied",
    )
    assert (state.breached, state.escalations[0].level) == (("resolution",), "media")
