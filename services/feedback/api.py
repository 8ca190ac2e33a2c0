"""Feedback's HTTP API (thin: validate, authorise, call the application, answer).

Time comes from the server clock here, at the edge, and is handed to the rules as an
argument; callback staff may give an explicit `attempted_at` to back-fill attempts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from contracts import ReplyResult, Satisfaction
from hotline.runtime.auth import ApiError, Principal, require
from services.feedback.application import (
    FeedbackApplication,
    QueryCodeRejected,
    RecordCallback,
    SubmitReply,
    TicketUnknown,
)
from services.feedback.callbacks import callback_queue
from services.feedback.domain import FeedbackError, NotYourTicket, WrongState
from services.feedback.rates import InvalidPeriod, compute_rates

router = APIRouter(tags=["feedback"])
STAFF_READERS = ("operator", "hotline_centre", "auditor")
BACKFILL_LIMIT = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=5)
_T = TypeVar("_T")


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    result: ReplyResult
    public_reply: str = Field(min_length=1, max_length=5000)
    measures: str | None = Field(default=None, max_length=5000)
    evidence_urls: list[Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]] = Field(
        default_factory=list, max_length=20
    )
    contacted_citizen_at: AwareDatetime | None = None


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reached: bool
    solved: bool | None = None
    satisfaction: Satisfaction | None = None
    comment: str | None = Field(default=None, max_length=1000)
    attempted_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _verdict_when_reached(self) -> CallbackIn:
        if self.reached and (self.solved is None or self.satisfaction is None):
            raise ValueError("a reached citizen's callback needs solved and satisfaction")
        if not self.reached and (self.solved is not None or self.satisfaction is not None):
            raise ValueError("an unreached callback has no verdict")
        return self


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    query_code: str = Field(min_length=4, max_length=64)
    solved: bool
    satisfaction: Satisfaction


def _application(request: Request) -> FeedbackApplication:
    application = request.app.state.service.application
    assert isinstance(application, FeedbackApplication)
    return application


async def _call(function: Callable[..., _T], *args: Any) -> _T:
    """Run a command in a thread and turn the domain's refusals into clear 4xx errors."""
    try:
        return await asyncio.to_thread(function, *args)
    except TicketUnknown as error:
        raise ApiError(404, "not_found", str(error)) from None
    except (NotYourTicket, QueryCodeRejected) as error:
        raise ApiError(403, "forbidden", str(error)) from None
    except WrongState as error:
        raise ApiError(409, "conflict", str(error)) from None
    except FeedbackError as error:
        raise ApiError(422, "invalid_request", str(error)) from None


def _attempt_time(given: datetime | None, now: datetime) -> datetime:
    if given is None:
        return now
    if given > now + CLOCK_SKEW or given < now - BACKFILL_LIMIT:
        raise ApiError(
            422, "invalid_request", "attempted_at must lie within the last 30 days, not ahead"
        )
    return given


@router.post("/v1/tickets/{ticket_id}/reply", status_code=201)
async def submit_reply(
    ticket_id: UUID,
    body: ReplyIn,
    request: Request,
    principal: Annotated[Principal, Depends(require("unit:*"))],
) -> dict[str, Any]:
    command = SubmitReply(
        ticket_id=ticket_id,
        unit_code=principal.unit_code,
        result=body.result.value,
        public_reply=body.public_reply,
        measures=body.measures,
        evidence_urls=tuple(body.evidence_urls),
        contacted_citizen_at=body.contacted_citizen_at,
        at=datetime.now(UTC),
    )
    verdict = await _call(_application(request).submit_reply, command)
    return {"accepted": verdict.accepted, "reasons": list(verdict.reasons)}


@router.post("/v1/tickets/{ticket_id}/callbacks", status_code=201)
async def record_callback(
    ticket_id: UUID,
    body: CallbackIn,
    request: Request,
    principal: Annotated[Principal, Depends(require("hotline_centre"))],
) -> dict[str, str]:
    attempted_at = _attempt_time(body.attempted_at, datetime.now(UTC))
    keyring = request.app.state.service.keyring
    comment = (
        keyring.seal(body.comment, associated_data=b"callback-comment") if body.comment else None
    )
    command = RecordCallback(
        ticket_id=ticket_id,
        reached=body.reached,
        attempted_at=attempted_at,
        solved=body.solved,
        satisfaction=body.satisfaction.value if body.satisfaction else None,
        comment=comment,
    )
    outcome = await _call(_application(request).record_callback, command)
    return {"outcome": outcome}


@router.post("/v1/tickets/{ticket_id}/rating", status_code=201)
async def rate_by_citizen(ticket_id: UUID, body: RatingIn, request: Request) -> dict[str, str]:
    """No API key: the citizen proves the ticket is theirs with its query code."""
    outcome = await _call(
        _application(request).rate_by_citizen,
        ticket_id,
        body.query_code,
        body.solved,
        body.satisfaction.value,
        datetime.now(UTC),
    )
    return {"outcome": outcome}


@router.get("/v1/callbacks")
async def list_callbacks(
    request: Request,
    principal: Annotated[Principal, Depends(require("hotline_centre", "auditor"))],
) -> dict[str, Any]:
    application = _application(request)
    queue = await asyncio.to_thread(lambda: callback_queue(application.log_events()))
    return {
        "callbacks": [
            {
                "ticket_id": str(item.ticket_id),
                "reason": item.reason,
                "unit_code": item.unit_code,
                "queued_at": item.queued_at.isoformat(),
                "failed_attempts": item.failed_attempts,
            }
            for item in queue
        ]
    }


@router.get("/v1/rates")
async def rates(
    request: Request,
    principal: Annotated[Principal, Depends(require(*STAFF_READERS))],
    period: Annotated[str, Query(min_length=7, max_length=7)],
) -> dict[str, Any]:
    application = _application(request)
    try:
        units = await asyncio.to_thread(lambda: compute_rates(application.log_events(), period))
    except InvalidPeriod as error:
        raise ApiError(422, "invalid_request", str(error)) from None
    return {"period": period, "units": [unit.as_dict() for unit in units]}
