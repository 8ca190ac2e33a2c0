"""Malformed and hostile input at every intake endpoint: never a 5xx, never a half-recorded
complaint — a rejected request adds no event, an accepted one exactly one."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from test_intake_support import headers, intake_client, publish_catalogue

from hotline.settings import Settings
from services.intake.application import IntakeApplication

pytestmark = pytest.mark.integration

EXAMPLES = 40
VALID = {
    "channel": "web",
    "description": "路灯不亮",
    "district": "秀英区",
    "latitude": 20.0,
    "longitude": 110.3,
    "attachments": [{"url": "https://x.example.cn/p.jpg", "media_type": "image"}],
    "contact": {"name": "某某", "phone": "13800001234", "id_number": "11010519491231002X"},
}
HOSTILE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["\x00", "\ud800", "a" * 6000, "javascript:alert(1)", "ftp://x/y", "1" * 18, ""]
    ),
)
HOSTILE_VALUES = st.recursive(
    HOSTILE_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=12), st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=15,
)
FIELDS = st.sampled_from(
    [*VALID.keys(), "contact.phone", "contact.id_number", "attachments.0.url", "media", "extra"]
)
RAW_BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [b"", b"{", b"[]", b"null", b'{"channel": "web"', b"\xff\xfe{}", b'{"a":1}' * 3]
    ),
)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


def mutated(field: str, value: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(json.dumps(VALID))
    target, *path = field.split(".")
    if not path:
        body[target] = value
        return body
    node = body[target]
    for step in path[:-1]:
        node = node[int(step)] if isinstance(node, list) else node[step]
    key = path[-1]
    if isinstance(node, list):
        node[int(key)] = value
    else:
        node[key] = value
    return body


def recorded(client: TestClient) -> int:
    app = client.app.state.service.application  # type: ignore[attr-defined]
    assert isinstance(app, IntakeApplication)
    return app.max_position()


def check(client: TestClient, send: Callable[[], Any], accepted: int = 201) -> None:
    before = recorded(client)
    response = send()
    assert response.status_code < 500, response.text
    assert 400 <= response.status_code < 500 or response.status_code == accepted, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body, "every rejection says why"
        assert recorded(client) == before, "a rejected request records nothing"
    else:
        assert recorded(client) == before + 1, "an accepted request records exactly one event"


FAST = hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def test_hostile_complaints_are_refused_cleanly(settings: Settings) -> None:
    with intake_client(settings) as client:
        key = headers(settings, "partner")

        @FAST
        @given(field=FIELDS, value=HOSTILE_VALUES)
        def mutated_fields(field: str, value: Any) -> None:
            body = json.dumps(mutated(field, value), ensure_ascii=True, allow_nan=True)
            send = lambda: client.post(  # noqa: E731
                "/v1/complaints", content=body, headers=key | {"content-type": "application/json"}
            )
            check(client, send)

        @FAST
        @given(raw=RAW_BODIES, content_type=HEADER_TEXT)
        def raw_bodies(raw: bytes, content_type: str) -> None:
            send = lambda: client.post(  # noqa: E731
                "/v1/complaints", content=raw, headers=key | {"content-type": content_type}
            )
            check(client, send)

        mutated_fields()
        raw_bodies()


def test_hostile_supplements_withdrawals_and_lookups_are_refused_cleanly(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        key = headers(settings, "partner")
        ticket = client.post("/v1/complaints", json=VALID, headers=key).json()

        @FAST
        @given(raw=st.one_of(RAW_BODIES, HOSTILE_VALUES.map(lambda v: json.dumps(v).encode())))
        def supplements(raw: bytes) -> None:
            url = f"/v1/complaints/{ticket['ticket_id']}/supplements"
            check(client, lambda: client.post(url, content=raw, headers=key))

        @FAST
        @given(raw=st.one_of(RAW_BODIES, st.just(b'{"reason": "\\u0000"}')))
        def withdrawals(raw: bytes) -> None:
            url = f"/v1/complaints/{ticket['ticket_id']}/withdraw"
            response = client.post(url, content=raw, headers=key)
            assert response.status_code < 500, response.text

        @FAST
        @given(ticket_id=st.one_of(HEADER_TEXT, st.uuids().map(str)), code=HEADER_TEXT)
        def lookups(ticket_id: str, code: str) -> None:
            for url in (
                f"/v1/complaints/{ticket_id}/progress",
                f"/v1/complaints/{ticket_id}",
                f"/v1/complaints/{ticket_id}/contact",
            ):
                response = client.get(url, headers=key | {"X-Query-Code": code})
                assert response.status_code < 500, response.text
                assert ticket["query_code"] not in response.text

        supplements()
        lookups()
        withdrawals()


def test_hostile_open311_requests_are_refused_cleanly(settings: Settings) -> None:
    publish_catalogue(settings)
    with intake_client(settings) as client:
        api_key = headers(settings, "partner")["X-API-Key"]
        form_fields = st.dictionaries(
            st.sampled_from(
                ["service_code", "lat", "long", "description", "phone", "media_url", "api_key", "x"]
            ),
            st.one_of(st.text(max_size=20), st.sampled_from(["nan", "91", "-181", "\x00", "%ff"])),
            max_size=8,
        )

        @FAST
        @given(fields=form_fields, with_key=st.booleans())
        def forms(fields: dict[str, str], with_key: bool) -> None:
            data = fields | ({"api_key": api_key} if with_key else {})
            check(client, lambda: client.post("/open311/v2/requests.json", data=data), accepted=200)

        @FAST
        @given(
            raw=RAW_BODIES,
            content_type=st.sampled_from(
                ["application/json", "application/x-www-form-urlencoded", "text/plain", ""]
            ),
        )
        def raw_bodies(raw: bytes, content_type: str) -> None:
            send = lambda: client.post(  # noqa: E731
                "/open311/v2/requests.json", content=raw, headers={"content-type": content_type}
            )
            check(client, send, accepted=200)

        @FAST
        @given(
            params=st.dictionaries(
                st.sampled_from(
                    [
                        "status",
                        "start_date",
                        "end_date",
                        "page",
                        "page_size",
                        "service_request_id",
                        "service_code",
                    ]
                ),
                HEADER_TEXT,
                max_size=5,
            ),
            path=HEADER_TEXT,
        )
        def reads(params: dict[str, str], path: str) -> None:
            for response in (
                client.get("/open311/v2/requests.json", params=params),
                client.get(f"/open311/v2/requests/{path}.json"),
                client.get(f"/open311/v2/services/{path}.json"),
            ):
                assert response.status_code < 500, response.text

        forms()
        raw_bodies()
        reads()
