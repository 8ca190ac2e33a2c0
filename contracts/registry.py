"""Which events exist, how old payloads are upcast, and how events cross the wire.

Adding an event is two steps in its producer's module: define the class and
decorate it with :func:`register_event`. Changing an event's shape is: bump its
``schema_version`` literal and register one upcaster from the previous version
with :func:`register_upcaster`. Upcasters receive the stored payload as a plain
``dict`` (a copy they may mutate) and return the payload in the next version's
shape; the registry bumps ``schema_version`` itself.

Every failure to read an event surfaces as a :class:`ContractError`, so a
consumer needs exactly one ``except`` to decide between dead-lettering
(:class:`InvalidEvent`) and skipping (:class:`UnknownEventType`: a newer producer
may publish types an older consumer has never heard of).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import ValidationError

from contracts.envelope import IntegrationEvent

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
E = TypeVar("E", bound=IntegrationEvent)
U = TypeVar("U", bound=Upcaster)

_EVENT_TYPES: dict[str, type[IntegrationEvent]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}

EVENT_TYPES: Mapping[str, type[IntegrationEvent]] = MappingProxyType(_EVENT_TYPES)
"""Every registered event class by its ``event_type`` (read-only view)."""

UPCASTERS: Mapping[tuple[str, int], Upcaster] = MappingProxyType(_UPCASTERS)
"""Every registered upcaster by ``(event_type, from_version)`` (read-only view)."""


class ContractError(ValueError):
    """Bytes that cannot be read as a known integration event."""


class InvalidEvent(ContractError):
    """Not JSON, not an event, or not valid for its declared type and version."""


class UnknownEventType(ContractError):
    """An ``event_type`` this code has no class for (possibly from a newer producer)."""

    def __init__(self, event_type: str) -> None:
        super().__init__(f"unknown event_type {event_type!r}")
        self.event_type = event_type


def register_event(cls: type[E]) -> type[E]:
    """Class decorator: make ``cls`` parseable and exported under its ``event_type``."""
    event_type = cls.declared_event_type()
    cls.declared_schema_version()  # fail at import time, not at first parse
    cls.declared_source()
    if event_type != cls.__name__:
        raise TypeError(f"{cls.__name__} must use its class name as event_type")
    if event_type in _EVENT_TYPES:
        raise TypeError(f"event_type {event_type!r} is already registered")
    _EVENT_TYPES[event_type] = cls
    return cls


def register_upcaster(event_type: str, from_version: int) -> Callable[[U], U]:
    """Decorator: register ``func`` to turn a ``from_version`` payload into the next version."""

    def decorate(func: U) -> U:
        key = (event_type, from_version)
        if key in _UPCASTERS:
            raise TypeError(f"an upcaster for {event_type} v{from_version} is already registered")
        _UPCASTERS[key] = func
        return func

    return decorate


def serialize_event(event: IntegrationEvent) -> bytes:
    """Compact UTF-8 JSON; non-ASCII text (Chinese complaints) stays readable in the bytes."""
    return event.model_dump_json().encode("utf-8")


def parse_event(data: bytes | str | Mapping[str, Any]) -> IntegrationEvent:
    """Read an event of any registered type and any known version, upcast to the current one."""
    payload = _decode(data)
    event_type = payload.get("event_type")
    if not isinstance(event_type, str):
        raise InvalidEvent("event_type is missing or not a string")
    cls = _EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(event_type)
    payload = _upcast(event_type, payload, cls.declared_schema_version())
    try:
        return cls.model_validate(payload)
    except ValidationError as exc:
        raise InvalidEvent(f"{event_type} is invalid: {_describe(exc)}") from None


def _decode(data: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(data, Mapping):
        return dict(data)
    try:
        decoded: object = json.loads(data)
    except (ValueError, TypeError, RecursionError) as exc:  # incl. JSON and Unicode errors
        raise InvalidEvent(f"not UTF-8 JSON: {exc}") from None
    if not isinstance(decoded, dict):
        raise InvalidEvent(f"expected a JSON object, got {type(decoded).__name__}")
    return decoded


def _upcast(event_type: str, payload: dict[str, Any], current: int) -> dict[str, Any]:
    version = payload.get("schema_version")
    if type(version) is not int:
        raise InvalidEvent(f"{event_type}: schema_version is missing or not an integer")
    if not 1 <= version <= current:
        raise InvalidEvent(f"{event_type}: schema_version {version} is not in 1..{current}")
    while version < current:
        upcaster = _UPCASTERS.get((event_type, version))
        if upcaster is None:
            raise InvalidEvent(f"{event_type}: no upcaster from schema_version {version}")
        try:
            payload = upcaster(dict(payload))
        except Exception as exc:  # a malformed old payload must not escape as a bare KeyError
            raise InvalidEvent(
                f"{event_type}: upcasting v{version} failed: {type(exc).__name__}"
            ) from exc
        if not isinstance(payload, dict):
            raise InvalidEvent(f"{event_type}: the v{version} upcaster did not return a dict")
        version += 1
        payload["schema_version"] = version
    return payload


def _describe(exc: ValidationError) -> str:
    """Field paths and reasons only: the inputs may hold citizens' personal data."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '<event>'}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)
    )
