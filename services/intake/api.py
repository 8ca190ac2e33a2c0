"""Intake's native HTTP API (thin: read the body safely, authorise, call the application).

Who may do what:

* submit, supplement, withdraw: `operator` (phone and media calls) and `partner`
  (the app, WeChat, web and Open311 gateways, which authenticate citizens
  themselves); there is no keyless public submission. A partner acts only on the
  tickets it submitted; `hotline_centre` may also supplement or withdraw.
* read a ticket: operators, the hotline centre, auditors, and the unit holding it.
* read contact data: operators, the hotline centre, the holding unit (not for an
  anonymous citizen) — each read is recorded and published (`ContactDataAccessed`).
* progress lookup: anyone with the ticket id and its query code (`X-Query-Code`).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

import structlog
from fastapi import APIRouter, Depends, Header, Request
from fastapi.encoders import jsonable_encoder

from hotline.runtime.auth import ApiError, Principal, require
from services.intake.application import (
    Caller,
    ContactAccessDenied,
    IdempotencyConflict,
    IntakeApplication,
    TicketNotFound,
)
from services.intake.body import LimitedBodyRoute, parse_json
from services.intake.citizen_keys import ForgottenError
from services.intake.commands import inline_schema, receive_command
from services.intake.domain import Ticket, TicketStateError
from services.intake.public_view import open311_status
from services.intake.query_code import matches
from services.intake.schemas import ComplaintAccepted, ComplaintIn, SupplementIn, WithdrawIn

log = structlog.get_logger(__name__)
router = APIRouter(tags=["complaints"], route_class=LimitedBodyRoute)

SUBMITTERS = ("operator", "partner")
CHANGERS = ("operator", "partner", "hotline_centre")
READERS = ("operator", "hotline_centre", "auditor", "unit:*")
CONTACT_READERS = ("operator", "hotline_centre", "unit:*")
MAX_IDEMPOTENCY_KEY = 200


def _body_schema(model: type[Any]) -> dict[str, Any]:
    schema = inline_schema(model)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def application_of(request: Request) -> IntakeApplication:
    app = request.app.state.service.application
    assert isinstance(app, IntakeApplication)
    return app


def caller_of(principal: Principal) -> Caller:
    return Caller(principal.role, principal.key_id)


@router.post(
    "/v1/complaints",
    status_code=201,
    openapi_extra=_body_schema(ComplaintIn),
    response_model=ComplaintAccepted,
)
async def receive_complaint(
    request: Request,
    principal: Annotated[Principal, Depends(require(*SUBMITTERS))],
    idempotency_key: Annotated[str | None, Header()] = None,
) -> ComplaintAccepted:
    """Record a complaint from any channel; returns the ticket id and the citizen's query code.

    Send `Idempotency-Key` to make a retry return the same ticket instead of a second one.
    """
    check_idempotency_key(idempotency_key)
    body = parse_json(await request.body(), ComplaintIn)
    running = request.app.state.service
    try:
        accepted = await asyncio.to_thread(
            application_of(request).submit,
            receive_command(body),
            running.keyring,
            caller_of(principal),
            idempotency_key,
        )
    except IdempotencyConflict as error:
        raise ApiError(422, "idempotency_key_reused", str(error)) from None
    log.info(
        "complaint.received",
        ticket_id=str(accepted.ticket_id),
        channel=body.channel.value,
        role=principal.role,
        key_id=principal.key_id,
        replayed=not accepted.created,
    )
    return ComplaintAccepted(ticket_id=accepted.ticket_id, query_code=accepted.query_code)


def check_idempotency_key(key: str | None) -> None:
    if key is None:
        return
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isascii() or not key.isprintable():
        raise ApiError(
            400,
            "invalid_idempotency_key",
            f"Idempotency-Key must be 1-{MAX_IDEMPOTENCY_KEY} printable ASCII characters",
            details=[
                {"field": "Idempotency-Key", "problem": "not 1-200 printable ASCII characters"}
            ],
        )


@router.get("/v1/complaints/{ticket_id}")
async def get_complaint(
    ticket_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require(*READERS))],
) -> dict[str, Any]:
    """The ticket as intake knows it, for staff; contact data only through `/contact`."""
    ticket = await load_ticket(request, ticket_id)
    if principal.is_unit and principal.unit_code != ticket.holder_unit_code:
        raise ApiError(403, "forbidden", "this ticket is not held by your unit")
    return staff_view(ticket)


@router.get("/v1/complaints/{ticket_id}/contact")
async def read_contact(
    ticket_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require(*CONTACT_READERS))],
) -> dict[str, Any]:
    """The citizen's contact data, in clear; the read is recorded before it is answered."""
    running = request.app.state.service
    try:
        contact = await asyncio.to_thread(
            application_of(request).read_contact, ticket_id, caller_of(principal), running.keyring
        )
    except TicketNotFound:
        raise _not_found(ticket_id) from None
    except ContactAccessDenied as error:
        raise ApiError(403, "forbidden", str(error)) from None
    except ForgottenError:
        raise ApiError(
            410, "erased", "this citizen's personal data was erased on request"
        ) from None
    return {"ticket_id": str(ticket_id), "contact": contact or None}


