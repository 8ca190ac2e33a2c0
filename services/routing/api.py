"""Routing's HTTP API: the manual dispatch queue, sign-in, returns, reviews, consultations.

A unit's key acts only on tickets its unit holds (403 otherwise); the hotline centre
reviews returns and settles consultations; operators and the centre dispatch by hand.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from contracts import DeadlineClass, ReturnReason
from hotline.runtime.auth import ApiError, Principal, require
from services.routing.application import RoutingApplication
from services.routing.domain import Dispatch, DispatchRuleError

router = APIRouter(tags=["routing"])
T = TypeVar("T")

Dispatcher = Annotated[Principal, Depends(require("operator", "hotline_centre"))]
Centre = Annotated[Principal, Depends(require("hotline_centre"))]
QueueReader = Annotated[Principal, Depends(require("operator", "hotline_centre", "auditor"))]
AnyUnit = Annotated[Principal, Depends(require("unit:*"))]
StaffOrUnit = Annotated[
    Principal, Depends(require("operator", "hotline_centre", "auditor", "unit:*"))
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ManualDispatch(_Body):
    unit_code: str = Field(min_length=1)
    category: str | None = None
    deadline_class: DeadlineClass | None = None


class ReturnRequest(_Body):
    reason: ReturnReason
    note: str | None = Field(default=None, max_length=2000)


class ReturnReview(_Body):
    accepted: bool
    note: str | None = Field(default=None, max_length=2000)
    reroute_to: str | None = None
    """On acceptance: the unit the centre names; omitted, routing decides again."""


class ConsultationResult(_Body):
    lead_unit: str | None = None
    co_handlers: tuple[str, ...] = ()
    disputed: bool = False
    """Ownership stays disputed: the fallback unit (兜底单位) takes the ticket."""


def _app(request: Request) -> RoutingApplication:
    application = request.app.state.service.application
    assert isinstance(application, RoutingApplication)
    return application


async def _run(call: Callable[[], T]) -> T:
    """Run a command off the event loop; domain refusals become clear 4xx errors."""
    try:
        return await asyncio.to_thread(call)
    except KeyError:
        raise ApiError(404, "not_found", "routing knows no such ticket") from None
    except PermissionError as error:
        raise ApiError(403, "forbidden", str(error)) from None
    except LookupError as error:
        raise ApiError(422, "unknown_unit", str(error)) from None
    except DispatchRuleError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except IntegrityError:
        raise ApiError(409, "conflict", "the ticket changed meanwhile: reload and retry") from None


def dispatch_view(dispatch: Dispatch) -> dict[str, Any]:
    returns = Counter(unit for unit, _ in dispatch.returns)
    return {
        "ticket_id": str(dispatch.id),
        "status": str(dispatch.status),
        "unit_code": dispatch.unit_code,
        "unit_name": dispatch.unit_name,
        "category": dispatch.category,
        "district": dispatch.district,
        "street": dispatch.street,
        "deadline_class": dispatch.deadline_class,
        "dispatch_level": dispatch.dispatch_level,
        "co_handlers": list(dispatch.co_handlers),
        "reopen_round": dispatch.reopen_round,
        "master_ticket_id": str(dispatch.master_ticket_id) if dispatch.master_ticket_id else None,
        "candidate_units": list(dispatch.candidate_units),
        "returns_total": len(dispatch.returns),
        "returns_by_unit": dict(returns),
    }


@router.get("/v1/dispatch-queue")
async def dispatch_queue(request: Request, _: QueueReader) -> dict[str, Any]:
    """Tickets waiting for a person: manual dispatch, consultation, or a return to review."""
    tickets = await asyncio.to_thread(_app(request).index.awaiting_centre)
    return {
        "tickets": [
            {
                "ticket_id": str(t.ticket_id),
                "status": str(t.status),
                "received_at": t.received_at.isoformat(),
                "description": t.text,
                "district": t.district,
                "street": t.street,
                "category": t.category,
                "best_guess_unit_code": t.best_guess_unit_code,
                "confidence": t.confidence,
                "candidate_units": list(t.candidate_units),
                "returns": t.returns,
            }
            for t in tickets
        ]
    }


@router.get("/v1/tickets/{ticket_id}/dispatch")
async def show_dispatch(ticket_id: UUID, request: Request, who: StaffOrUnit) -> dict[str, Any]:
    app = _app(request)
    dispatch = await _run(lambda: app.get_dispatch(ticket_id))
    if who.is_unit and who.unit_code not in (dispatch.unit_code, *dispatch.co_handlers):
        raise ApiError(403, "forbidden", "this ticket is not your unit's")
    return dispatch_view(dispatch)


@router.post("/v1/tickets/{ticket_id}/dispatch")
async def dispatch_manually(
    ticket_id: UUID, body: ManualDispatch, request: Request, who: Dispatcher
) -> dict[str, Any]:
    app = _app(request)
    dispatch = await _run(
        lambda: app.dispatch_manually(
            ticket_id, body.unit_code, body.category, body.deadline_class, who.key_id
        )
    )
    return dispatch_view(dispatch)


@router.post("/v1/tickets/{ticket_id}/sign")
async def sign(ticket_id: UUID, request: Request, who: AnyUnit) -> dict[str, Any]:
    app = _app(request)
    unit = who.unit_code or ""
    return dispatch_view(await _run(lambda: app.sign(ticket_id, unit)))


@router.post("/v1/tickets/{ticket_id}/return")
async def give_back(
    ticket_id: UUID, body: ReturnRequest, request: Request, who: AnyUnit
) -> dict[str, Any]:
    app = _app(request)
    unit = who.unit_code or ""
    return dispatch_view(await _run(lambda: app.give_back(ticket_id, unit, body.reason, body.note)))


@router.post("/v1/tickets/{ticket_id}/return-review")
async def review_return(
    ticket_id: UUID, body: ReturnReview, request: Request, _: Centre
) -> dict[str, Any]:
    app = _app(request)
    return dispatch_view(
        await _run(lambda: app.review_return(ticket_id, body.accepted, body.note, body.reroute_to))
    )


@router.post("/v1/tickets/{ticket_id}/consultation")
async def resolve_consultation(
    ticket_id: UUID, body: ConsultationResult, request: Request, who: Centre
) -> dict[str, Any]:
    app = _app(request)
    if body.disputed:
        return dispatch_view(await _run(lambda: app.assign_fallback(ticket_id, who.key_id)))
    lead = body.lead_unit
    if lead is None:
        raise ApiError(422, "invalid", "name a lead_unit, or set disputed to true")
    return dispatch_view(
        await _run(lambda: app.resolve_consultation(ticket_id, lead, body.co_handlers, who.key_id))
    )


@router.post("/v1/tickets/{ticket_id}/leader-dispatch")
async def dispatch_at_leader_level(
    ticket_id: UUID, request: Request, who: Centre
) -> dict[str, Any]:
    """The centre flags a ticket major (mass incident, public safety): 领导交办."""
    app = _app(request)
    return dispatch_view(await _run(lambda: app.dispatch_at_leader_level(ticket_id, who.key_id)))
