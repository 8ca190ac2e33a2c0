"""Write the contracts out as JSON Schema and AsyncAPI, for teams that do not read Python.

The output is deterministic (sorted keys, fixed layout) so it can be committed
and a contract change shows up as a diff in review.

Usage: ``python -m contracts DIRECTORY``.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import Any

from contracts.envelope import SERVICE_NAMES, IntegrationEvent
from contracts.registry import EVENT_TYPES

ASYNCAPI_FILE = "asyncapi.json"
KAFKA_BINDING_VERSION = "0.5.0"
JSON_SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"


def export_contracts(directory: Path) -> list[Path]:
    """Write ``<EventType>.v<version>.schema.json`` per event and ``asyncapi.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for cls in _events():
        path = directory / schema_file_name(cls)
        _write_json(path, cls.model_json_schema())
        written.append(path)
    path = directory / ASYNCAPI_FILE
    _write_json(path, asyncapi_document())
    written.append(path)
    return written


def schema_file_name(cls: type[IntegrationEvent]) -> str:
    return f"{cls.declared_event_type()}.v{cls.declared_schema_version()}.schema.json"


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 description of every topic, message and Kafka header."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {"DeadLetter": _dead_letter_message()}
    for service in SERVICE_NAMES:
        events = [cls for cls in _events() if _topic_suffix(cls) == service]
        topic = f"hotline.{service}"
        channels[topic] = _channel(
            topic,
            f"Integration events published by the {service} service. Messages are keyed by "
            "ticket id (UUID string), so all events of one ticket land on one partition in order.",
            [cls.declared_event_type() for cls in events],
        )
        dead_letters = f"{topic}.dead-letter"
        channels[dead_letters] = _channel(
            dead_letters,
            f"Messages the {service} service consumed but could not process, copied byte for "
            "byte with headers saying why and where they came from, under the original key.",
            ["DeadLetter"],
        )
        for cls in events:
            messages[cls.declared_event_type()] = _event_message(cls)
        if events:
            operations[f"{service}.publish"] = _send(topic, events)
        operations[f"{service}.deadLetter"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{dead_letters}"},
            "summary": f"The {service} service dead-letters a message it cannot process.",
        }
    public = [cls for cls in _events() if _topic_suffix(cls) == "public"]
    channels["hotline.public"] = _channel(
        "hotline.public",
        "Masked, personal-data-free events for downstream analytics, published by the "
        "publication service. Keyed by ticket id.",
        [cls.declared_event_type() for cls in public],
    )
    for cls in public:
        messages[cls.declared_event_type()] = _event_message(cls)
    if public:
        operations["publication.publishPublic"] = _send("hotline.public", public)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "12345 citizen hotline integration events",
            "version": "1.0.0",
            "description": (
                "Events the intake, routing, sla, feedback and publication services exchange. "
                "Payloads are UTF-8 JSON; consumers must deduplicate on event_id."
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _topic_suffix(cls: type[IntegrationEvent]) -> str:
    """The topic an event goes to: its source service's, unless it names another stream."""
    suffix: str = getattr(cls, "topic_suffix", cls.declared_source())
    return suffix


def _events() -> list[type[IntegrationEvent]]:
    return [EVENT_TYPES[name] for name in sorted(EVENT_TYPES)]


def _channel(topic: str, description: str, message_names: list[str]) -> dict[str, Any]:
    return {
        "address": topic,
        "description": description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in message_names},
        "bindings": {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _send(topic: str, events: list[type[IntegrationEvent]]) -> dict[str, Any]:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{topic}"},
        "messages": [
            {"$ref": f"#/channels/{topic}/messages/{cls.declared_event_type()}"} for cls in events
        ],
    }


def _event_message(cls: type[IntegrationEvent]) -> dict[str, Any]:
    description = inspect.cleandoc(cls.__doc__ or "")
    return {
        "name": cls.declared_event_type(),
        "title": cls.declared_event_type(),
        "summary": description.splitlines()[0] if description else "",
        "description": description,
        "contentType": "application/json",
        "headers": _event_headers(cls),
        "payload": {
            "schemaFormat": JSON_SCHEMA_FORMAT,
            "schema": {"$ref": f"./{schema_file_name(cls)}"},
        },
        "correlationId": {"location": "$message.payload#/ticket_id"},
        "bindings": {"kafka": {"key": _TICKET_KEY, "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _event_headers(cls: type[IntegrationEvent]) -> dict[str, Any]:
    """The Kafka headers the runtime sends (UTF-8 strings), duplicating the envelope.

    Why: brokers, routers and tracing can act on headers without parsing the payload.
    """
    return _headers(
        {
            "event_type": {"const": cls.declared_event_type(), "description": "As in the payload."},
            "source": {"const": cls.declared_source(), "description": "As in the payload."},
            "position": {
                "pattern": "^[1-9][0-9]*$",
                "description": "The payload's position, as a decimal string.",
            },
            "traceparent": {"description": "W3C traceparent of the producing span."},
            "tracestate": {"description": "W3C tracestate of the producing span."},
        },
        required=["event_type", "source", "position"],
    )


def _dead_letter_message() -> dict[str, Any]:
    return {
        "name": "DeadLetter",
        "title": "DeadLetter",
        "summary": "A message that could not be processed, kept for inspection and replay.",
        "description": (
            "The payload is the original message value, unchanged (it may not even be JSON)."
        ),
        "contentType": "application/octet-stream",
        "headers": _headers(
            {
                "error": {"description": "Why processing failed (no personal data)."},
                "original_topic": {"description": "Topic the message was consumed from."},
                "original_partition": {
                    "pattern": "^[0-9]+$",
                    "description": "Its partition, as a decimal string.",
                },
                "original_offset": {
                    "pattern": "^[0-9]+$",
                    "description": "Its offset, as a decimal string.",
                },
            },
            required=["error", "original_topic", "original_partition", "original_offset"],
        ),
        "payload": {"type": "string", "format": "binary", "description": "The original bytes."},
        "bindings": {"kafka": {"key": _ORIGINAL_KEY, "bindingVersion": KAFKA_BINDING_VERSION}},
    }


_ORIGINAL_KEY: dict[str, Any] = {
    "type": "string",
    "description": "The original message's key (normally the ticket id), if it had one.",
}
_TICKET_KEY: dict[str, Any] = {
    "type": "string",
    "format": "uuid",
    "description": "The ticket id, so a ticket's messages share a partition and keep their order.",
}


def _headers(properties: dict[str, dict[str, Any]], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: {"type": "string", **spec} for name, spec in properties.items()},
        "required": required,
    }


def _write_json(path: Path, document: dict[str, Any]) -> None:
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m contracts DIRECTORY", file=sys.stderr)
        return 2
    for path in export_contracts(Path(args[0])):
        print(path)
    return 0
