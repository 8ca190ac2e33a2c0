"""The public stream, `hotline.public`: masked, personal-data-free facts for analytics.

Produced by the publication service from its own log (a second relay beside
`hotline.publication`). Nothing here identifies a citizen: free text is masked by
publication's masking engine, there is no contact, no pseudonym, no address beyond
district and street, and an unpublished ticket contributes only counts (no text).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event

PUBLIC_TOPIC_SUFFIX = "public"
"""The stream's topic is `<prefix>.public`, e.g. `hotline.public`."""


class PublicEvent(IntegrationEvent):
    """Base of the public stream's events: they go to `<prefix>.public`, not the source's topic."""

    topic_suffix: ClassVar[str] = PUBLIC_TOPIC_SUFFIX


class PublicStage(StrEnum):
    """Where the ticket got to, as the public may know it."""

    ASSIGNED = "assigned"
    SIGNED = "signed"
    DEADLINE_BREACHED = "deadline_breached"
    ESCALATED = "escalated"
    REPLIED = "replied"
    RATED = "rated"
    REOPENED = "reopened"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


@register_event
class PublicTicketOpened(PublicEvent):
    """A ticket was opened; what kind of problem and where, nothing about who."""

    event_type: Literal["PublicTicketOpened"] = "PublicTicketOpened"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"

    channel: str
    """How it arrived (phone, app, wechat, web, media, open311)."""
    district: str | None = None
    """District (masked free text)."""
    category: str | None = None
    """Category hint given at intake, if any."""


@register_event
class PublicTicketProgressed(PublicEvent):
    """The ticket moved one step in the closed loop."""

    event_type: Literal["PublicTicketProgressed"] = "PublicTicketProgressed"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"

    stage: PublicStage
    unit_code: str | None = None
    """The handling unit the step concerns, if any."""
    category: str | None = None
    """The category routing settled on (for `assigned`)."""
    escalation_level: int | None = Field(default=None, ge=1, le=5)
    """五级督办 level, for `escalated`."""
    satisfaction: str | None = None
    """Five-level satisfaction, for `rated` and `closed`."""
    solved: bool | None = None
    """Whether the citizen said it was solved, for `rated` and `closed`."""


@register_event
class PublicTicketAired(PublicEvent):
    """The ticket is on the public board: the citizen consented, the category is not sensitive."""

    event_type: Literal["PublicTicketAired"] = "PublicTicketAired"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"

    masked_description: str = Field(min_length=1)
    category: str | None = None
    district: str | None = None
    unit_code: str | None = None


@register_event
class PublicTicketWithdrawnFromBoard(PublicEvent):
    """An aired ticket was taken off the board; consumers should drop its text."""

    event_type: Literal["PublicTicketWithdrawnFromBoard"] = "PublicTicketWithdrawnFromBoard"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"


@register_event
class PublicCommentApproved(PublicEvent):
    """A member of the public's comment (网民点评) passed moderation; its text is masked."""

    event_type: Literal["PublicCommentApproved"] = "PublicCommentApproved"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"

    comment_id: str = Field(min_length=1)
    masked_text: str = Field(min_length=1)
