"""Events published by the intake service, where citizens' complaints enter the platform."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event, register_upcaster


class Channel(StrEnum):
    """How the complaint reached the hotline; routing and statistics differ by channel."""

    PHONE = "phone"
    APP = "app"
    WECHAT = "wechat"
    WEB = "web"
    MEDIA = "media"
    OPEN311 = "open311"


class SealedValue(BaseModel):
    """Personal data sealed with AES-GCM, so it can cross Kafka and sit in logs unreadable.

    Only the holder of ``key_id`` can open it; deleting that key erases the data
    from every topic and replica at once.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    key_id: str = Field(min_length=1)
    """Which key sealed the value."""
    nonce: str = Field(min_length=1)
    """The AES-GCM nonce, standard base64."""
    ciphertext: str = Field(min_length=1)
    """Ciphertext with the GCM tag appended, standard base64."""


@register_event
class ComplaintReceived(IntegrationEvent):
    """A citizen's complaint was received and a ticket opened for it.

    Carries only what other services need; the phone number never leaves intake
    in clear (``citizen_ref`` is pseudonymous, ``contact`` is sealed).
    """

    event_type: Literal["ComplaintReceived"] = "ComplaintReceived"
    schema_version: Literal[2] = 2
    source: Literal["intake"] = "intake"

    channel: Channel
    """How the complaint arrived."""
    description: str = Field(min_length=1)
    """The citizen's own words, verbatim."""
    category_hint: str | None = None
    """A category suggested by the call-taker or the form, if any."""
    district: str | None = None
    """The district the complaint concerns, if known."""
    address: str | None = None
    """The address the complaint concerns, if given."""
    citizen_ref: str | None = None
    """Pseudonymous reference to the citizen; never the phone number."""
    contact: SealedValue | None = None
    """How to reach the citizen for feedback, sealed."""
    anonymous: bool = False
    """The citizen asked not to be identified to the handling unit."""
    publication_consent: bool = False
    """The citizen agreed that the case may be published (anonymised)."""


@register_upcaster("ComplaintReceived", from_version=1)
def _complaint_received_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 (pre-release) called the text ``text`` and had no channel: every v1 call came by phone."""
    if "text" in payload and "description" not in payload:
        payload["description"] = payload.pop("text")
    payload.setdefault("channel", Channel.PHONE.value)
    return payload
