"""Builders for valid events, so each test states only what its story is about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from contracts import Assigned, Channel, ComplaintReceived, event_id_for

TICKET_ID = UUID("0b6f8a52-6f0c-4a43-9a39-3c2f5f8c1e01")
OCCURRED_AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def _envelope(source: str, position: int) -> dict[str, Any]:
    return {
        "event_id": event_id_for(source, TICKET_ID, position),
        "ticket_id": TICKET_ID,
        "occurred_at": OCCURRED_AT,
        "position": position,
    }


@pytest.fixture
def make_complaint() -> Callable[..., ComplaintReceived]:
    def make(**overrides: Any) -> ComplaintReceived:
        fields: dict[str, Any] = {
            **_envelope("intake", 1),
            "channel": Channel.WECHAT,
            "description": "小区路灯坏了三天，晚上很黑",
            "district": "鼓楼区",
        }
        return ComplaintReceived(**{**fields, **overrides})

    return make


@pytest.fixture
def complaint(make_complaint: Callable[..., ComplaintReceived]) -> ComplaintReceived:
    return make_complaint()


@pytest.fixture
def assigned() -> Assigned:
    return Assigned(
        **_envelope("routing", 7),
        unit_code="GL-ZJ",
        unit_name="鼓楼区住建局",
        category="市政设施",
        rule="keyword:路灯",
        confidence=0.92,
    )
