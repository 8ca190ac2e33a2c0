"""Reply, callback, reopen and closure of one ticket, on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from feedback_upstream import EMPTY_REPLY, GOOD_REPLY, IN_MEMORY, Upstream, deliver

from contracts import DeadlineKind
from hotline.runtime.sealing import SealedDict
from hotline.runtime.timeline import timeline_entry
from services.feedback.application import (
    FeedbackApplication,
    QueryCodeRejected,
    RecordCallback,
    SubmitReply,
)
from services.feedback.callbacks import callback_queue
from services.feedback.domain import FollowUp, NotYourTicket, WrongState
from services.feedback.translation import PRIVATE_FIELDS, to_contract

NOV_3 = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


def reply(ticket_id: UUID, text: str = GOOD_REPLY, unit: str = "lights") -> SubmitReply:
    return SubmitReply(
        ticket_id=ticket_id,
        unit_code=unit,
        result="solved",
        public_reply=text,
        measures="更换灯具和线路",
        evidence_urls=("https://media.example/lamp.jpg",),
        contacted_citizen_at=NOV_3,
        at=NOV_3,
    )


def rated(ticket_id: UUID, satisfaction: str, at: datetime = NOV_3) -> RecordCallback:
    return RecordCallback(ticket_id, True, at, solved=True, satisfaction=satisfaction)


def not_reached(ticket_id: UUID, at: datetime) -> RecordCallback:
    return RecordCallback(ticket_id, False, at)


def assigned_ticket(app: FeedbackApplication, upstream: Upstream, unit: str = "lights") -> UUID:
    ticket_id = uuid4()
    deliver(
        app, upstream.complaint(ticket_id, query_code="8231"), upstream.assigned(ticket_id, unit)
    )
    return ticket_id


def contracts_of(app: FeedbackApplication, ticket_id: UUID) -> list[str]:
    found = (to_contract(event, 1) for event in app.history(ticket_id))
    return [contract.event_type for contract in found if contract is not None]


@pytest.fixture
def app() -> FeedbackApplication:
    return FeedbackApplication(IN_MEMORY)


@pytest.fixture
def upstream() -> Upstream:
    return Upstream()


def test_only_the_unit_holding_the_ticket_may_reply(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)

    with pytest.raises(NotYourTicket):
        app.submit_reply(reply(ticket_id, unit="water"))
    assert contracts_of(app, ticket_id) == []


def test_a_boilerplate_reply_is_rejected_and_a_real_one_then_accepted_and_queued(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)

    rejected = app.submit_reply(reply(ticket_id, EMPTY_REPLY))
    accepted = app.submit_reply(reply(ticket_id))

    assert (rejected.accepted, rejected.reasons, accepted.accepted) == (
        False,
        ("empty_formula",),
        True,
    )
    assert contracts_of(app, ticket_id) == [
        "ReplySubmitted",
        "ReplyRejected",
        "ReplySubmitted",
        "ReplyAccepted",
    ]
    assert [queued.ticket_id for queued in callback_queue(app.log_events())] == [ticket_id]


def test_a_unit_copying_its_accepted_reply_to_another_ticket_is_rejected(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    first = assigned_ticket(app, upstream)
    second = uuid4()
    deliver(
        app,
        upstream.complaint(second, description="滨海大道公交站台的顶棚漏雨，乘客候车时被淋湿"),
        upstream.assigned(second, "lights"),
    )
    app.submit_reply(reply(first))

    verdict = app.submit_reply(reply(second))

    assert "near_copy" in verdict.reasons


def test_a_second_reply_after_acceptance_is_refused(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))

    with pytest.raises(WrongState):
        app.submit_reply(reply(ticket_id))


def test_satisfied_closes_the_ticket_with_the_outcome(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))

    outcome = app.record_callback(rated(ticket_id, "basically_satisfied"))

    closed = to_contract(app.history(ticket_id)[-1], 1)
    assert outcome == "closed"
    assert closed is not None and closed.model_dump(include={"outcome", "satisfaction"}) == {
        "outcome": "satisfied",
        "satisfaction": "basically_satisfied",
    }


def test_unsatisfied_twice_reopens_in_rounds_one_then_two(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))
    app.record_callback(rated(ticket_id, "unsatisfied"))
    app.submit_reply(reply(ticket_id))

    app.record_callback(rated(ticket_id, "very_unsatisfied"))

    rounds = [
        contract.round  # type: ignore[attr-defined]
        for contract in (to_contract(event, 1) for event in app.history(ticket_id))
        if contract is not None and contract.event_type == "TicketReopened"
    ]
    assert rounds == [1, 2]


def test_three_failed_attempts_on_one_day_do_not_make_the_citizen_unreachable(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))

    outcomes = [
        app.record_callback(not_reached(ticket_id, NOV_3 + timedelta(hours=hour)))
        for hour in (0, 2, 4)
    ]

    assert outcomes == ["attempt_failed"] * 3


def test_failed_attempts_on_three_different_days_close_the_ticket_as_unreachable(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))

    outcomes = [
        app.record_callback(not_reached(ticket_id, NOV_3 + timedelta(days=day)))
        for day in (0, 1, 2)
    ]

    assert outcomes == ["attempt_failed", "attempt_failed", "unreachable"]
    assert contracts_of(app, ticket_id)[-2:] == ["CallbackFailed", "TicketClosed"]


def test_the_citizen_rates_with_the_right_query_code_only(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))

    with pytest.raises(QueryCodeRejected):
        app.rate_by_citizen(ticket_id, "0000", True, "satisfied", NOV_3)
    outcome = app.rate_by_citizen(ticket_id, "8231", True, "satisfied", NOV_3)

    rating = next(e for e in app.history(ticket_id) if type(e).__name__ == "CallbackRated")
    assert (outcome, rating.by_citizen) == ("closed", True)
    assert contracts_of(app, ticket_id)[-2:] == ["CallbackRated", "TicketClosed"]


def test_a_missed_resolution_deadline_without_reply_queues_a_callback(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)

    deliver(app, upstream.breached(ticket_id, "lights", DeadlineKind.RESOLUTION))

    assert [q.reason for q in callback_queue(app.log_events())] == ["resolution_overdue"]


def test_merged_children_are_queued_when_the_masters_reply_is_accepted(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    master = assigned_ticket(app, upstream)
    child = uuid4()
    deliver(app, upstream.complaint(child), upstream.merged(child, master))

    app.submit_reply(reply(master))

    queue = {q.ticket_id: q.reason for q in callback_queue(app.log_events())}
    assert queue == {master: "reply_accepted", child: "master_reply_accepted"}


def test_a_withdrawn_complaint_is_closed_as_withdrawn(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)

    deliver(app, upstream.withdrawn(ticket_id))

    follow_up = app.repository.get(ticket_id)
    assert isinstance(follow_up, FollowUp) and follow_up.closed
    assert contracts_of(app, ticket_id) == ["TicketClosed"]


def test_the_callback_comment_is_sealed_and_never_leaves_the_service(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))
    sealed: SealedDict = {"key_id": "k1", "nonce": "bm9uY2U=", "ciphertext": "Y2lwaGVy"}

    app.record_callback(RecordCallback(ticket_id, True, NOV_3, True, "satisfied", comment=sealed))

    rating = next(e for e in app.history(ticket_id) if type(e).__name__ == "CallbackRated")
    contract = to_contract(rating, 1)
    assert rating.comment == sealed
    assert contract is not None and "comment" not in contract.model_dump()


def test_the_timeline_leaves_out_complaint_text_query_digest_and_comment(
    app: FeedbackApplication, upstream: Upstream
) -> None:
    ticket_id = assigned_ticket(app, upstream)
    app.submit_reply(reply(ticket_id))
    sealed: SealedDict = {"key_id": "k1", "nonce": "bm9uY2U=", "ciphertext": "Y2lwaGVy"}
    app.record_callback(RecordCallback(ticket_id, True, NOV_3, True, "satisfied", comment=sealed))

    entries = [timeline_entry(event, PRIVATE_FIELDS) for event in app.history(ticket_id)]

    shown = {name for entry in entries for name in entry["details"]}
    assert shown.isdisjoint({"description", "query_code_sha256", "comment", "citizen_ref"})
    assert "public_reply" in shown


def test_a_reply_that_loses_a_race_on_the_units_reply_book_is_retried(
    app: FeedbackApplication, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = assigned_ticket(app, upstream)
    second = assigned_ticket(app, upstream)
    stale_book = app._reply_book("lights")
    app.submit_reply(reply(first))
    fresh_book = app._reply_book
    books = iter([stale_book])
    monkeypatch.setattr(app, "_reply_book", lambda unit: next(books, None) or fresh_book(unit))

    verdict = app.submit_reply(reply(second, GOOD_REPLY + "另已对周边三处路灯一并检修。"))

    assert verdict.accepted
    assert len(app._reply_book("lights").entries) == 2
