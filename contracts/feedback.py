"""Events published by the feedback service: replies, their quality check, callbacks, closure."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event


class ReplyResult(StrEnum):
    SOLVED = "solved"
    PARTLY_SOLVED = "partly_solved"
    CANNOT_BE_SOLVED = "cannot_be_solved"
    """With an explanation."""
    NOT_GOVERNMENT_MATTER = "not_government_matter"
    """With where to go instead."""


class Satisfaction(StrEnum):
    """The five-level scale, best first."""

    VERY_SATISFIED = "very_satisfied"
    """非常满意"""
    SATISFIED = "satisfied"
    """满意"""
    BASICALLY_SATISFIED = "basically_satisfied"
    """基本满意"""
    UNSATISFIED = "unsatisfied"
    """不满意"""
    VERY_UNSATISFIED = "very_unsatisfied"
    """非常不满意"""


class ClosureOutcome(StrEnum):
    SATISFIED = "satisfied"
    UNREACHABLE = "unreachable"
    WITHDRAWN = "withdrawn"


@register_event
class ReplySubmitted(IntegrationEvent):
    """The handling unit replied (办理答复); the quality check decides next."""

    event_type: Literal["ReplySubmitted"] = "ReplySubmitted"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    unit_code: str = Field(min_length=1)
    result: ReplyResult
    public_reply: str = Field(min_length=1)
    """The reply as the public may see it (masked again before publication)."""
    measures: str | None = None
    evidence_urls: tuple[str, ...] = ()
    contacted_citizen_at: AwareDatetime | None = None


@register_event
class ReplyAccepted(IntegrationEvent):
    """The reply passed the quality check; the resolution clock stops."""

    event_type: Literal["ReplyAccepted"] = "ReplyAccepted"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    unit_code: str = Field(min_length=1)
    result: ReplyResult
    public_reply: str = Field(min_length=1)


@register_event
class ReplyRejected(IntegrationEvent):
    """The reply failed the quality check (驳回重办); the clock keeps running."""

    event_type: Literal["ReplyRejected"] = "ReplyRejected"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    unit_code: str = Field(min_length=1)
    reasons: tuple[str, ...] = Field(min_length=1)


@register_event
class CallbackRated(IntegrationEvent):
    """A callback (回访) reached the citizen, or the citizen rated by query code."""

    event_type: Literal["CallbackRated"] = "CallbackRated"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    unit_code: str | None = None
    solved: bool
    satisfaction: Satisfaction
    by_citizen: bool = False
    """True when the citizen rated online with ticket id and query code."""
    round: int = Field(default=1, ge=1)


@register_event
class CallbackFailed(IntegrationEvent):
    """A callback attempt did not reach the citizen."""

    event_type: Literal["CallbackFailed"] = "CallbackFailed"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    attempt: int = Field(ge=1)
    unreachable: bool = False
    """True after the last allowed attempt: the citizen counts as unreachable."""


@register_event
class TicketReopened(IntegrationEvent):
    """The citizen was unsatisfied: the ticket is handled again (二次办理)."""

    event_type: Literal["TicketReopened"] = "TicketReopened"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    round: int = Field(ge=1)
    """1 for the first reopening."""
    unit_code: str | None = None


@register_event
class TicketClosed(IntegrationEvent):
    """The loop is closed (办结)."""

    event_type: Literal["TicketClosed"] = "TicketClosed"
    schema_version: Literal[1] = 1
    source: Literal["feedback"] = "feedback"

    outcome: ClosureOutcome
    satisfaction: Satisfaction | None = None
    solved: bool | None = None
    unit_code: str | None = None
