"""What intake accepts over HTTP, field by field, with the reason for every limit.

The models are strict (no silent type coercion, unknown fields refused) so a
client's mistake is named rather than guessed around.
"""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from contracts import Channel, MediaType, Urgency
from services.intake.rules import (
    check_coordinates,
    check_id_number,
    check_url,
    clean_text,
    normalise_phone,
)

MAX_DESCRIPTION = 5000
MAX_ATTACHMENTS = 10
MAX_TRANSCRIPT = 10000

Name = Annotated[str, StringConstraints(min_length=1, max_length=50), AfterValidator(clean_text)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(clean_text)]
Place = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(clean_text)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(clean_text)]
Story = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_DESCRIPTION), AfterValidator(clean_text)
]
Transcript = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TRANSCRIPT), AfterValidator(clean_text)
]
Url = Annotated[str, AfterValidator(check_url)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(normalise_phone)]
IdNumber = Annotated[str, Field(max_length=18), AfterValidator(check_id_number)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class ContactIn(_Strict):
    """How to reach the citizen. Sealed under the citizen's own key before anything stores it."""

    name: Name | None = None
    phone: Phone
    id_number: IdNumber | None = None


class AttachmentIn(_Strict):
    url: Url
    media_type: MediaType
    transcript: Transcript | None = None

    @model_validator(mode="after")
    def _transcript_only_for_sound(self) -> Self:
        if self.transcript is not None and self.media_type is MediaType.IMAGE:
            raise ValueError("transcript: belongs to an audio or video attachment, not an image")
        return self


class MediaIn(_Strict):
    outlet: Label
    programme: Label | None = None


class ComplaintIn(_Strict):
    """A complaint from any channel. `media` is required for, and only for, the media hotline."""

    channel: Channel
    description: Story
    category_hint: Label | None = None
    district: Name | None = None
    address: Place | None = None
    street: Label | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    urgency: Urgency = Urgency.NORMAL
    attachments: Annotated[list[AttachmentIn], Field(max_length=MAX_ATTACHMENTS)] = []
    media: MediaIn | None = None
    contact: ContactIn | None = None
    anonymous: bool = False
    publication_consent: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_coordinates(self.latitude, self.longitude)
        if self.channel is Channel.MEDIA and self.media is None:
            raise ValueError("media: (outlet, programme) is required for the media channel")
        if self.channel is not Channel.MEDIA and self.media is not None:
            raise ValueError("media: is only for the media channel")
        return self


class SupplementIn(_Strict):
    text: Story | None = None
    attachments: Annotated[list[AttachmentIn], Field(max_length=MAX_ATTACHMENTS)] = []

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.text is None and not self.attachments:
            raise ValueError("text: a supplement needs text or at least one attachment")
        return self


class WithdrawIn(_Strict):
    reason: Reason | None = None


class ComplaintAccepted(BaseModel):
    ticket_id: UUID
    query_code: str
    """Give this to the citizen: with the ticket id it opens the progress lookup."""
