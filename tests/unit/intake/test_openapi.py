"""Intake serves its OpenAPI document, with the request bodies it validates by hand."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from hotline.runtime.host import create_app
from hotline.settings import Settings
from services.intake.main import SPEC


def test_the_openapi_document_describes_the_native_and_open311_endpoints(tmp_path: Path) -> None:
    client = TestClient(create_app(SPEC, Settings(data_dir=tmp_path)))  # no lifespan: no broker
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/v1/complaints",
        "/v1/complaints/{ticket_id}/supplements",
        "/v1/complaints/{ticket_id}/withdraw",
        "/v1/complaints/{ticket_id}/progress",
        "/open311/v2/services.json",
        "/open311/v2/requests.json",
        "/open311/v2/requests/{service_request_id}.json",
    ):
        assert path in paths
    body = paths["/v1/complaints"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" not in str(body), "nested models are inlined, so the schema resolves"
    assert set(body["properties"]["contact"]["anyOf"][0]["properties"]) == {
        "name",
        "phone",
        "id_number",
    }
    assert client.get("/docs").status_code == 200
