"""Whatever a citizen says and however intake fills it in, the event survives the wire."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from contracts import (
    Channel,
    ComplaintReceived,
    SealedValue,
    TraceContext,
    parse_event,
    serialize_event,
)

_offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_aware_datetimes = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=_offsets
)
_optional_text = st.none() | st.text()
_sealed = st.builds(
    SealedValue,
    key_id=st.text(min_size=1),
    nonce=st.text(min_size=1),
    ciphertext=st.text(min_size=1),
)
_complaints = st.builds(
    ComplaintReceived,
    event_id=st.uuids(),
    ticket_id=st.uuids(),
    occurred_at=_aware_datetimes,
    position=st.integers(min_value=1, max_value=2**63 - 1),
    trace=st.builds(TraceContext, traceparent=_optional_text, tracestate=_optional_text),
    channel=st.sampled_from(Channel),
    description=st.text(min_size=1),
    category_hint=_optional_text,
    district=_optional_text,
    address=_optional_text,
    citizen_ref=_optional_text,
    contact=st.none() | _sealed,
    anonymous=st.booleans(),
    publication_consent=st.booleans(),
)


@given(_complaints)
def test_any_valid_complaint_round_trips(complaint: ComplaintReceived) -> None:
    assert parse_event(serialize_event(complaint)) == complaint
