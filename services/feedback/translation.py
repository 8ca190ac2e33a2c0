"""Feedback's stored events → integration contracts.

Nothing leaves feedback yet: replies, callbacks and closure are the feedback issue's work.
"""

from __future__ import annotations

from typing import Any

from contracts import IntegrationEvent

PRIVATE_FIELDS = frozenset({"citizen_ref"})


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    return None