@router.post(
    "/v1/complaints/{ticket_id}/supplements",
    status_code=201,
    openapi_extra=_body_schema(SupplementIn),
)
async def supplement(
    ticket_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require(*CHANGERS))],
) -> dict[str, Any]:
    """补充材料: add text or files to an open ticket (`ComplaintSupplemented`)."""
    body = parse_json(await request.body(), SupplementIn)
    await check_may_change(request, ticket_id, principal)
    attachments = [item.model_dump(mode="json") for item in body.attachments]
    ticket = await _change(
        request, ticket_id, "supplement", body.text, attachments, caller_of(principal)
    )
    return {"ticket_id": str(ticket_id), "supplements": ticket.supplements}


@router.post("/v1/complaints/{ticket_id}/withdraw", openapi_extra=_body_schema(WithdrawIn))
async def withdraw(
    ticket_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require(*CHANGERS))],
) -> dict[str, Any]:
    """撤诉: the citizen withdraws; handling stops, the record stays (`ComplaintWithdrawn`)."""
    raw = await request.body()
    body = parse_json(raw, WithdrawIn) if raw.strip() else WithdrawIn()
    await check_may_change(request, ticket_id, principal)
    ticket = await _change(request, ticket_id, "withdraw", body.reason, caller_of(principal))
    return {"ticket_id": str(ticket_id), "status": ticket.extended_status}


@router.get("/v1/complaints/{ticket_id}/progress")
async def progress(
    ticket_id: UUID,
    request: Request,
    x_query_code: Annotated[str | None, Header(max_length=64)] = None,
) -> dict[str, Any]:
    """进度查询 for the citizen: ticket id + query code; a wrong code looks like no ticket."""
    app = application_of(request)
    ticket = await asyncio.to_thread(app.find, ticket_id)
    if (
        not isinstance(ticket, Ticket)
        or not x_query_code
        or not matches(ticket_id, x_query_code, ticket.query_code_sha256)
    ):
        raise _not_found(ticket_id)
    return citizen_view(ticket)


async def load_ticket(request: Request, ticket_id: UUID) -> Ticket:
    try:
        return await asyncio.to_thread(application_of(request).ticket, ticket_id)
    except TicketNotFound:
        raise _not_found(ticket_id) from None


async def check_may_change(request: Request, ticket_id: UUID, principal: Principal) -> None:
    ticket = await load_ticket(request, ticket_id)
    if principal.role == "partner" and ticket.submitted_by != caller_of(principal).label:
        raise ApiError(403, "forbidden", "a partner may change only the tickets it submitted")


async def _change(request: Request, ticket_id: UUID, action: str, *args: Any) -> Ticket:
    command = getattr(application_of(request), action)
    try:
        ticket: Ticket = await asyncio.to_thread(command, ticket_id, *args)
    except TicketNotFound:
        raise _not_found(ticket_id) from None
    except TicketStateError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return ticket


def _not_found(ticket_id: UUID) -> ApiError:
    return ApiError(404, "not_found", f"no ticket {ticket_id} (or a wrong query code)")


def staff_view(ticket: Ticket) -> dict[str, Any]:
    view: dict[str, Any] = jsonable_encoder(
        {
            **citizen_view(ticket),
            "category_hint": ticket.category_hint,
            "district": ticket.district,
            "street": ticket.street,
            "address": ticket.address,
            "latitude": ticket.latitude,
            "longitude": ticket.longitude,
            "urgency": ticket.urgency,
            "attachments": ticket.attachments,
            "media": ticket.media,
            "citizen_ref": ticket.citizen_ref,
            "has_contact": ticket.contact is not None,
            "anonymous": ticket.anonymous,
            "publication_consent": ticket.publication_consent,
            "holder_unit_code": ticket.holder_unit_code,
            "submitted_by": ticket.submitted_by,
        }
    )
    return view


def citizen_view(ticket: Ticket) -> dict[str, Any]:
    """Only this ticket's own progress: no contact data, no other ticket."""
    view: dict[str, Any] = jsonable_encoder(
        {
            "ticket_id": ticket.id,
            "channel": ticket.channel,
            "description": ticket.description,
            "received_at": ticket.created_on,
            "updated_at": ticket.modified_on,
            "status": open311_status(ticket.extended_status),
            "extended_status": ticket.extended_status,
            "handling_unit": ticket.holder[1] if ticket.holder else None,
            "supplements": ticket.supplements,
        }
    )
    return view
