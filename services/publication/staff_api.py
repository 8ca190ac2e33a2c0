"""Staff endpoints: take a ticket down (hotline centre), moderate comments."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from hotline.runtime.auth import AUDITOR, HOTLINE_CENTRE, OPERATOR, Principal, require
from services.publication import web
from services.publication.domain import PublicationError

router = APIRouter(prefix="/v1/publication", tags=["publication staff"])


class TakedownIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=200)


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "reject"]


@router.post("/tickets/{ticket_id}/takedown")
async def take_down(
    ticket_id: UUID,
    body: TakedownIn,
    request: Request,
    principal: Annotated[Principal, Depends(require(HOTLINE_CENTRE))],
) -> dict[str, Any]:
    application = web.application(request)
    try:
        await asyncio.to_thread(application.take_down, ticket_id, body.reason, web.now(request))
    except PublicationError as error:
        raise web.as_api_error(error) from None
    return {"ticket_id": str(ticket_id), "published": False}


@router.get("/comments")
async def pending_comments(
    request: Request,
    principal: Annotated[Principal, Depends(require(HOTLINE_CENTRE, OPERATOR, AUDITOR))],
) -> dict[str, Any]:
    board = await web.board(request)
    pending = [
        {"ticket_id": str(view.ticket_id), "comment_id": cid, "masked_text": text, "posted_at": at}
        for view in board.all_views()
        for cid, text, at in view.pending_comments
    ]
    return {"comments": pending}


@router.post("/tickets/{ticket_id}/comments/{comment_id}/moderation")
async def moderate(
    ticket_id: UUID,
    comment_id: str,
    body: ModerationIn,
    request: Request,
    principal: Annotated[Principal, Depends(require(HOTLINE_CENTRE, OPERATOR))],
) -> dict[str, Any]:
    application = web.application(request)
    approve = body.decision == "approve"
    try:
        await asyncio.to_thread(
            application.moderate_comment, ticket_id, comment_id, approve, web.now(request)
        )
    except PublicationError as error:
        raise web.as_api_error(error) from None
    return {
        "ticket_id": str(ticket_id),
        "comment_id": comment_id,
        "status": "approved" if approve else "rejected",
    }
