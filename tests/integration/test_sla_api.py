"""The SLA HTTP API on the real machinery: pause and resume, extensions denied and
granted, each checked in the answer and as events on the `hotline.sla` topic."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient
from unit.sla.sla_broker import produce, sla_events_of
from unit.sla.sla_story import assigned, local, new_ticket

from hotline.runtime.clock import ManualClock
from hotline.runtime.host import create_app
from hotline.settings import Settings
from services.sla.context import SlaContext, using
from services.sla.main import SPEC

UNIT = "demo-unit"


def keys(settings: Settings) -> dict[str, str]:
    data = json.loads((settings.data_dir / "credentials.json").read_text())
    return {item["role"]: item["key"] for item in data["keys"]}


def wait_for_clock(client: TestClient, ticket: UUID, key: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answer = client.get(f"/v1/tickets/{ticket}/deadlines", headers={"X-API-Key": key})
        if answer.status_code == 200:
            body: dict[str, Any] = answer.json()
            return body
        time.sleep(0.05)
    raise AssertionError("the SLA service never saw the assignment")


def resolution_due(body: dict[str, Any]) -> str:
    return next(d["due_at"] for d in body["deadlines"] if d["kind"] == "resolution")


def test_a_unit_sees_and_extends_only_the_tickets_it_holds(settings: Settings) -> None:
    clock = ManualClock(local("2026-09-30 10:00"))
    theirs = new_ticket()
    with (
        using(SlaContext(clock=clock, tick_seconds=0.02)),
        TestClient(create_app(SPEC, settings)) as client,
    ):
        key = keys(settings)
        asyncio.run(produce(settings, assigned(theirs, local("2026-09-30 10:00"), "roads")))
        wait_for_clock(client, theirs, key["auditor"])
        unit = {"X-API-Key": key[f"unit:{UNIT}"]}

        read = client.get(f"/v1/tickets/{theirs}/deadlines", headers=unit)
        ask = client.post(
            f"/v1/tickets/{theirs}/extension-requests",
            json={"reason": "需协调", "extra_working_days": 2},
            headers=unit,
        )

    assert (read.status_code, ask.status_code) == (403, 403)
    assert ask.json()["error"]["code"] == "forbidden"
    events = asyncio.run(sla_events_of(settings, theirs))
    assert [e.event_type for e in events] == ["DeadlineSet"] * 3


def test_pause_resume_and_extensions_move_the_deadline_and_are_published(
    settings: Settings,
) -> None:
    clock = ManualClock(local("2026-09-30 10:00"))
    ticket = new_ticket()
    with (
        using(SlaContext(clock=clock, tick_seconds=0.02)),
        TestClient(create_app(SPEC, settings)) as client,
    ):
        key = keys(settings)
        as_role = {role: {"X-API-Key": value} for role, value in key.items()}
        url = f"/v1/tickets/{ticket}"
        asyncio.run(produce(settings, assigned(ticket, local("2026-09-30 10:00"), UNIT)))
        assert resolution_due(wait_for_clock(client, ticket, key["operator"])) == (
            "2026-10-13T18:00:00+08:00"
        )

        # Pause (挂起) while waiting for the citizen: units may not, operators may.
        pause = {"reason": "等待市民补充材料"}
        assert (
            client.post(f"{url}/pause", json=pause, headers=as_role[f"unit:{UNIT}"]).status_code
            == 403
        )
        assert (
            client.post(f"{url}/pause", json=pause, headers=as_role["operator"]).status_code == 200
        )
        again = client.post(f"{url}/pause", json=pause, headers=as_role["operator"])
        assert (again.status_code, again.json()["error"]["code"]) == (409, "already_paused")
        clock.advance(timedelta(days=2))
        resumed = client.post(f"{url}/resume", headers=as_role["hotline_centre"])
        assert resolution_due(resumed.json()) == "2026-10-15T18:00:00+08:00"

        # Extension (延期): only the holding unit asks, only the hotline centre decides.
        ask = {"reason": "需协调管网改造", "extra_working_days": 3}
        assert (
            client.post(
                f"{url}/extension-requests", json=ask, headers=as_role["operator"]
            ).status_code
            == 403
        )
        both = ask | {"requested_due_at": "2026-10-30T18:00:00+08:00"}
        assert (
            client.post(
                f"{url}/extension-requests", json=both, headers=as_role[f"unit:{UNIT}"]
            ).status_code
            == 422
        )
        asked = client.post(f"{url}/extension-requests", json=ask, headers=as_role[f"unit:{UNIT}"])
        assert asked.json()["extension_requested_due_at"] == "2026-10-20T18:00:00+08:00"
        deny = {"granted": False, "note": "理由不充分"}
        assert (
            client.post(
                f"{url}/extension-requests/decision", json=deny, headers=as_role[f"unit:{UNIT}"]
            ).status_code
            == 403
        )
        denied = client.post(
            f"{url}/extension-requests/decision", json=deny, headers=as_role["hotline_centre"]
        )
        assert resolution_due(denied.json()) == "2026-10-15T18:00:00+08:00"
        later = {"reason": "需协调管网改造", "requested_due_at": "2026-10-23T18:00:00+08:00"}
        client.post(f"{url}/extension-requests", json=later, headers=as_role[f"unit:{UNIT}"])
        granted = client.post(
            f"{url}/extension-requests/decision",
            json={"granted": True},
            headers=as_role["hotline_centre"],
        )
        assert resolution_due(granted.json()) == "2026-10-23T18:00:00+08:00"

        # Too late: the deadline has passed.
        clock.set(local("2026-10-24 09:00"))
        late = client.post(f"{url}/extension-requests", json=ask, headers=as_role[f"unit:{UNIT}"])
        assert (late.status_code, late.json()["error"]["code"]) == (409, "deadline_passed")
        unknown = client.post(
            f"/v1/tickets/{new_ticket()}/pause", json=pause, headers=as_role["operator"]
        )
        assert unknown.status_code == 404

    events = asyncio.run(sla_events_of(settings, ticket))
    story = [
        (e.event_type, getattr(e, "granted", None), str(getattr(e, "due_at", None) or ""))
        for e in events
        if e.event_type != "DeadlineSet" or getattr(e, "kind", None) == "resolution"
    ]
    assert story[:8] == [
        ("DeadlineSet", None, "2026-10-13 18:00:00+08:00"),
        ("ClockPaused", None, ""),
        ("ClockResumed", None, ""),
        ("DeadlineSet", None, "2026-10-15 18:00:00+08:00"),
        ("ExtensionRequested", None, ""),
        ("ExtensionDecided", False, ""),
        ("ExtensionRequested", None, ""),
        ("ExtensionDecided", True, ""),
    ]
    assert story[8] == ("DeadlineSet", None, "2026-10-23 18:00:00+08:00")
    decided = [e for e in events if e.event_type == "ExtensionDecided"]
    assert [str(getattr(e, "new_due_at", None)) for e in decided] == [
        "None",
        "2026-10-23 18:00:00+08:00",
    ]
