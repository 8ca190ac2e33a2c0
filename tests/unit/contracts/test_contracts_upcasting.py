"""Complaints stored before release (v1) still read as today's ComplaintReceived."""

from __future__ import annotations

import json

import pytest

from contracts import (
    EVENT_TYPES,
    UPCASTERS,
    Channel,
    ComplaintReceived,
    InvalidEvent,
    parse_event,
)

V1_COMPLAINT = {
    "event_id": "6a1d1c4e-3f64-5a4e-9a0b-2d1f5b8e7c01",
    "event_type": "ComplaintReceived",
    "schema_version": 1,
    "ticket_id": "0b6f8a52-6f0c-4a43-9a39-3c2f5f8c1e01",
    "occurred_at": "2023-12-30T22:15:00+08:00",
    "source": "intake",
    "position": 3,
    "text": "楼下餐馆油烟太大",
    "district": "台江区",
}


def test_a_v1_complaint_is_upcast_to_the_current_shape() -> None:
    event = parse_event(json.dumps(V1_COMPLAINT, ensure_ascii=False).encode())

    assert isinstance(event, ComplaintReceived)
    assert event.schema_version == ComplaintReceived.declared_schema_version()
    assert event.description == "楼下餐馆油烟太大"
    assert event.channel is Channel.PHONE
    assert event.district == "台江区"


def test_a_v1_complaint_without_its_text_is_an_invalid_event() -> None:
    broken = {key: value for key, value in V1_COMPLAINT.items() if key != "text"}

    with pytest.raises(InvalidEvent, match="description"):
        parse_event(broken)


def test_a_schema_version_below_one_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="schema_version 0"):
        parse_event({**V1_COMPLAINT, "schema_version": 0})


def test_every_old_version_of_every_event_has_an_upcaster() -> None:
    missing = [
        (event_type, version)
        for event_type, cls in EVENT_TYPES.items()
        for version in range(1, cls.declared_schema_version())
        if (event_type, version) not in UPCASTERS
    ]

    assert missing == []
