"""The public board's HTML pages (Chinese, server-rendered, no JavaScript needed).

A comment is posted with a plain HTML form; the answer is a redirect back to the
ticket (303) or a page saying what went wrong, with the matching status code.
"""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hotline.runtime.auth import ApiError
from services.publication import web
from services.publication.board import Filters
from services.publication.league import league_table
from services.publication.public_api import submit_comment

router = APIRouter(prefix="/public", tags=["public board"])
PAGE_SIZE = 50


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
async def ticket_list(
    request: Request,
    filters: Annotated[Filters, Depends(web.parse_filters)],
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    board = await web.board(request)
    tickets = board.published(filters)
    pages = max(1, math.ceil(len(tickets) / PAGE_SIZE))
    return web.render(
        "list.html",
        tickets=tickets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(tickets),
        filters=filters,
        facets=board.facets(),
        page=page,
        pages=pages,
        page_link=lambda number: _page_link(request, number),
        active="list",
    )


def _page_link(request: Request, number: int) -> str:
    """The same search on another page."""
    query = {key: value for key, value in request.query_params.items() if key != "page" and value}
    return "/public/?" + urlencode({**query, "page": number})


@router.get("/tickets/{ticket_id}", response_class=HTMLResponse)
async def ticket_page(ticket_id: UUID, request: Request, commented: int = 0) -> HTMLResponse:
    view = (await web.board(request)).ticket(ticket_id)
    if view is None:
        return web.render(
            "message.html", 404, title="未找到", message="该工单未公开或已撤下。", active=""
        )
    return web.render("ticket.html", ticket=view, commented=bool(commented), active="list")


@router.post("/tickets/{ticket_id}/comments", response_class=HTMLResponse)
async def comment_form(
    ticket_id: UUID, request: Request, text: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    if not text.strip():
        return web.render(
            "message.html", 400, title="点评为空", message="请填写点评内容。", active=""
        )
    try:
        await submit_comment(request, ticket_id, text.strip())
    except ApiError as error:
        page = web.render("message.html", error.status, title="未能提交", message=_explain(error))
        page.headers.update(error.headers or {})
        return page
    return RedirectResponse(f"/public/tickets/{ticket_id}?commented=1", status_code=303)


def _explain(error: ApiError) -> str:
    if error.status == 429:
        retry = (error.headers or {}).get("Retry-After", "")
        return f"提交过于频繁，请 {retry} 秒后再试。"
    return "该工单未公开或已撤下，无法点评。"


@router.get("/league", response_class=HTMLResponse)
async def league_page(request: Request) -> HTMLResponse:
    board = await web.board(request)
    return web.render("league.html", standings=league_table(board.all_views()), active="league")


@router.get("/media", response_class=HTMLResponse)
async def media_page(request: Request) -> HTMLResponse:
    board = await web.board(request)
    return web.render("media.html", tickets=board.media_column(), active="media")


@router.get("/typical", response_class=HTMLResponse)
async def typical_page(request: Request) -> HTMLResponse:
    board = await web.board(request)
    return web.render("typical.html", tickets=board.typical_cases(), active="typical")
