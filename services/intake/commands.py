"""Validated HTTP input → the application's commands, shared by the native API and Open311."""

from __future__ import annotations

from typing import Any

from services.intake.application import Contact, ReceiveComplaint
from services.intake.schemas import ComplaintIn


def receive_command(body: ComplaintIn) -> ReceiveComplaint:
    contact = body.contact
    return ReceiveComplaint(
        channel=body.channel.value,
        description=body.description,
        category_hint=body.category_hint,
        district=body.district,
        address=body.address,
        street=body.street,
        latitude=body.latitude,
        longitude=body.longitude,
        urgency=body.urgency.value,
        attachments=tuple(item.model_dump(mode="json") for item in body.attachments),
        media=body.media.model_dump(mode="json") if body.media else None,
        contact=Contact(contact.name, contact.phone, contact.id_number) if contact else None,
        anonymous=body.anonymous,
        publication_consent=body.publication_consent,
    )


def inline_schema(model: type[Any]) -> dict[str, Any]:
    """A model's JSON Schema with its `$defs` inlined, so it can sit inside an OpenAPI operation."""
    schema: dict[str, Any] = model.model_json_schema()
    definitions: dict[str, Any] = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved
