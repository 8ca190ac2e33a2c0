"""API-key authentication: status codes, JSON error shape, and secret-file handling."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from hotline.runtime.auth import (
    ApiError,
    Credentials,
    CredentialsError,
    Principal,
    install_error_handlers,
    key_fingerprint,
    load_credentials,
    require,
)
from hotline.runtime.sealing import InsecureFileError

OPERATOR_KEY = "op-" + "a" * 40
AUDITOR_KEY = "au-" + "b" * 40
UNIT_KEY = "un-" + "c" * 40


class Body(BaseModel):
    text: str


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.credentials = Credentials(
        {OPERATOR_KEY: "operator", AUDITOR_KEY: "auditor", UNIT_KEY: "unit:abc"}
    )

    @app.post("/tickets")
    def create(
        body: Body, who: Annotated[Principal, Depends(require("operator"))]
    ) -> dict[str, str]:
        return {"role": who.role, "key_id": who.key_id}

    @app.post("/replies")
    def reply(who: Annotated[Principal, Depends(require("unit:*"))]) -> dict[str, str | None]:
        return {"unit": who.unit_code}

    @app.get("/conflict")
    def conflict() -> None:
        raise ApiError(409, "conflict", "already closed", details=[{"ticket": "T1"}])

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(make_app())


def test_missing_key_is_401_json(client: TestClient) -> None:
    response = client.post("/tickets", json={"text": "x"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "ApiKey"
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.json()["error"]["message"]


def test_wrong_key_is_401(client: TestClient) -> None:
    response = client.post("/tickets", json={"text": "x"}, headers={"X-API-Key": "nope" * 8})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_wrong_role_is_403(client: TestClient) -> None:
    response = client.post("/tickets", json={"text": "x"}, headers={"X-API-Key": AUDITOR_KEY})
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "forbidden", "message": "role 'auditor' may not do this"}
    }


def test_right_role_is_200_via_header_and_bearer(client: TestClient) -> None:
    for headers in ({"X-API-Key": OPERATOR_KEY}, {"Authorization": f"Bearer {OPERATOR_KEY}"}):
        response = client.post("/tickets", json={"text": "x"}, headers=headers)
        assert response.status_code == 200
        assert response.json() == {"role": "operator", "key_id": key_fingerprint(OPERATOR_KEY)}


def test_any_unit_admits_unit_roles_only(client: TestClient) -> None:
    ok = client.post("/replies", headers={"X-API-Key": UNIT_KEY})
    assert ok.status_code == 200
    assert ok.json() == {"unit": "abc"}
    assert client.post("/replies", headers={"X-API-Key": OPERATOR_KEY}).status_code == 403


def test_error_shapes(client: TestClient) -> None:
    invalid = client.post("/tickets", json={"wrong": 1}, headers={"X-API-Key": OPERATOR_KEY})
    assert invalid.status_code == 422
    error = invalid.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"][0]["loc"] == ["body", "text"]
    conflict = client.get("/conflict").json()
    assert conflict == {
        "error": {"code": "conflict", "message": "already closed", "details": [{"ticket": "T1"}]}
    }
    assert client.get("/nowhere").json()["error"]["code"] == "not_found"


def test_principal_properties() -> None:
    assert Principal("unit:water-01", "12345678").unit_code == "water-01"
    assert Principal("unit:water-01", "12345678").is_unit
    assert Principal("operator", "12345678").unit_code is None
    assert not Principal("operator", "12345678").is_unit


def test_require_rejects_unknown_roles() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        require("operater")


def test_credentials_file_created_0600_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "credentials.json"
    creds, created = Credentials.load_or_create(path, unit_codes=("water", "roads"))
    assert created
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    items = json.loads(path.read_text())["keys"]
    roles = {item["role"] for item in items}
    assert roles == {"operator", "hotline_centre", "auditor", "partner", "unit:water", "unit:roads"}
    assert "key" not in repr(creds) and items[0]["key"] not in repr(creds)
    for item in items:
        principal = creds.authenticate(item["key"])
        assert principal is not None and principal.role == item["role"]

    again, created_again = Credentials.load_or_create(path)
    assert not created_again
    assert again.authenticate(items[0]["key"]) == creds.authenticate(items[0]["key"])


def test_world_readable_credentials_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    Credentials.load_or_create(path)
    os.chmod(path, 0o644)
    with pytest.raises(InsecureFileError, match="chmod 600"):
        Credentials.load_or_create(path)


def test_env_keys_take_precedence(tmp_path: Path) -> None:
    Credentials.load_or_create(tmp_path / "credentials.json")
    environ = {"HOTLINE_API_KEYS": json.dumps({OPERATOR_KEY: "operator", UNIT_KEY: "unit:abc"})}
    creds, path, created = load_credentials(tmp_path, environ)
    assert (path, created) == (None, False)
    assert creds.authenticate(UNIT_KEY) == Principal("unit:abc", key_fingerprint(UNIT_KEY))

    from_file, file_path, file_created = load_credentials(tmp_path, {})
    assert file_path == tmp_path / "credentials.json" and not file_created
    assert from_file.authenticate(OPERATOR_KEY) is None


def test_load_credentials_creates_file(tmp_path: Path) -> None:
    _, path, created = load_credentials(tmp_path, {})
    assert created and path is not None and path.exists()


@pytest.mark.parametrize(
    "value",
    ["not json", "[]", json.dumps({OPERATOR_KEY: "king"}), json.dumps({"short": "operator"}), "{}"],
)
def test_bad_env_value_is_a_clear_error(value: str) -> None:
    with pytest.raises(CredentialsError):
        Credentials.from_env(value)
