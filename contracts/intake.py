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


class Urgency(StrEnum):
    """How urgent the call-taker or the citizen judged the problem; SLA policies key on it."""

    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class MediaType(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


class Attachment(BaseModel):
    """A photo, video or recording the citizen supplied, by URL."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    url: str = Field(min_length=1)
    """Where the file is (http or https)."""
    media_type: MediaType
    """What kind of file it is."""
    transcript: str | None = None
    """Voice-to-text transcript of an audio file, when given."""


class MediaSource(BaseModel):
    """For complaints forwarded by the media hotline: who forwarded it."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    outlet: str = Field(min_length=1)
    """The newsroom or station."""
    programme: str | None = None
    """The programme or column, e.g. 政风热线."""


@register_event
class ComplaintReceived(IntegrationEvent):
    """A citizen's complaint was received and a ticket opened for it.

    Carries only what other services need; the phone number never leaves intake
    in clear (``citizen_ref`` is pseudonymous, ``contact`` is sealed).
    """

    event_type: Literal["ComplaintReceived"] = "ComplaintReceived"
    schema_version: Literal[3] = 3
    source: Literal["intake"] = "intake"

    channel: Channel
    """How the complaint arrived."""
    description: str = Field(min_length=1)
    """The citizen's own words, verbatim except that phone and resident-ID numbers typed
    into them are masked (`[电话]`, `[身份证号]`): numbers belong in the sealed `contact`."""
    category_hint: str | None = None
    """A category suggested by the call-taker or the form, if any."""
    district: str | None = None
    """The district the complaint concerns, if known."""
    address: str | None = None
    """The address the complaint concerns, if given."""
    street: str | None = None
    """The street or township (街道/镇) the complaint concerns, if known."""
    latitude: float | None = Field(default=None, ge=-90, le=90)
    """WGS-84 latitude of the problem, if given."""
    longitude: float | None = Field(default=None, ge=-180, le=180)
    """WGS-84 longitude of the problem, if given."""
    urgency: Urgency = Urgency.NORMAL
    """How urgent the problem was judged at intake."""
    attachments: tuple[Attachment, ...] = ()
    """Photos, videos and recordings supplied with the complaint."""
    media: MediaSource | None = None
    """Who forwarded it, for the media hotline channel."""
    citizen_ref: str | None = None
    """Pseudonymous reference to the citizen; never the phone number."""
    contact: SealedValue | None = None
    """How to reach the citizen for feedback, sealed."""
    anonymous: bool = False
    """The citizen asked not to be identified to the handling unit."""
    publication_consent: bool = False
    """The citizen agreed that the case may be published (anonymised)."""
    query_code_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """SHA-256 hex of `"<ticket_id>:<query code>"`: lets other services check a citizen's
    query code (progress lookup, self-rating) without the code itself travelling."""


@register_upcaster("ComplaintReceived", from_version=1)
def _complaint_received_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 (pre-release) called the text ``text`` and had no channel: every v1 call came by phone."""
    if "text" in payload and "description" not in payload:
        payload["description"] = payload.pop("text")
    payload.setdefault("channel", Channel.PHONE.value)
    return payload


@register_upcaster("ComplaintReceived", from_version=2)
def _complaint_received_v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    """v3 added location detail, urgency, attachments and the media source; v2 had none."""
    payload.setdefault("urgency", Urgency.NORMAL.value)
    return payload


@register_event
class ComplaintSupplemented(IntegrationEvent):
    """The citizen added material to an open ticket (补充材料)."""

    event_type: Literal["ComplaintSupplemented"] = "ComplaintSupplemented"
    schema_version: Literal[1] = 1
    source: Literal["intake"] = "intake"

    text: str | None = None
    """What the citizen added, in their words."""
    attachments: tuple[Attachment, ...] = ()
    """Files added."""


@register_event
class ComplaintWithdrawn(IntegrationEvent):
    """The citizen withdrew the complaint (撤诉); handling stops, the record stays."""

    event_type: Literal["ComplaintWithdrawn"] = "ComplaintWithdrawn"
    schema_version: Literal[1] = 1
    source: Literal["intake"] = "intake"

    reason: str | None = None
    """Why, if the citizen said."""


@register_event
class ContactDataAccessed(IntegrationEvent):
    """Someone read a citizen's contact data (PIPL: every access to personal data is on record).

    Names who by role and API-key fingerprint, never what was read.
    """

    event_type: Literal["ContactDataAccessed"] = "ContactDataAccessed"
    schema_version: Literal[1] = 1
    source: Literal["intake"] = "intake"

    role: str = Field(min_length=1)
    """The reader's role, e.g. `operator`, `hotline_centre`, `unit:water`."""
    key_fingerprint: str = Field(min_length=1)
    """Fingerprint of the API key used (first 8 hex chars of its SHA-256)."""
    citizen_ref: str | None = None
    """Pseudonym of the citizen whose data was read."""
