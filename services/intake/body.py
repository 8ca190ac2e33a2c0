"""Reading request bodies safely: size-limited before they are read whole, UTF-8, strict JSON.

FastAPI would parse the body itself, but it reads it whole first, reports invalid
UTF-8 only as "error parsing the body", and validates in a lax mode that turns
`"true"` into `True`. Intake's routes therefore use `LimitedBodyRoute`, which
refuses a body by its `Content-Length` or as soon as the streamed bytes pass the
limit, and parse with `parse_json`, which names every bad field and why.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from hotline.runtime.auth import ApiError

MAX_BODY_BYTES = 512 * 1024
"""Ten attachments with long transcripts fit; anything bigger is not a complaint."""

M = TypeVar("M", bound=BaseModel)


class LimitedBodyRoute(APIRoute):
    """An APIRoute that reads the body with a byte budget before the endpoint runs."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH"):
                await read_limited_body(request, MAX_BODY_BYTES)
            return await original(request)

        return handler


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The body, or 413 as soon as it is known to exceed `limit` (header or streamed bytes)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "bad_request", "Content-Length is not a number")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Starlette's cache: later readers (forms) see the same bytes
    return body


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the request body is larger than {limit} bytes")


def decode_utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "invalid_encoding",
            f"the request body is not valid UTF-8 (bad byte at offset {error.start})",
            details=[problem("(body)", "is not valid UTF-8", "invalid_encoding")],
        ) from None


def parse_json(raw: bytes, model: type[M]) -> M:
    """Validate a JSON body strictly; malformed JSON is 400, a bad field 422, each named."""
    text = decode_utf8(raw)
    if not text.strip():
        raise ApiError(400, "empty_body", "the request body is empty; send a JSON object")
    try:
        return model.model_validate_json(text, strict=True)
    except ValidationError as error:
        errors = error.errors(include_input=False, include_url=False)
        if any(item["type"] == "json_invalid" for item in errors):
            reason = str(errors[0].get("ctx", {}).get("error", "malformed"))
            raise ApiError(
                400,
                "malformed_json",
                f"the request body is not valid JSON: {reason}",
                details=[problem("(body)", f"is not valid JSON: {reason}", "json_invalid")],
            ) from None
        raise validation_failed(errors) from None


def validation_failed(errors: Sequence[Any]) -> ApiError:
    details = [named_problem(item) for item in errors]
    named = ", ".join(sorted({detail["field"] for detail in details}))
    return ApiError(422, "invalid_request", f"invalid fields: {named}", details=details)


def named_problem(error: Any) -> dict[str, str]:
    """A field's error; a whole-object rule names its fields as "a, b: why"."""
    field, why = field_and_reason(error)
    return problem(field, why, error["type"])


def field_and_reason(error: Any) -> tuple[str, str]:
    field, why = field_name(error["loc"]), clean_message(error["msg"])
    head, separator, tail = why.partition(": ")
    if separator and _looks_like_fields(head):
        prefix = f"{field}." if error["loc"] else ""
        return ", ".join(prefix + name.strip() for name in head.split(",")), tail
    return field, why


def _looks_like_fields(text: str) -> bool:
    return all(name.strip().isidentifier() for name in text.split(","))


def problem(field: str, why: str, kind: str) -> dict[str, str]:
    return {"field": field, "problem": why, "type": kind}


def field_name(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc]
    return ".".join(parts) if parts else "(body)"


def clean_message(message: str) -> str:
    """pydantic prefixes our own messages with "Value error, "; the field name says enough."""
    return message.removeprefix("Value error, ")
