"""Oversized and undecodable bodies are refused before they are read whole, recording nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_intake_support import headers, intake_client

from hotline.settings import Settings
from services.intake.body import MAX_BODY_BYTES

pytestmark = pytest.mark.integration


def test_oversized_bodies_are_refused_by_length_or_while_streaming(settings: Settings) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    with intake_client(settings) as client:
        key = headers(settings, "operator")
        declared = client.post(
            "/v1/complaints",
            content=b"{}",
            headers=key | {"content-type": "application/json", "content-length": str(10**9)},
        )
        streamed = client.post("/v1/complaints", content=endless(), headers=key)
        open311 = client.post("/open311/v2/requests.json", content=endless())
        recorded = client.app.state.service.application.max_position()  # type: ignore[attr-defined]

    assert declared.status_code == streamed.status_code == open311.status_code == 413
    assert streamed.json()["error"]["code"] == "payload_too_large"
    assert recorded == 0


def test_a_body_that_is_not_utf8_is_refused_naming_the_encoding(settings: Settings) -> None:
    with intake_client(settings) as client:
        response = client.post(
            "/v1/complaints",
            content='{"channel": "phone", "description": "路灯"}'.encode("gb18030"),
            headers=headers(settings, "operator") | {"content-type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_encoding"
