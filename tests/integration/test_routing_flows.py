"""Routing on the real broker and both stores: upstream events in, HTTP commands, contracts out."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import uuid4

import pytest

from contracts import (
    Channel,
    ComplaintReceived,
    Escalated,
    SupervisionLevel,
    TicketReopened,
)
from hotline.settings import Settings

from test_routing_support import (
    dispatch_of,
    headers,
    publish,
    published_types,
    routing_events,
    routing_service,
    train_small_model,
    upstream,
    wait_for,
)

MEILAN_LIGHTS = "u-5ef5ba24"
TRAFFIC_POLICE = "u-f3ff18fc"
TAXI_TEXT = "市民来电反映：其乘坐出租车，司机拒载还不打表，要求处理"


def complaint(
    description: str, district: str | None = "美兰区", category_hint: str | None = None
) -> ComplaintReceived:
    event = upstream(
        ComplaintReceived,
        uuid4(),
        channel=Channel.PHONE,
        description=description,
        district=district,
        category_hint=category_hint,
    )
    assert isinstance(event, ComplaintReceived)
    return event


def test_direct_model_merge_leader_and_reopen(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    train_small_model(settings)
    lights = complaint("海甸街道和平路路灯坏了好几天", category_hint="路灯照明")
    duplicate = complaint("海甸街道和平路的路灯也不亮", category_hint="路灯照明")
    taxi = complaint(TAXI_TEXT, district=None)
    crowd = complaint("工地门口发生群体性事件，很多人聚集", district="龙华区")
    with routing_service(settings, monkeypatch) as client:
        publish(settings, lights, taxi, crowd)
        wait_for(lambda: dispatch_of(client, lights.ticket_id).get("status") == "assigned")
        publish(settings, duplicate)
        for ticket in (duplicate, taxi, crowd):
            wait_for(lambda t=ticket: dispatch_of(client, t.ticket_id).get("status") == "assigned")
        publish(
            settings,
            upstream(TicketReopened, lights.ticket_id, round=1),
            upstream(
                Escalated,
                taxi.ticket_id,
                level=SupervisionLevel.GOVERNMENT_INSPECTION,
                level_number=3,
                reason="超期未办结",
            ),
        )

        assert published_types(settings, lights.ticket_id, 2) == ["Assigned", "Assigned"]
        direct, again = routing_events(settings, lights.ticket_id)
        assert (direct.unit_code, direct.dispatch_level) == (MEILAN_LIGHTS, "direct")  # type: ignore[attr-defined]
        assert again.reopen_round == 1  # type: ignore[attr-defined]
        assert published_types(settings, duplicate.ticket_id, 2) == ["TicketMerged", "Assigned"]
        merged, follows = routing_events(settings, duplicate.ticket_id)
        assert merged.master_ticket_id == lights.ticket_id  # type: ignore[attr-defined]
        assert follows.unit_code == MEILAN_LIGHTS  # type: ignore[attr-defined]
        assert published_types(settings, taxi.ticket_id, 2) == ["Assigned", "Assigned"]
        by_model, leader = routing_events(settings, taxi.ticket_id)
        assert by_model.model_version and by_model.confidence  # type: ignore[attr-defined]
        assert leader.dispatch_level == "leader"  # type: ignore[attr-defined]
        assert published_types(settings, crowd.ticket_id, 1) == ["Assigned"]
        (major,) = routing_events(settings, crowd.ticket_id)
        assert major.dispatch_level == "leader"  # type: ignore[attr-defined]


def test_manual_queue_and_consultation_with_lead_and_co_handlers(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    unclear = complaint("我想咨询一下这个事情应该怎么办", district=None)
    dust = complaint("旁边工地扬尘很大，每天满屋子灰", district="琼山区")
    with routing_service(settings, monkeypatch) as client:
        publish(settings, unclear, dust)
        wait_for(lambda: dispatch_of(client, dust.ticket_id).get("status") == "consultation")
        queue = client.get("/v1/dispatch-queue", headers=headers("operator")).json()["tickets"]
        assert {t["ticket_id"] for t in queue} == {str(unclear.ticket_id), str(dust.ticket_id)}

        manual = client.post(
            f"/v1/tickets/{unclear.ticket_id}/dispatch",
            json={"unit_code": TRAFFIC_POLICE},
            headers=headers("operator"),
        )
        candidates = dispatch_of(client, dust.ticket_id)["candidate_units"]
        resolved = client.post(
            f"/v1/tickets/{dust.ticket_id}/consultation",
            json={"lead_unit": candidates[0], "co_handlers": candidates[1:]},
            headers=headers("hotline_centre"),
        )

        assert manual.status_code == 200 and resolved.status_code == 200
        assert published_types(settings, unclear.ticket_id, 2) == [
            "ManualDispatchQueued",
            "Assigned",
        ]
        assert published_types(settings, dust.ticket_id, 2) == ["ConsultationOpened", "Assigned"]
        lead = routing_events(settings, dust.ticket_id)[-1]
        assert (lead.unit_code, lead.co_handlers) == (candidates[0], tuple(candidates[1:]))  # type: ignore[attr-defined]
        assert lead.dispatch_level == "consultation"  # type: ignore[attr-defined]


def test_returns_rejected_accepted_then_disputed_to_the_fallback_unit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    lights = complaint("小区门口路灯不亮了")
    ticket = lights.ticket_id
    with routing_service(settings, monkeypatch) as client:
        publish(settings, lights)
        wait_for(lambda: dispatch_of(client, ticket).get("status") == "assigned")

        def act(path: str, role: str, body: Mapping[str, object] | None = None) -> int:
            url = f"/v1/tickets/{ticket}/{path}"
            return client.post(url, json=body, headers=headers(role)).status_code

        give_back = {"reason": "not_our_duty", "note": "不归我们"}
        shown_to = client.get(f"/v1/tickets/{ticket}/dispatch", headers=headers("unit:u-f3ff18fc"))
        assert shown_to.status_code == 403
        assert act("sign", "unit:u-f3ff18fc") == 403
        assert act("return", "unit:u-f3ff18fc", give_back) == 403
        assert act("return", "unit:u-5ef5ba24", {"reason": "no_reason"}) == 422
        assert act("return", "unit:u-5ef5ba24", give_back) == 200
        assert act("return-review", "unit:u-5ef5ba24", {"accepted": True}) == 403
        assert act("return-review", "hotline_centre", {"accepted": False}) == 200
        assert act("return", "unit:u-5ef5ba24", give_back) == 200
        review = {"accepted": True, "reroute_to": TRAFFIC_POLICE}
        assert act("return-review", "hotline_centre", review) == 200
        assert act("sign", "unit:u-5ef5ba24") == 403
        assert act("return", "unit:u-f3ff18fc", {"reason": "overlapping_duties"}) == 200
        assert act("return-review", "hotline_centre", {"accepted": True}) == 200
        assert act("consultation", "hotline_centre", {"disputed": True}) == 200

        assert published_types(settings, ticket, 10) == [
            "Assigned",
            "AssignmentReturned",
            "ReturnReviewed",
            "AssignmentReturned",
            "ReturnReviewed",
            "Assigned",
            "AssignmentReturned",
            "ReturnReviewed",
            "ConsultationOpened",
            "Assigned",
        ]
        final = routing_events(settings, ticket)[-1]
        assert final.rule.startswith("fallback:disputed")  # type: ignore[attr-defined]
        shown = dispatch_of(client, ticket)
        assert shown["returns_by_unit"] == {MEILAN_LIGHTS: 2, TRAFFIC_POLICE: 1}
