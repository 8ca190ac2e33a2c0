"""Open311 GeoReport v2 under `/open311/v2/`, field for field, for partner apps.

Public views only: responses carry no personal data (see `public_view`). Statuses:
the spec's `open`/`closed`, plus the FixMyStreet-style state in
`extended_attributes.status` (see docs/intake.md). Formats live in `open311_format`.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from hotline.runtime.auth import Credentials
from services.intake.application import Caller, IdempotencyConflict, IntakeApplication
from services.intake.body import LimitedBodyRoute
from services.intake.catalogue import Service, load_services
from services.intake.open311_format import (
    Open311Error,
    check_service_code,
    command_for,
    parse_fields,
    public_request,
    request_filter,
    service_entry,
    validate,
)
from services.intake.public_view import RequestFilter

router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=LimitedBodyRoute)
SUBMITTER_ROLES = frozenset({"partner", "operator"})


@router.get("/services.json")
async def services(request: Request) -> list[dict[str, Any]]:
    """Service list: routing's catalogue categories."""
    return [service_entry(service) for service in _catalogue(request)]


@router.get("/services/{service_code}.json", response_model=None)
async def service_definition(service_code: str, request: Request) -> dict[str, Any] | JSONResponse:
    """Service definition: none of our services has extra attributes (metadata false)."""
    if not any(service.code == service_code for service in _catalogue(request)):
        return Open311Error(404, [f"service_code: no service {service_code!r}"]).response()
    return {"service_code": service_code, "attributes": []}


@router.post("/requests.json", response_model=None)
async def create_request(
    request: Request, idempotency_key: Annotated[str | None, Header()] = None
) -> list[dict[str, Any]] | JSONResponse:
    """Create a service request (form-encoded as the spec says, or JSON); `api_key` required."""
    try:
        fields = parse_fields(request.headers.get("content-type", ""), await request.body())
        caller = authenticate(request, fields.pop("api_key", None))
        body = validate(fields)
        check_service_code(body.service_code, _catalogue(request))
        app = request.app.state.service.application
        assert isinstance(app, IntakeApplication)
        accepted = await asyncio.to_thread(
            app.submit,
            command_for(body),
            request.app.state.service.keyring,
            caller,
            idempotency_key,
        )
    except Open311Error as error:
        return error.response()
    except IdempotencyConflict as error:
        return Open311Error(422, [f"Idempotency-Key: {error}"]).response()
    notice = "查询码 (query code) for the citizen: " + accepted.query_code
    return [
        {
            "service_request_id": str(accepted.ticket_id),
            "service_notice": notice,
            "account_id": None,
            "query_code": accepted.query_code,
        }
    ]


@router.get("/requests.json", response_model=None)
async def list_requests(request: Request) -> list[dict[str, Any]] | JSONResponse:
    """Service requests, newest first, with the spec's filters; `page`/`page_size` page."""
    try:
        filters = request_filter(dict(request.query_params))
    except Open311Error as error:
        return error.response()
    app = request.app.state.service.application
    rows = await asyncio.to_thread(app.request_view.find, filters)
    names = {service.code: service.name for service in _catalogue(request)}
    return [public_request(row, names) for row in rows]


@router.get("/requests/{service_request_id}.json", response_model=None)
async def get_request(
    service_request_id: str, request: Request
) -> list[dict[str, Any]] | JSONResponse:
    """One service request (an array of one, as the spec says)."""
    try:
        UUID(service_request_id)
    except ValueError:
        return Open311Error(
            404, [f"service_request_id: no request {service_request_id!r}"]
        ).response()
    app = request.app.state.service.application
    rows = await asyncio.to_thread(
        app.request_view.find, RequestFilter(ticket_ids=(service_request_id,))
    )
    if not rows:
        return Open311Error(
            404, [f"service_request_id: no request {service_request_id!r}"]
        ).response()
    names = {service.code: service.name for service in _catalogue(request)}
    return [public_request(rows[0], names)]


# --- helpers -----------------------------------------------------------------------


def _catalogue(request: Request) -> tuple[Service, ...]:
    return load_services(request.app.state.service.settings.data_dir)


def authenticate(request: Request, api_key: Any) -> Caller:
    if not isinstance(api_key, str) or not api_key:
        raise Open311Error(400, ["api_key: is required"])
    credentials = request.app.state.credentials
    assert isinstance(credentials, Credentials)
    principal = credentials.authenticate(api_key)
    if principal is None or principal.role not in SUBMITTER_ROLES:
        raise Open311Error(403, ["api_key: is not a valid key for submitting requests"])
    return Caller(principal.role, principal.key_id)
