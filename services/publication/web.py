"""What every publication route shares: the board, templates, clock, comment limiter.

Kept on `app.state`, created on first use, so the host's `create_app` needs no
publication-specific wiring and tests can put a fixed clock there beforehand.
"""

from __future__ import annotations

import asyncio
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from hotline.runtime.auth import ApiError
from hotline.runtime.clock import Clock, SystemClock
from services.publication import presenters
from services.publication.application import PublicationApplication
from services.publication.board import Board, Filters
from services.publication.domain import PublicationError
from services.publication.ratelimit import DEFAULT_LIMIT, LIMIT_ENV, Limit, RateLimiter

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.globals.update(
    status_labels=presenters.STATUS_LABELS,
    stage_labels=presenters.STAGE_LABELS,
    satisfaction_labels=presenters.SATISFACTION_LABELS,
    result_labels=presenters.RESULT_LABELS,
    level_labels=presenters.LEVEL_LABELS,
    stage_note=presenters.stage_note,
    percent=presenters.percent,
)


def application(request: Request) -> PublicationApplication:
    found = request.app.state.service.application
    assert isinstance(found, PublicationApplication)
    return found


async def board(request: Request) -> Board:
    """The board, brought up to date with the log before it answers."""
    state = request.app.state
    if getattr(state, "publication_board", None) is None:
        state.publication_board = Board(application(request))
    current: Board = state.publication_board
    await asyncio.to_thread(current.refresh)
    return current


def now(request: Request) -> datetime:
    """From `app.state.publication_clock` (a `Clock`) when set, else the wall clock."""
    clock: Clock = getattr(request.app.state, "publication_clock", None) or SystemClock()
    return clock.now()


def limiter(request: Request) -> RateLimiter:
    state = request.app.state
    if getattr(state, "publication_limiter", None) is None:
        state.publication_limiter = RateLimiter(
            Limit.parse(os.environ.get(LIMIT_ENV, DEFAULT_LIMIT))
        )
    found: RateLimiter = state.publication_limiter
    return found


def client_of(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=status_code)


def as_api_error(error: PublicationError) -> ApiError:
    status = {"not_found": 404, "not_published": 409, "conflict": 409}.get(error.code, 400)
    return ApiError(status, error.code, error.message)


def parse_filters(
    q: str | None = None,
    category: str | None = None,
    district: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Filters:
    """The board's search, from the query string (a FastAPI dependency of every list view).

    Empty form fields mean "any"; a malformed date is a 400, not a silent "any".
    """
    return Filters(
        query=q or None,
        category=category or None,
        district=district or None,
        unit=unit or None,
        status=status or None,
        date_from=_date(date_from, "date_from"),
        date_to=_date(date_to, "date_to"),
    )


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "invalid_date", f"{name} must be a date like 2026-09-30") from None
