"""Events are immutable facts, and malformed ones are refused with a reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pytest
from pydantic import ValidationError

from contracts import (
    ComplaintReceived,
    ContractError,
    InvalidEvent,
    UnknownEventType,
    parse_event,
    serialize_event,
)


def _wire(complaint: ComplaintReceived, **changes: object) -> bytes:
    payload = json.loads(serialize_event(complaint))
    payload.update(changes)
    return json.dumps(payload).encode()


def test_a_published_fact_cannot_be_changed(complaint: ComplaintReceived) -> None:
    with pytest.raises(ValidationError):
        complaint.description = "改过的内容"


def test_a_naive_occurred_at_is_rejected_when_built(
    make_complaint: Callable[..., ComplaintReceived],
) -> None:
    with pytest.raises(ValidationError, match="timezone"):
        make_complaint(occurred_at=datetime(2024, 5, 1, 9, 30))


def test_a_naive_occurred_at_is_rejected_when_parsed(complaint: ComplaintReceived) -> None:
    with pytest.raises(InvalidEvent, match="occurred_at"):
        parse_event(_wire(complaint, occurred_at="2024-05-01T09:30:00"))


def test_an_unknown_event_type_is_reported_as_such(complaint: ComplaintReceived) -> None:
    with pytest.raises(UnknownEventType) as caught:
        parse_event(_wire(complaint, event_type="ComplaintTeleported"))

    assert caught.value.event_type == "ComplaintTeleported"
    assert not isinstance(caught.value, InvalidEvent)


@pytest.mark.parametrize(
    "garbage",
    [b"\xff\xfe\x00garbage", b"not json", b"", b"[1, 2]", b'"ComplaintReceived"', b"[" * 100_000],
)
def test_garbage_bytes_are_an_invalid_event(garbage: bytes) -> None:
    with pytest.raises(InvalidEvent):
        parse_event(garbage)


def test_a_payload_without_event_type_is_an_invalid_event() -> None:
    with pytest.raises(InvalidEvent, match="event_type"):
        parse_event(b'{"schema_version": 1}')


def test_the_error_names_the_field_but_not_the_citizens_words(complaint: ComplaintReceived) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(_wire(complaint, position=0, anonymous="小区路灯坏了"))

    message = str(caught.value)
    assert "position" in message
    assert "anonymous" in message
    assert "小区路灯坏了" not in message


def test_unexpected_fields_are_refused(complaint: ComplaintReceived) -> None:
    with pytest.raises(InvalidEvent, match="phone_number"):
        parse_event(_wire(complaint, phone_number="13800000000"))


def test_a_schema_version_newer_than_known_is_refused(complaint: ComplaintReceived) -> None:
    newer = ComplaintReceived.declared_schema_version() + 1
    with pytest.raises(InvalidEvent, match=f"schema_version {newer}"):
        parse_event(_wire(complaint, schema_version=newer))


def test_a_schema_version_that_is_not_an_integer_is_refused(complaint: ComplaintReceived) -> None:
    with pytest.raises(InvalidEvent, match="schema_version"):
        parse_event(_wire(complaint, schema_version="2"))


def test_one_except_clause_catches_every_contract_failure() -> None:
    assert issubclass(InvalidEvent, ContractError)
    assert issubclass(UnknownEventType, ContractError)
    assert issubclass(ContractError, ValueError)
