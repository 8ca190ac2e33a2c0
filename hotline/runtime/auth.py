"""Shared API-key authentication for write endpoints, and the JSON error shape.

Deliberately simple: each role (and each handling unit) has a random key.
Kubernetes hands the keys in through `HOTLINE_API_KEYS` (a Secret); a local run
creates `<data_dir>/credentials.json` (mode 0600) on first start. Only SHA-256
digests of keys are kept in memory, compared in constant time, and only a short
fingerprint (`key_id`) is ever logged.

`ApiError` and `install_error_handlers` live here because 401/403 were the first
clear errors; every service reuses them so all errors share one JSON shape.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import structlog
from fastapi import FastAPI, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from hotline.runtime.sealing import create_private_file, read_private_file

ENV_VAR = "HOTLINE_API_KEYS"
CREDENTIALS_FILENAME = "credentials.json"

OPERATOR = "operator"
HOTLINE_CENTRE = "hotline_centre"
AUDITOR = "auditor"
PARTNER = "partner"
FIXED_ROLES: tuple[str, ...] = (OPERATOR, HOTLINE_CENTRE, AUDITOR, PARTNER)
UNIT_PREFIX = "unit:"
ANY_UNIT = "unit:*"

_log = structlog.get_logger(__name__)


class CredentialsError(ValueError):
    """The credentials file or `HOTLINE_API_KEYS` value is unusable."""


def unit_role(code: str) -> str:
    """The role of the handling unit with department code `code`."""
    return f"{UNIT_PREFIX}{code}"


def is_valid_role(role: str) -> bool:
    return role in FIXED_ROLES or (role.startswith(UNIT_PREFIX) and len(role) > len(UNIT_PREFIX))


def key_fingerprint(key: str) -> str:
    """First 8 hex chars of SHA-256: identifies a key in logs without revealing it."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a role plus the fingerprint of the key they used."""

    role: str
    key_id: str

    @property
    def is_unit(self) -> bool:
        return self.role.startswith(UNIT_PREFIX)

    @property
    def unit_code(self) -> str | None:
        """The department code for `unit:<code>` roles, else None."""
        return self.role[len(UNIT_PREFIX) :] if self.is_unit else None


class Credentials:
    """Maps API keys to roles, holding only the keys' SHA-256 digests."""

    def __init__(self, keys: Mapping[str, str]) -> None:
        """`keys` maps raw API key → role."""
        entries: list[tuple[bytes, Principal]] = []
        for key, role in keys.items():
            if not isinstance(key, str) or len(key) < 16:
                raise CredentialsError("every API key must be a string of at least 16 characters")
            if not isinstance(role, str) or not is_valid_role(role):
                raise CredentialsError(f"unknown role {role!r}")
            digest = hashlib.sha256(key.encode("utf-8")).digest()
            entries.append((digest, Principal(role=role, key_id=key_fingerprint(key))))
        if not entries:
            raise CredentialsError("no API keys configured")
        self._entries = tuple(entries)

    def __repr__(self) -> str:
        return f"Credentials(roles={[p.role for p in self.principals()]!r})"

    def principals(self) -> tuple[Principal, ...]:
        """Every configured role with its key fingerprint (safe to log or print)."""
        return tuple(principal for _, principal in self._entries)

    def authenticate(self, key: str) -> Principal | None:
        """The principal owning `key`, or None.

        Every stored digest is compared (no early exit), so timing reveals nothing.
        """
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        found: Principal | None = None
        for stored, principal in self._entries:
            if hmac.compare_digest(stored, digest):
                found = principal
        return found

    @classmethod
    def from_env(cls, value: str) -> Credentials:
        """Parse `HOTLINE_API_KEYS`: JSON `{"<key>": "<role>", ...}`."""
        try:
            data = json.loads(value)
        except ValueError:
            raise CredentialsError(f"{ENV_VAR} is not valid JSON") from None
        if not isinstance(data, dict):
            raise CredentialsError(f'{ENV_VAR} must be a JSON object {{"<key>": "<role>"}}')
        return cls(data)

    @classmethod
    def from_file_text(cls, text: str) -> Credentials:
        """Parse the file format `{"keys": [{"role": ..., "key": ...}, ...]}`."""
        try:
            items = json.loads(text)["keys"]
            return cls({item["key"]: item["role"] for item in items})
        except CredentialsError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise CredentialsError(f"malformed credentials file: {type(exc).__name__}") from None

    @classmethod
    def load_or_create(
        cls, path: Path, unit_codes: Sequence[str] = ("demo-unit",)
    ) -> tuple[Credentials, bool]:
        """Read the 0600 credentials file, or create one with a fresh key per role.

        Returns (credentials, created). An existing file readable by group or
        others is refused (`InsecureFileError`) rather than trusted.
        """
        if not path.exists():
            roles = [*FIXED_ROLES, *(unit_role(code) for code in unit_codes)]
            items = [{"role": role, "key": secrets.token_urlsafe(32)} for role in roles]
            text = json.dumps({"keys": items}, indent=2) + "\n"
            if create_private_file(path, text):
                return cls({item["key"]: item["role"] for item in items}), True
        return cls.from_file_text(read_private_file(path)), False


