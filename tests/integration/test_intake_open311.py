"""Open311 GeoReport v2: the catalogue as services, public request views, the spec's filters."""

from __future__ import annotations

from typing import Any

import pytest
from test_intake_support import CATALOGUE, headers, intake_client, publish_catalogue

from hotline.settings import Settings

from support import eventually

pytestmark = pytest.mark.integration

NAME, PHONE = "钱七", "13512345678"


def test_services_come_from_routings_published_catalogue(settings: Settings) -> None:
    with intake_client(settings) as client:
        before = client.get("/open311/v2/services.json")
        publish_catalogue(settings)
        after = client.get("/open311/v2/services.json")
        definition = client.get("/open311/v2/services/streetlight.json")
        unknown = client.get("/open311/v2/services/nothing.json")

    assert before.json() == []
    assert [s["service_code"] for s in after.json()] == ["streetlight", "manhole"]
    first = after.json()[0]
    expected = CATALOGUE["services"][0]
    assert (first["service_name"], first["group"], first["keywords"]) == (
        expected["service_name"],
        expected["group"],
        "路灯,不亮",
    )
    assert (first["metadata"], first["type"]) == (False, "realtime")
    assert definition.json() == {"service_code": "streetlight", "attributes": []}
    assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404


async def test_requests_are_public_views_without_personal_data_filtered_and_paged(
    settings: Settings,
) -> None:
    publish_catalogue(settings)
    with intake_client(settings) as client:
        key = headers(settings, "partner")["X-API-Key"]
        ids = []
        for code in ("streetlight", "streetlight", "manhole"):
            response = client.post(
                "/open311/v2/requests.json",
                data={
                    "api_key": key,
                    "service_code": code,
                    "address_string": "滨海大道1号",
                    "description": f"请联系{NAME}，电话{PHONE}",
                    "first_name": NAME,
                    "phone": PHONE,
                },
            )
            ids.append(response.json()[0]["service_request_id"])
        client.post(f"/v1/complaints/{ids[2]}/withdraw", json={}, headers={"X-API-Key": key})

        def listed() -> Any:
            rows = client.get("/open311/v2/requests.json").json()
            return rows if len(rows) == 3 and rows[0]["status"] == "closed" else None

        everything = await eventually(listed)
        lights = client.get("/open311/v2/requests.json?service_code=streetlight").json()
        still_open = client.get("/open311/v2/requests.json?status=open").json()
        page_two = client.get("/open311/v2/requests.json?page=2&page_size=2").json()
        one = client.get(f"/open311/v2/requests/{ids[0]}.json")
        bad = client.get("/open311/v2/requests.json?status=pending&start_date=yesterday")

    assert [row["service_request_id"] for row in everything] == list(reversed(ids))
    assert {row["service_request_id"] for row in lights} == set(ids[:2])
    assert {row["service_request_id"] for row in still_open} == set(ids[:2])
    assert [row["service_request_id"] for row in page_two] == [ids[0]]
    withdrawn = everything[0]
    assert withdrawn["extended_attributes"] == {"status": "withdrawn"}
    [view] = one.json()
    assert view["service_name"] == "路灯故障" and view["status"] == "open"
    for text in (one.text, str(everything)):
        assert NAME not in text and PHONE not in text
    assert bad.status_code == 400
    assert {error["description"].split(":")[0] for error in bad.json()} == {"status", "start_date"}


def test_a_request_without_a_valid_api_key_is_refused_in_the_specs_error_shape(
    settings: Settings,
) -> None:
    publish_catalogue(settings)
    with intake_client(settings) as client:
        body = {"service_code": "streetlight", "lat": "20", "long": "110", "description": "灯"}
        missing = client.post("/open311/v2/requests.json", data=body)
        wrong = client.post("/open311/v2/requests.json", data=body | {"api_key": "x" * 20})
        auditor = client.post(
            "/open311/v2/requests.json",
            data=body | {"api_key": headers(settings, "auditor")["X-API-Key"]},
        )
        unknown_service = client.post(
            "/open311/v2/requests.json",
            data=body
            | {"service_code": "fireworks", "api_key": headers(settings, "partner")["X-API-Key"]},
        )
    assert missing.status_code == 400 and missing.json()[0]["description"].startswith("api_key")
    assert wrong.status_code == auditor.status_code == 403
    assert unknown_service.status_code == 400
    assert unknown_service.json()[0]["description"].startswith("service_code")
