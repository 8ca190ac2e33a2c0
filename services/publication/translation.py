"""Publication's stored events → integration contracts.

Nothing leaves publication yet: the public stream is the publication issue's work.
"""

from __future__ import annotations

from typing import Any

from contracts import IntegrationEvent


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    return None