def load_credentials(
    data_dir: Path, environ: Mapping[str, str], unit_codes: Sequence[str] = ("demo-unit",)
) -> tuple[Credentials, Path | None, bool]:
    """Credentials from `HOTLINE_API_KEYS`, else `<data_dir>/credentials.json`.

    Returns (credentials, file path or None when from the environment, created?).
    """
    value = environ.get(ENV_VAR)
    if value:
        return Credentials.from_env(value), None, False
    path = data_dir / CREDENTIALS_FILENAME
    credentials, created = Credentials.load_or_create(path, unit_codes)
    return credentials, path, created


# -- errors ---------------------------------------------------------------------


class ApiError(Exception):
    """A clear error for the client, rendered as `{"error": {"code", "message"}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Sequence[Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details) if details is not None else None
        self.headers = dict(headers) if headers is not None else None

    def to_response(self) -> JSONResponse:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = jsonable_encoder(self.details)
        return JSONResponse({"error": body}, status_code=self.status, headers=self.headers)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


async def _api_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return exc.to_response()


async def _validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only where/what/why: echoing the rejected input could copy personal data into logs.
    details = [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
    error = ApiError(422, "invalid_request", "request validation failed", details=details)
    return error.to_response()


async def _http_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "internal" if exc.status_code >= 500 else "http_error")
    return ApiError(exc.status_code, code, str(exc.detail), headers=exc.headers).to_response()


def install_error_handlers(app: FastAPI) -> None:
    """Render ApiError, validation errors and plain HTTP errors in one JSON shape."""
    app.add_exception_handler(ApiError, _api_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)


# -- FastAPI dependency ---------------------------------------------------------

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)
_bearer = HTTPBearer(auto_error=False)


def require(*allowed: str) -> Callable[..., Principal]:
    """A dependency admitting only the given roles (`"unit:*"` admits any unit).

    Use as `principal: Annotated[Principal, Depends(require("operator"))]`.
    The key comes from `X-API-Key` or `Authorization: Bearer`; the Credentials
    from `request.app.state.credentials`. 401 if absent/unknown, 403 if the role
    is not allowed.
    """
    for role in allowed:
        if role != ANY_UNIT and not is_valid_role(role):
            raise ValueError(f"require(): unknown role {role!r}")
    allowed_roles = frozenset(allowed)
    any_unit = ANY_UNIT in allowed_roles

    def dependency(
        request: Request,
        api_key: Annotated[str | None, Security(_api_key_header)],
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    ) -> Principal:
        key = api_key or (bearer.credentials if bearer is not None else None)
        if not key:
            raise _unauthenticated("missing API key: send X-API-Key or Authorization: Bearer")
        credentials = getattr(request.app.state, "credentials", None)
        if not isinstance(credentials, Credentials):
            _log.error("auth.no_credentials", path=request.url.path)
            raise ApiError(500, "internal", "authentication is not configured on this server")
        principal = credentials.authenticate(key)
        if principal is None:
            _log.info("auth.rejected", reason="unknown_key", path=request.url.path)
            raise _unauthenticated("unknown API key")
        if principal.role not in allowed_roles and not (any_unit and principal.is_unit):
            _log.info(
                "auth.forbidden",
                role=principal.role,
                key_id=principal.key_id,
                path=request.url.path,
            )
            raise ApiError(403, "forbidden", f"role {principal.role!r} may not do this")
        request.state.principal = principal
        return principal

    return dependency


def _unauthenticated(message: str) -> ApiError:
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": "ApiKey"})
