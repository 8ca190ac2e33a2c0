"""An event that goes onto Kafka comes back off it unchanged."""

from __future__ import annotations

from collections.abc import Callable

from contracts import (
    Assigned,
    ComplaintReceived,
    SealedValue,
    TraceContext,
    parse_event,
    serialize_event,
)


def test_a_complaint_round_trips_through_the_wire_format(complaint: ComplaintReceived) -> None:
    assert parse_event(serialize_event(complaint)) == complaint


def test_an_assignment_round_trips_through_the_wire_format(assigned: Assigned) -> None:
    assert parse_event(serialize_event(assigned)) == assigned


def test_sealed_contact_and_trace_context_survive_the_round_trip(
    make_complaint: Callable[..., ComplaintReceived],
) -> None:
    complaint = make_complaint(
        contact=SealedValue(key_id="k-2024-05", nonce="AAECAwQFBgcICQoL", ciphertext="c2VjcmV0"),
        trace=TraceContext(traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
    )

    assert parse_event(serialize_event(complaint)) == complaint


def test_chinese_text_stays_readable_in_the_bytes(complaint: ComplaintReceived) -> None:
    wire = serialize_event(complaint)

    assert "小区路灯坏了三天".encode() in wire
    assert b"\\u" not in wire


def test_the_wire_format_is_compact_json(complaint: ComplaintReceived) -> None:
    assert b": " not in serialize_event(complaint)
    assert b", " not in serialize_event(complaint)


def test_producers_need_not_spell_out_the_envelope_literals(complaint: ComplaintReceived) -> None:
    assert (complaint.event_type, complaint.schema_version, complaint.source) == (
        "ComplaintReceived",
        ComplaintReceived.declared_schema_version(),
        "intake",
    )


def test_a_plain_mapping_parses_as_well_as_bytes(complaint: ComplaintReceived) -> None:
    assert parse_event(complaint.model_dump(mode="json")) == complaint
