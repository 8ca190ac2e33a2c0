"""`GET /v1/tickets/{id}/timeline`: what one service knows about a ticket, from its own log.

Every service keeps one aggregate per ticket, with the ticket id as its id, so the
ticket's timeline in a service is that aggregate's stored events in order. Fields a
service declares private (sealed contact data, pseudonyms) are left out.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder

from hotline.runtime.auth import ApiError, Principal, require

STAFF_READERS = ("operator", "hotline_centre", "auditor")
ENVELOPE_FIELDS = frozenset(
    {"originator_id", "originator_topic", "originator_version", "timestamp", "trace"}
)


def timeline_entry(event: Any, private_fields: frozenset[str]) -> dict[str, Any]:
    details = {
        name: value
        for name, value in vars(event).items()
        if name not in ENVELOPE_FIELDS and name not in private_fields
    }
    return {
        "version": event.originator_version,
        "at": event.timestamp,
        "event": type(event).__qualname__.split(".")[-1],
        "details": jsonable_encoder(details),
    }


def timeline_router(private_fields: frozenset[str]) -> APIRouter:
    router = APIRouter(tags=["timeline"])

    @router.get("/v1/tickets/{ticket_id}/timeline")
    async def timeline(
        ticket_id: UUID,
        request: Request,
        principal: Principal = Depends(require(*STAFF_READERS)),  # noqa: B008
    ) -> dict[str, Any]:
        running = request.app.state.service
        events = await asyncio.to_thread(running.application.history, ticket_id)
        if not events:
            raise ApiError(404, "not_found", f"{running.spec.name} knows no ticket {ticket_id}")
        return {
            "ticket_id": str(ticket_id),
            "service": running.spec.name,
            "events": [timeline_entry(event, private_fields) for event in events],
        }

    return router
