"""Intake's commands and policy on the in-memory store: given events, when a command, then."""

from __future__ import annotations

import hashlib
import json

import pytest
from intake_builders import OPERATOR, PARTNER, assigned, closed, complaint, deliver, new_app

from contracts import ComplaintReceived, ContactDataAccessed
from hotline.runtime.sealing import SealingError
from services.intake.application import (
    Contact,
    ContactAccessDenied,
    IdempotencyConflict,
)
from services.intake.citizen_keys import ForgottenError
from services.intake.domain import Erasure, TicketStateError
from services.intake.translation import to_contract


def test_a_retry_with_the_same_key_returns_the_same_ticket_and_query_code() -> None:
    app, keyring = new_app()
    first = app.submit(complaint(), keyring, PARTNER, "req-1")
    retry = app.submit(complaint(), keyring, PARTNER, "req-1")
    assert (retry.ticket_id, retry.query_code, retry.created) == (
        first.ticket_id,
        first.query_code,
        False,
    )
    assert app.max_position() == 1


def test_the_same_key_from_another_client_is_another_ticket() -> None:
    app, keyring = new_app()
    mine = app.submit(complaint(), keyring, PARTNER, "req-1")
    theirs = app.submit(complaint(), keyring, OPERATOR, "req-1")
    assert mine.ticket_id != theirs.ticket_id


def test_reusing_a_key_for_a_different_complaint_is_refused() -> None:
    app, keyring = new_app()
    app.submit(complaint(), keyring, PARTNER, "req-1")
    with pytest.raises(IdempotencyConflict):
        app.submit(complaint(description="另一件事"), keyring, PARTNER, "req-1")
    assert app.max_position() == 1


def test_the_published_event_carries_the_query_code_digest_and_no_clear_personal_data() -> None:
    app, keyring = new_app()
    accepted = app.submit(complaint(), keyring, OPERATOR)
    [stored] = app.history(accepted.ticket_id)
    event = to_contract(stored, 1)
    assert isinstance(event, ComplaintReceived)
    expected = hashlib.sha256(f"{accepted.ticket_id}:{accepted.query_code}".encode()).hexdigest()
    assert event.query_code_sha256 == expected
    payload = event.model_dump_json()
    assert "张三" not in payload and "11010519491231002X" not in payload
    assert "13800001234" not in payload
    assert event.description == "小区路灯坏了，电话[电话]"


def test_one_phone_typed_two_ways_is_one_citizen() -> None:
    app, keyring = new_app()
    one = app.submit(complaint(), keyring, OPERATOR)
    other = app.submit(complaint(contact=Contact("张三", "138 0000 1234")), keyring, OPERATOR)
    assert app.ticket(one.ticket_id).citizen_ref == app.ticket(other.ticket_id).citizen_ref


def test_contact_is_sealed_under_the_citizens_own_key_not_the_master_key() -> None:
    app, keyring = new_app()
    ticket = app.ticket(app.submit(complaint(), keyring, OPERATOR).ticket_id)
    assert ticket.contact is not None and ticket.contact["key_id"].startswith("c-")
    with pytest.raises(SealingError):
        keyring.open(ticket.contact, f"contact:{ticket.id}".encode())


def test_after_forget_no_ticket_of_that_citizen_can_be_opened() -> None:
    app, keyring = new_app()
    first = app.submit(complaint(), keyring, OPERATOR).ticket_id
    second = app.submit(complaint(), keyring, OPERATOR).ticket_id
    ref = app.ticket(first).citizen_ref
    assert ref is not None
    assert app.forget_citizen(ref) == 1
    for ticket_id in (first, second):
        with pytest.raises(ForgottenError):
            app.read_contact(ticket_id, OPERATOR, keyring)


def test_a_citizen_complaining_after_being_forgotten_gets_a_new_key() -> None:
    app, keyring = new_app()
    old = app.submit(complaint(), keyring, OPERATOR).ticket_id
    app.forget_citizen(app.ticket(old).citizen_ref or "")
    new = app.submit(complaint(), keyring, OPERATOR).ticket_id
    assert app.read_contact(new, OPERATOR, keyring)["phone"] == "13800001234"


def test_a_unit_reads_contact_data_only_while_it_holds_the_ticket() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    water = type(OPERATOR)("unit:water", "wwwwwwww")
    with pytest.raises(ContactAccessDenied):
        app.read_contact(ticket_id, water, keyring)
    deliver(app, assigned(ticket_id, "water"))
    assert app.read_contact(ticket_id, water, keyring)["name"] == "张三"
    deliver(app, assigned(ticket_id, "roads"))
    with pytest.raises(ContactAccessDenied):
        app.read_contact(ticket_id, water, keyring)


def test_an_anonymous_citizens_contact_is_hidden_from_the_unit_but_not_from_callback_staff() -> (
    None
):
    app, keyring = new_app()
    ticket_id = app.submit(complaint(anonymous=True), keyring, OPERATOR).ticket_id
    deliver(app, assigned(ticket_id, "water"))
    with pytest.raises(ContactAccessDenied):
        app.read_contact(ticket_id, type(OPERATOR)("unit:water", "wwwwwwww"), keyring)
    assert app.read_contact(ticket_id, type(OPERATOR)("hotline_centre", "cccccccc"), keyring)


def test_each_read_is_recorded_as_a_published_access_event() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    app.read_contact(ticket_id, OPERATOR, keyring)
    event = to_contract(app.history(ticket_id)[-1], 2)
    assert isinstance(event, ContactDataAccessed)
    assert (event.role, event.key_fingerprint) == ("operator", "0perat0r")
    assert "13800001234" not in json.dumps(event.model_dump(mode="json"))


def test_a_withdrawn_ticket_takes_no_supplement_and_stays_withdrawn() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    app.withdraw(ticket_id, "已解决", PARTNER)
    with pytest.raises(TicketStateError):
        app.supplement(ticket_id, "补充", [], PARTNER)
    deliver(app, assigned(ticket_id, "water"))
    assert app.ticket(ticket_id).extended_status == "withdrawn"


def test_downstream_progress_moves_the_public_status() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    deliver(app, assigned(ticket_id, "water"))
    assert app.ticket(ticket_id).extended_status == "investigating"
    deliver(app, closed(ticket_id, solved=True))
    assert app.ticket(ticket_id).extended_status == "fixed"


def test_an_erasure_is_recorded_with_how_many_keys_not_with_who() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    ref = app.ticket(ticket_id).citizen_ref or ""
    app.forget_citizen(ref)
    app.submit(complaint(), keyring, OPERATOR)
    app.forget_citizen(ref)
    erasure = app.repository.get(Erasure.create_id(ref))
    assert isinstance(erasure, Erasure) and erasure.keys_destroyed == 2
    assert all(to_contract(event, 1) is None for event in app.history(erasure.id))
    assert app.forget_citizen(ref) == 0


def test_numbers_in_supplements_transcripts_and_reasons_are_masked_too() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    app.supplement(
        ticket_id,
        "身份证11010519491231002X",
        [{"url": "https://a.cn/1.mp3", "media_type": "audio", "transcript": "打0898-66123456"}],
        OPERATOR,
    )
    app.withdraw(ticket_id, "有事打13800001234", OPERATOR)
    supplemented, withdrawn = app.history(ticket_id)[-2:]
    assert supplemented.text == "身份证[身份证号]"
    assert supplemented.attachments[0]["transcript"] == "打[电话]"
    assert withdrawn.reason == "有事打[电话]"
