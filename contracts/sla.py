"""Events published by the SLA service, which owns every deadline and the supervision ladder."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event


class DeadlineKind(StrEnum):
    SIGN_IN = "sign_in"
    """The unit must sign for the ticket (签收)."""
    FIRST_CONTACT = "first_contact"
    """The unit must contact the citizen."""
    RESOLUTION = "resolution"
    """The unit must reply (办结答复)."""


class SupervisionLevel(StrEnum):
    """五级督办, in order: each level is the next step up after the one before it."""

    HOTLINE_CENTRE = "hotline_centre"
    """1 热线催办."""
    MEDIA = "media"
    """2 媒体曝光."""
    GOVERNMENT_INSPECTION = "government_inspection"
    """3 政务督查 (督查室)."""
    CONGRESS_CPPCC = "congress_cppcc"
    """4 人大政协."""
    DISCIPLINE_INSPECTION = "discipline_inspection"
    """5 纪委."""


@register_event
class DeadlineSet(IntegrationEvent):
    """A deadline now applies to the ticket (or was moved by an extension)."""

    event_type: Literal["DeadlineSet"] = "DeadlineSet"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    kind: DeadlineKind
    due_at: AwareDatetime
    unit_code: str = Field(min_length=1)
    policy: str = Field(min_length=1)
    """Which policy rule set it, e.g. `normal:resolution:5wd`."""


@register_event
class DeadlineWarned(IntegrationEvent):
    """A given fraction of the allowed time has passed (预警)."""

    event_type: Literal["DeadlineWarned"] = "DeadlineWarned"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    kind: DeadlineKind
    due_at: AwareDatetime
    unit_code: str = Field(min_length=1)
    fraction: float = Field(gt=0, lt=1)


@register_event
class DeadlineBreached(IntegrationEvent):
    """The deadline passed without the act it asked for (超期)."""

    event_type: Literal["DeadlineBreached"] = "DeadlineBreached"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    kind: DeadlineKind
    due_at: AwareDatetime
    unit_code: str = Field(min_length=1)


@register_event
class Escalated(IntegrationEvent):
    """The ticket moved up the supervision ladder (督办), with the reason."""

    event_type: Literal["Escalated"] = "Escalated"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    level: SupervisionLevel
    level_number: int = Field(ge=1, le=5)
    reason: str = Field(min_length=1)
    """e.g. `overdue`, `returned 3 times`, `second unsatisfied callback`, `repeat complaint`."""
    unit_code: str | None = None


@register_event
class ExtensionRequested(IntegrationEvent):
    """The unit asked for more time before the deadline (申请延期)."""

    event_type: Literal["ExtensionRequested"] = "ExtensionRequested"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    unit_code: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    requested_due_at: AwareDatetime


@register_event
class ExtensionDecided(IntegrationEvent):
    """The hotline centre granted or denied an extension; a grant moves the deadline."""

    event_type: Literal["ExtensionDecided"] = "ExtensionDecided"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    granted: bool
    unit_code: str = Field(min_length=1)
    new_due_at: AwareDatetime | None = None
    note: str | None = None


@register_event
class ClockPaused(IntegrationEvent):
    """The clock stopped running while waiting for the citizen (挂起)."""

    event_type: Literal["ClockPaused"] = "ClockPaused"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    reason: str = Field(min_length=1)


@register_event
class ClockResumed(IntegrationEvent):
    """The clock runs again; deadlines moved by the time it was paused."""

    event_type: Literal["ClockResumed"] = "ClockResumed"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    paused_seconds: float = Field(ge=0)


@register_event
class DeadlineUncomputable(IntegrationEvent):
    """A deadline would fall in a year no calendar covers; flagged, never guessed."""

    event_type: Literal["DeadlineUncomputable"] = "DeadlineUncomputable"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"

    kind: DeadlineKind
    missing_year: int
