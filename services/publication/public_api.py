"""The public JSON API and Atom feed: the same data as the HTML board, for machines.

No key needed to read; posting a comment is rate-limited per client and held for
moderation. Every text field comes from the board's already-masked views.
"""

from __future__ import annotations

import asyncio
import math
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hotline.runtime.auth import ApiError
from services.publication import web
from services.publication.board import Filters
from services.publication.domain import PublicationError
from services.publication.feed import atom_feed
from services.publication.league import league_table
from services.publication.presenters import (
    media_entry,
    standing_entry,
    ticket_detail,
    ticket_summary,
)

router = APIRouter(prefix="/public", tags=["public"])
FEED_SIZE = 50


@router.get("/api/tickets")
async def list_tickets(
    request: Request,
    filters: Annotated[Filters, Depends(web.parse_filters)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    board = await web.board(request)
    tickets = board.published(filters)
    page = tickets[offset : offset + limit]
    return {"count": len(tickets), "tickets": [ticket_summary(view) for view in page]}


@router.get("/api/tickets/{ticket_id}")
async def get_ticket(ticket_id: UUID, request: Request) -> dict[str, Any]:
    view = (await web.board(request)).ticket(ticket_id)
    if view is None:
        raise ApiError(404, "not_found", f"ticket {ticket_id} is not on the public board")
    return ticket_detail(view)


@router.get("/api/league")
async def get_league(request: Request) -> dict[str, Any]:
    board = await web.board(request)
    return {"units": [standing_entry(s) for s in league_table(board.all_views())]}


@router.get("/api/media")
async def get_media_column(request: Request) -> dict[str, Any]:
    board = await web.board(request)
    return {"tickets": [media_entry(view) for view in board.media_column()]}


@router.get("/api/typical")
async def get_typical_cases(request: Request) -> dict[str, Any]:
    board = await web.board(request)
    return {"tickets": [ticket_detail(view) for view in board.typical_cases()]}


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    text: str = Field(min_length=1, max_length=500)


@router.post("/api/tickets/{ticket_id}/comments", status_code=202)
async def post_comment(ticket_id: UUID, body: CommentIn, request: Request) -> dict[str, str]:
    comment_id = await submit_comment(request, ticket_id, body.text)
    return {"comment_id": comment_id, "status": "pending"}


async def submit_comment(request: Request, ticket_id: UUID, text: str) -> str:
    """Shared by the JSON API and the HTML form: limit, mask, record (pending moderation)."""
    wait = web.limiter(request).retry_after(web.client_of(request))
    if wait > 0:
        raise ApiError(
            429,
            "too_many_requests",
            f"too many comments from this client; try again in {math.ceil(wait)} s",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    application = web.application(request)
    try:
        return await asyncio.to_thread(application.post_comment, ticket_id, text, web.now(request))
    except PublicationError as error:
        raise web.as_api_error(error) from None


@router.get("/feed.atom")
async def feed(request: Request) -> Response:
    board = await web.board(request)
    body = atom_feed(board.published()[:FEED_SIZE], str(request.base_url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")
