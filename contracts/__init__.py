"""Integration events the hotline services exchange over Kafka: the only code they share.

Importing this package imports every event module, so every event is
registered before anything is parsed. A new producer module must be imported here.
"""

from __future__ import annotations

from contracts.envelope import (
    EVENT_ID_NAMESPACE,
    SERVICE_NAMES,
    IntegrationEvent,
    ServiceName,
    TraceContext,
    event_id_for,
)
from contracts.export import export_contracts
from contracts.intake import Channel, ComplaintReceived, SealedValue
from contracts.registry import (
    EVENT_TYPES,
    UPCASTERS,
    ContractError,
    InvalidEvent,
    UnknownEventType,
    Upcaster,
    parse_event,
    register_event,
    register_upcaster,
    serialize_event,
)
from contracts.routing import Assigned

__all__ = [
    "EVENT_ID_NAMESPACE",
    "EVENT_TYPES",
    "SERVICE_NAMES",
    "UPCASTERS",
    "Assigned",
    "Channel",
    "ComplaintReceived",
    "ContractError",
    "IntegrationEvent",
    "InvalidEvent",
    "SealedValue",
    "ServiceName",
    "TraceContext",
    "UnknownEventType",
    "Upcaster",
    "event_id_for",
    "export_contracts",
    "parse_event",
    "register_event",
    "register_upcaster",
    "serialize_event",
]
