"""The store behaves the same on SQLite and PostgreSQL (each test runs on both)."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from hotline.runtime.sealing import KeyRing
from hotline.runtime.store import prepare_store, store_environment
from hotline.settings import Settings
from services.intake.application import IntakeApplication
from services.intake.domain import Ticket

from support import complaint_command


def open_intake(settings: Settings) -> IntakeApplication:
    prepare_store(settings, "intake")
    return IntakeApplication(store_environment(settings, "intake"))


def test_a_recorded_ticket_is_rebuilt_from_the_log_after_reopening(settings: Settings) -> None:
    app = open_intake(settings)
    ticket_id = app.receive_complaint(complaint_command(1), KeyRing.generate())
    app.close()

    reopened = open_intake(settings)
    ticket = reopened.repository.get(ticket_id)
    assert isinstance(ticket, Ticket)
    assert ticket.description == "第1号投诉：小区门口路灯不亮"
    assert reopened.max_position() == 1
    reopened.close()


def test_the_store_never_holds_contact_data_in_clear(settings: Settings) -> None:
    app = open_intake(settings)
    ticket_id = app.receive_complaint(complaint_command(7), KeyRing.generate())
    [stored] = app.recorder.select_events(ticket_id)
    assert b"13800000007" not in stored.state
    assert "张三".encode() not in stored.state
    app.close()


def test_the_inbox_knows_exactly_which_upstream_positions_it_processed(
    settings: Settings,
) -> None:
    app = open_intake(settings)
    app.recorder.insert_events([], tracking=Tracking("routing", 5))
    app.recorder.insert_events([], tracking=Tracking("routing", 3))

    assert app.has_processed("routing", 5)
    assert app.has_processed("routing", 3)
    assert not app.has_processed("routing", 4)
    assert not app.has_processed("sla", 5)
    app.close()


def test_recording_the_same_upstream_position_twice_is_refused(settings: Settings) -> None:
    app = open_intake(settings)
    app.recorder.insert_events([], tracking=Tracking("routing", 9))
    with pytest.raises(IntegrityError):
        app.recorder.insert_events([], tracking=Tracking("routing", 9))
    app.close()


def test_relay_progress_only_moves_forward(settings: Settings) -> None:
    app = open_intake(settings)
    app.record_relay_position("hotline.intake", 10)
    app.record_relay_position("hotline.intake", 4)
    app.record_relay_position("hotline.intake", 10)
    assert app.relay_position("hotline.intake") == 10
    app.close()
