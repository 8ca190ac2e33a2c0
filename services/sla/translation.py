"""SLA's stored events → integration contracts.

Nothing leaves the SLA service yet: deadlines and escalations are the SLA issue's work.
"""

from __future__ import annotations

from typing import Any

from contracts import IntegrationEvent


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    return None
