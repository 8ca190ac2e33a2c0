"""Replaying a ticket that went through return, extension, breach, escalation, reopen and
closure: the timeline is the events emitted, and `as of` gives the state at each moment."""

from __future__ import annotations

import json
import random

from audit_story import T0, d, full_life

from contracts.fold import TicketStatus, fold
from hotline.audit.timeline import render_text, replay


def test_the_timeline_lists_every_event_emitted_in_the_order_they_happened() -> None:
    story = full_life()
    shuffled = random.Random(7).sample(story.events, len(story.events))

    result = replay(story.ticket_id, shuffled)

    assert [(e.service, e.position, e.event_type) for e in result.entries] == [
        (e.source, e.position, e.event_type) for e in story.events
    ]


def test_other_tickets_events_stay_out_of_the_replay() -> None:
    story, other = full_life(), full_life()
    result = replay(story.ticket_id, [*story.events, *other.events])
    assert len(result.entries) == len(story.events)


def test_while_the_return_is_reviewed_the_first_unit_still_holds_it() -> None:
    story = full_life()
    state = replay(story.ticket_id, story.events, as_of=T0 + d(hours=1, minutes=30)).state
    assert (state.status, state.unit_code, state.returns) == (
        TicketStatus.RETURN_UNDER_REVIEW,
        "water",
        1,
    )


def test_after_the_reassignment_and_extension_request_the_old_deadline_stands() -> None:
    story = full_life()
    state = replay(story.ticket_id, story.events, as_of=T0 + d(2, minutes=30)).state
    assert state.status is TicketStatus.SIGNED
    assert state.unit_code == "housing"
    assert state.units_assigned == ("water", "housing")
    assert state.deadline("resolution") == T0 + d(5, hours=2)
    assert (state.extensions_requested, state.extensions_granted) == (1, 0)


def test_once_overdue_the_breach_and_first_escalation_show() -> None:
    story = full_life()
    state = replay(story.ticket_id, story.events, as_of=T0 + d(8, minutes=30)).state
    assert state.deadline("resolution") == T0 + d(8)
    assert state.breached == ("resolution",)
    assert state.escalation_level == 1
    assert state.escalations[0].reason == "overdue"


def test_after_the_unsatisfied_callback_the_ticket_is_reopened() -> None:
    story = full_life()
    state = replay(story.ticket_id, story.events, as_of=T0 + d(10, minutes=2)).state
    assert (state.status, state.reopen_round, state.satisfaction, state.solved) == (
        TicketStatus.REOPENED,
        1,
        "unsatisfied",
        False,
    )


def test_at_the_end_the_ticket_is_closed_satisfied() -> None:
    story = full_life()
    state = replay(story.ticket_id, story.events).state
    assert state.status is TicketStatus.CLOSED
    assert (state.closure_outcome, state.satisfaction, state.solved) == (
        "satisfied",
        "satisfied",
        True,
    )
    assert state.closed_at == T0 + d(13, minutes=1)
    assert state.deadlines == ()
    assert state.breached == ("resolution",)


def test_an_event_type_the_fold_does_not_know_is_kept_in_history_but_not_folded() -> None:
    story = full_life()
    result = replay(story.ticket_id, story.events)
    assert "AuditNoteAdded" in [entry.event_type for entry in result.entries]
    assert result.state.unfolded == ("AuditNoteAdded",)
    assert result.state.events == len(story.events)


def test_the_fold_of_the_events_is_the_replayed_state() -> None:
    story = full_life()
    assert replay(story.ticket_id, story.events).state == fold(story.events)


def test_the_text_timeline_says_who_acted_with_bilingual_labels() -> None:
    story = full_life()
    text = render_text(replay(story.ticket_id, story.events))
    assert "退单 returned by the unit  by water" in text
    assert "督办 escalated  by housing" in text and "督办 level 1" in text
    assert "状态 status: closed" in text


def test_the_json_replay_is_machine_readable() -> None:
    story = full_life()
    data = json.loads(
        json.dumps(replay(story.ticket_id, story.events, T0 + d(8, hours=12)).to_json())
    )
    assert data["ticket_id"] == str(story.ticket_id)
    assert data["state"]["escalation_level"] == 1
    assert data["timeline"][-1]["event_type"] == "Escalated"
    assert data["as_of"] == (T0 + d(8, hours=12)).isoformat()
