"""SLA's HTTP API: read a ticket's deadlines, pause/resume, ask for and decide extensions.

Thin: validate, authorise, call the application in a thread, answer. A rule the clock's
state forbids is a 409 with the rule's code; an unknown ticket is a 404; nothing changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from hotline.runtime.auth import ApiError, Principal, require
from services.sla.application import SlaApplication, TicketNotFound
from services.sla.domain import LADDER, Clock, SlaRuleViolation

router = APIRouter(tags=["deadlines"])

STAFF = ("operator", "hotline_centre", "auditor")


class PauseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=500)


class ExtensionRequestIn(BaseModel):
    """Either the deadline asked for, or how many working days more."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=500)
    requested_due_at: AwareDatetime | None = None
    extra_working_days: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="after")
    def exactly_one_target(self) -> Self:
        if (self.requested_due_at is None) == (self.extra_working_days is None):
            raise ValueError("give exactly one of requested_due_at and extra_working_days")
        return self


class ExtensionDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    granted: bool
    note: str | None = Field(default=None, max_length=500)
    new_due_at: AwareDatetime | None = None
    """For a grant: a deadline other than the one requested."""


class DeadlineOut(BaseModel):
    kind: str
    starts_at: datetime
    due_at: datetime
    policy: str
    warned_at_fractions: list[float]
    breached: bool
    met: bool


class DeadlinesOut(BaseModel):
    ticket_id: UUID
    unit_code: str
    running: bool
    stopped_reason: str | None
    paused_since: datetime | None
    supervision_level: int
    supervision_level_name: str | None
    reopen_round: int
    extension_requested_due_at: datetime | None
    deadlines: list[DeadlineOut]
    uncomputable: dict[str, int]
    """Deadline kind → the year no calendar covers."""


@router.get("/v1/tickets/{ticket_id}/deadlines")
async def get_deadlines(
    ticket_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require(*STAFF, "unit:*"))],
) -> DeadlinesOut:
    clock = await _call(request, lambda app: app.deadlines_of(ticket_id))
    if principal.is_unit and principal.unit_code != clock.unit_code:
        raise ApiError(403, "forbidden", "a unit may read only the tickets it holds")
    return _view(clock)


@router.post("/v1/tickets/{ticket_id}/pause")
async def pause(
    ticket_id: UUID,
    body: PauseIn,
    request: Request,
    principal: Annotated[Principal, Depends(require("operator", "hotline_centre"))],
) -> DeadlinesOut:
    return _view(await _call(request, lambda app: app.pause(ticket_id, body.reason)))


@router.post("/v1/tickets/{ticket_id}/resume")
async def resume(
    ticket_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require("operator", "hotline_centre"))],
) -> DeadlinesOut:
    return _view(await _call(request, lambda app: app.resume(ticket_id)))


@router.post("/v1/tickets/{ticket_id}/extension-requests", status_code=201)
async def request_extension(
    ticket_id: UUID,
    body: ExtensionRequestIn,
    request: Request,
    principal: Annotated[Principal, Depends(require("unit:*"))],
) -> DeadlinesOut:
    unit_code = principal.unit_code or ""
    clock = await _call(request, lambda app: app.deadlines_of(ticket_id))
    if clock.unit_code != unit_code:
        raise ApiError(403, "forbidden", "only the unit holding the ticket may ask for more time")
    changed = await _call(
        request,
        lambda app: app.request_extension(
            ticket_id, unit_code, body.reason, body.requested_due_at, body.extra_working_days
        ),
    )
    return _view(changed)


@router.post("/v1/tickets/{ticket_id}/extension-requests/decision")
async def decide_extension(
    ticket_id: UUID,
    body: ExtensionDecisionIn,
    request: Request,
    principal: Annotated[Principal, Depends(require("hotline_centre"))],
) -> DeadlinesOut:
    clock = await _call(
        request,
        lambda app: app.decide_extension(ticket_id, body.granted, body.note, body.new_due_at),
    )
    return _view(clock)


async def _call(request: Request, action: Callable[[SlaApplication], Clock]) -> Clock:
    application = request.app.state.service.application
    assert isinstance(application, SlaApplication)
    try:
        return await asyncio.to_thread(action, application)
    except TicketNotFound:
        raise ApiError(404, "not_found", "no deadlines for this ticket") from None
    except SlaRuleViolation as violation:
        raise ApiError(409, violation.code, violation.message) from None


def _view(clock: Clock) -> DeadlinesOut:
    level_name: Any = LADDER[clock.level - 1].value if clock.level else None
    return DeadlinesOut(
        ticket_id=clock.id,
        unit_code=clock.unit_code,
        running=clock.running,
        stopped_reason=clock.stopped_reason,
        paused_since=clock.paused_at,
        supervision_level=clock.level,
        supervision_level_name=level_name,
        reopen_round=clock.reopen_round,
        extension_requested_due_at=clock.requested_due_at,
        deadlines=[
            DeadlineOut(
                kind=d.kind.value,
                starts_at=d.starts_at,
                due_at=d.due_at,
                policy=d.policy,
                warned_at_fractions=list(d.warned),
                breached=d.breached,
                met=d.met,
            )
            for d in clock.deadlines.values()
        ],
        uncomputable={kind.value: year for kind, year in clock.uncomputable.items()},
    )
