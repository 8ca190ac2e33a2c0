"""Every rejected complaint names each bad field and why, in one 4xx JSON answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hotline.runtime.auth import ApiError
from services.intake.body import parse_json
from services.intake.schemas import ComplaintIn, SupplementIn

VALID: dict[str, Any] = {"channel": "phone", "description": "路灯不亮"}


def rejection(body: bytes | dict[str, Any]) -> ApiError:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(ApiError) as caught:
        parse_json(raw, ComplaintIn)
    return caught.value


def fields(error: ApiError) -> set[str]:
    return {detail["field"] for detail in error.details or []}


def test_a_complete_complaint_is_accepted() -> None:
    body = VALID | {
        "street": "海甸街道",
        "latitude": 20.0,
        "longitude": 110.3,
        "urgency": "emergency",
        "contact": {"name": "张三", "phone": "13800001234", "id_number": "11010519491231002X"},
    }
    complaint = parse_json(json.dumps(body).encode(), ComplaintIn)
    assert complaint.contact is not None and complaint.contact.phone == "13800001234"


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"{", 400, "malformed_json"),
        (b"", 400, "empty_body"),
        (b'{"channel": "phone", "description": "\xff"}', 400, "invalid_encoding"),
        (b"[]", 422, "invalid_request"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(raw: bytes, status: int, code: str) -> None:
    error = rejection(raw)
    assert (error.status, error.code) == (status, code)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "长" * 5001}, "description"),
        ({"channel": "fax"}, "channel"),
        ({"anonymous": "yes"}, "anonymous"),
        ({"latitude": 91, "longitude": 110}, "latitude"),
        ({"latitude": 20}, "latitude, longitude"),
        ({"attachments": [{"url": "ftp://a.cn/x", "media_type": "image"}]}, "attachments.0.url"),
        ({"attachments": [{"url": "https://a.cn/x", "media_type": "image"}] * 11}, "attachments"),
        ({"contact": {"phone": "12345"}}, "contact.phone"),
        (
            {"contact": {"phone": "13800001234", "id_number": "110105194912310021"}},
            "contact.id_number",
        ),
        ({"channel": "media"}, "media"),
        ({"surprise": 1}, "surprise"),
        ({"description": None}, "description"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, Any], field: str) -> None:
    error = rejection(VALID | change)
    assert error.status == 422
    assert field in fields(error)
    assert all(detail["problem"] for detail in error.details or [])


def test_several_bad_fields_are_all_named_at_once() -> None:
    error = rejection({"channel": "fax", "description": "", "contact": {"phone": "1"}})
    assert fields(error) == {"channel", "description", "contact.phone"}


def test_a_supplement_needs_text_or_an_attachment() -> None:
    with pytest.raises(ApiError) as caught:
        parse_json(b"{}", SupplementIn)
    assert fields(caught.value) == {"text"}
