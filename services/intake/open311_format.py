"""Open311 GeoReport v2 formats: the request fields, filters and public views, as pure functions.

Errors use the spec's shape, `[{"code": <status>, "description": "<field>: <why>"}]`,
one entry per bad field.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Self
from urllib.parse import parse_qsl
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)

from services.intake.application import Contact, ReceiveComplaint
from services.intake.body import decode_utf8, field_and_reason
from services.intake.catalogue import Service
from services.intake.public_view import RequestFilter, timestamp
from services.intake.rules import clean_text
from services.intake.schemas import IdNumber, Label, Latitude, Longitude, Name, Phone, Place, Url

PREFIX_FIELDS = ("attribute[",)
MAX_FIELDS = 100
MAX_PAGE_SIZE = 1000


class Open311Error(Exception):
    def __init__(self, status: int, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.status = status
        self.problems = problems

    def response(self) -> JSONResponse:
        body = [{"code": self.status, "description": text} for text in self.problems]
        return JSONResponse(body, status_code=self.status)


Email = Annotated[
    str,
    StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    AfterValidator(clean_text),
]


class RequestIn(BaseModel):
    """POST requests.json: the spec's fields (api_key is taken out before validation)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    jurisdiction_id: Label | None = None
    service_code: Label
    lat: Latitude | None = None
    long: Longitude | None = None
    address_string: Place | None = None
    address_id: Label | None = None
    email: Email | None = None
    device_id: Label | None = None
    account_id: Label | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    id_number: IdNumber | None = None
    description: Annotated[
        str, StringConstraints(min_length=1, max_length=4000), AfterValidator(clean_text)
    ]
    media_url: Url | None = None

    @model_validator(mode="after")
    def _located(self) -> Self:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat, long: must be given together")
        if self.lat is None and not self.address_string and not self.address_id:
            raise ValueError(
                "lat, long, address_string, address_id: a location is required "
                "(lat and long, address_string or address_id)"
            )
        return self


def service_entry(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(service.keywords),
        "group": service.group,
    }


def parse_fields(content_type: str, raw: bytes) -> dict[str, Any]:
    media_type = content_type.split(";")[0].strip().lower()
    text = decode_utf8_open311(raw)
    if media_type == "application/json":
        return _json_fields(text)
    if media_type in ("application/x-www-form-urlencoded", ""):
        return _form_fields(text)
    raise Open311Error(
        415, [f"Content-Type: {media_type!r} is not supported; send form-encoded or JSON"]
    )


def decode_utf8_open311(raw: bytes) -> str:
    try:
        return decode_utf8(raw)
    except Exception:
        raise Open311Error(400, ["(body): is not valid UTF-8"]) from None


def _json_fields(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise Open311Error(400, [f"(body): is not valid JSON ({error})"]) from None
    if not isinstance(data, dict):
        raise Open311Error(400, ["(body): must be a JSON object"])
    return {key: value for key, value in data.items() if not key.startswith(PREFIX_FIELDS)}


def _form_fields(text: str) -> dict[str, Any]:
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=bool(text),
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError as error:
        raise Open311Error(400, [f"(body): is not valid form data ({error})"]) from None
    fields: dict[str, Any] = {}
    repeated: list[str] = []
    for key, value in pairs:
        if key.startswith(PREFIX_FIELDS):
            continue
        if key in fields:
            repeated.append(f"{key}: given more than once")
        fields[key] = value if value != "" else None
    if repeated:
        raise Open311Error(400, repeated)
    return fields


def validate(fields: dict[str, Any]) -> RequestIn:
    try:
        return RequestIn.model_validate(fields)
    except ValidationError as error:
        problems = [
            "{}: {}".format(*field_and_reason(item))
            for item in error.errors(include_input=False, include_url=False)
        ]
        raise Open311Error(400, problems) from None


def check_service_code(code: str, catalogue: tuple[Service, ...]) -> None:
    if catalogue and not any(service.code == code for service in catalogue):
        raise Open311Error(400, [f"service_code: {code!r} is not in services.json"])


def command_for(body: RequestIn) -> ReceiveComplaint:
    name = "".join(part for part in (body.last_name, body.first_name) if part) or None
    has_contact = any((name, body.phone, body.email, body.id_number))
    contact = Contact(name, body.phone, body.id_number, body.email) if has_contact else None
    attachments = (
        ({"url": body.media_url, "media_type": "image", "transcript": None},)
        if body.media_url
        else ()
    )
    address = body.address_string or (f"address_id:{body.address_id}" if body.address_id else None)
    return ReceiveComplaint(
        channel="open311",
        description=body.description,
        category_hint=body.service_code,
        address=address,
        latitude=body.lat,
        longitude=body.long,
        attachments=attachments,
        contact=contact,
    )


def request_filter(params: dict[str, str]) -> RequestFilter:
    problems: list[str] = []
    statuses = _list(params.get("status"))
    problems += [
        f"status: {value!r} is neither open nor closed"
        for value in statuses
        if value not in ("open", "closed")
    ]
    ids = _list(params.get("service_request_id"))
    for value in ids:
        try:
            UUID(value)
        except ValueError:
            problems.append(f"service_request_id: {value!r} is not a request id")
    start = _date(params.get("start_date"), "start_date", problems)
    end = _date(params.get("end_date"), "end_date", problems)
    page = _integer(params.get("page"), "page", 1, 1, 10**6, problems)
    size = _integer(params.get("page_size"), "page_size", 50, 1, MAX_PAGE_SIZE, problems)
    if problems:
        raise Open311Error(400, problems)
    return RequestFilter(
        ticket_ids=tuple(str(UUID(value)) for value in ids),
        service_codes=tuple(_list(params.get("service_code"))),
        statuses=tuple(statuses),
        start=start,
        end=end,
        page=page,
        page_size=size,
    )


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _date(value: str | None, name: str, problems: list[str]) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.append(
            f"{name}: {value!r} is not a W3C date-time (e.g. 2026-01-31T08:00:00+08:00)"
        )
        return None
    if moment.tzinfo is None:
        problems.append(f"{name}: needs a time zone (e.g. +08:00 or Z)")
        return None
    return timestamp(moment)


def _integer(
    value: str | None, name: str, default: int, low: int, high: int, problems: list[str]
) -> int:
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        problems.append(f"{name}: must be a whole number from {low} to {high}")
        return default
    return int(value)


def public_request(row: tuple[Any, ...], names: dict[str, str]) -> dict[str, Any]:
    (
        ticket_id,
        code,
        status,
        extended,
        notes,
        description,
        address,
        lat,
        lon,
        media_url,
        agency,
        requested,
        updated,
    ) = row
    return {
        "service_request_id": ticket_id,
        "status": status,
        "status_notes": notes,
        "service_name": names.get(code or ""),
        "service_code": code,
        "description": description,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": requested,
        "updated_datetime": updated,
        "expected_datetime": None,
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": media_url,
        "extended_attributes": {"status": extended},
    }
