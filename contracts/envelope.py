"""The envelope every integration event carries, whatever service produced it.

The envelope is what lets a consumer deduplicate (``event_id``), order
(``position``), partition (``ticket_id``) and trace (``trace``) an event without
knowing anything about its payload. Subclasses narrow ``event_type``,
``schema_version`` and ``source`` to literals with defaults, so a producer never
spells them out and a payload can never claim to be something it is not.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal, get_args
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

ServiceName = Literal["intake", "routing", "sla", "feedback", "publication"]
SERVICE_NAMES: tuple[ServiceName, ...] = get_args(ServiceName)

EVENT_ID_NAMESPACE = UUID("4465695f-7126-455e-a74d-65e29bd230e4")
"""Namespace of :func:`event_id_for`. Never change it: every stored event_id depends on it."""


class TraceContext(BaseModel):
    """W3C trace context, carried in the payload too so it survives dead-lettering and replay."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    traceparent: str | None = None
    """The W3C ``traceparent`` of the span that produced the event."""
    tracestate: str | None = None
    """The W3C ``tracestate`` that went with it."""


class IntegrationEvent(BaseModel):
    """A fact one service tells the others. Never instantiated directly: subclass and register."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    event_id: UUID
    """Idempotency key; derived with ``event_id_for`` so a re-publication keeps it."""
    event_type: str
    """Name of the event; each subclass fixes it to its class name."""
    schema_version: int
    """Version of the payload shape; older versions are upcast when parsed."""
    ticket_id: UUID
    """The ticket the fact is about; also the Kafka key, so a ticket's events stay in order."""
    occurred_at: AwareDatetime
    """When it happened, with a timezone: naive times are ambiguous across services."""
    source: ServiceName
    """The service that produced the event."""
    position: Annotated[int, Field(ge=1)]
    """Notification id of the event in the source service's event log (starts at 1)."""
    trace: TraceContext = TraceContext()
    """Trace context of the producing span."""

    @classmethod
    def declared_event_type(cls) -> str:
        """The ``event_type`` this class fixes, read without building an instance."""
        value = _declared_default(cls, "event_type")
        if not isinstance(value, str):
            raise TypeError(f"{cls.__name__} must default event_type to a string literal")
        return value

    @classmethod
    def declared_schema_version(cls) -> int:
        """The current ``schema_version`` of this class."""
        value = _declared_default(cls, "schema_version")
        if type(value) is not int or value < 1:
            raise TypeError(f"{cls.__name__} must default schema_version to an int literal >= 1")
        return value

    @classmethod
    def declared_source(cls) -> ServiceName:
        """The service that produces this class."""
        value = _declared_default(cls, "source")
        for name in SERVICE_NAMES:
            if value == name:
                return name
        raise TypeError(f"{cls.__name__} must default source to one of {SERVICE_NAMES}")


def _declared_default(cls: type[IntegrationEvent], name: str) -> object:
    """Why: a registered event must narrow the envelope field to a defaulted literal."""
    field = cls.model_fields[name]
    if field.is_required():
        raise TypeError(f"{cls.__name__} must give {name!r} a literal default")
    return field.default


def event_id_for(source: str, originator_id: UUID, originator_version: int) -> UUID:
    """Deterministic event id of the stored event ``(originator_id, originator_version)``.

    Why: a service that crashes between storing and publishing re-publishes the
    same stored event; deriving the id (rather than drawing a random one) lets
    consumers recognise the duplicate.
    """
    return uuid.uuid5(EVENT_ID_NAMESPACE, f"{source}:{originator_id}:{originator_version}")
