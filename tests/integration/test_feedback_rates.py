"""三率 from a scripted month, checked against numbers worked out by hand.

The month is played straight into feedback's application on the real store (HTTP
adds nothing to the arithmetic); the API and the CLI then read the same store.

November 2026, China time (UTC+8). Two units, six tickets:

| ticket | unit  | assigned (China)  | signed | missed deadline | callbacks (China)              |
|--------|-------|-------------------|--------|-----------------|--------------------------------|
| T1     | roads | 2 Nov             | yes    | —               | 6 Nov satisfied, solved        |
| T2     | roads | 5 Nov             | yes    | first_contact   | 9 Nov unsatisfied, not solved  |
|        |       |                   |        |                 | → reopen; 20 Nov basically     |
|        |       |                   |        |                 | satisfied, solved              |
| T3     | roads | 10 Nov            | no     | —               | not reached 12, 13, 14 Nov     |
|        |       |                   |        |                 | → unreachable                  |
| T4     | water | 3 Nov             | yes    | sign_in         | 7 Nov very satisfied, unsolved |
| T5     | water | 1 Nov 00:30       | yes    | —               | 4 Nov satisfied, solved        |
|        |       | (31 Oct 16:30 UTC)|        |                 |                                |
| T6     | water | 31 Oct 23:00      | yes    | —               | 1 Dec 00:30 (30 Nov 16:30 UTC) |
|        |       |                   |        |                 | satisfied, solved              |

roads: assigned T1 T2 T3 = 3; responded T1 only (T2 missed first contact, T3 never
signed) = 1 → 1/3. Callback verdicts T1, T2 round 1, T2 round 2 = 3; solved T1, T2r2
= 2 → 2/3; satisfied T1, T2r2 = 2 → 2/3. Unreachable T3 = 1 (in no denominator).
water: assigned T4 T5 = 2 (T6 was assigned in October, China time); responded T5 = 1
→ 1/2. Verdicts T4, T5 = 2 (T6's falls in December); solved T5 = 1 → 1/2; satisfied
T4, T5 = 2 → 1. Unreachable 0.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from unit.feedback.feedback_upstream import Upstream, deliver

from contracts import DeadlineKind
from hotline.cli import main as hotline
from hotline.runtime.host import create_app
from hotline.runtime.store import prepare_store, store_environment
from hotline.settings import Settings
from services.feedback.application import FeedbackApplication, RecordCallback, SubmitReply
from services.feedback.main import SPEC

pytestmark = pytest.mark.integration

CHINA_OFFSET = timedelta(hours=8)
EXPECTED = {
    "roads": {
        "assigned": 3,
        "responded": 1,
        "rated": 3,
        "solved": 2,
        "satisfied": 2,
        "unreachable": 1,
    },
    "water": {
        "assigned": 2,
        "responded": 1,
        "rated": 2,
        "solved": 1,
        "satisfied": 2,
        "unreachable": 0,
    },
}
EXPECTED_RATES = {
    "roads": (1 / 3, 2 / 3, 2 / 3),
    "water": (1 / 2, 1 / 2, 1.0),
}
COMPLAINTS = {
    "roads": "人民路人行道路面破损坑洼，车辆行人通行困难",
    "water": "滨海小区停水两天，主管道可能爆裂",
}
REPLIES = {
    "roads": (
        "经现场核查，人民路人行道破损路面已于本周完成修补，坑洼处已铺设沥青，"
        "车辆行人通行恢复正常，养护队将每周巡查该路段。"
    ),
    "water": (
        "经核查，滨海小区停水系主管道爆裂所致，抢修队已更换破损管段，"
        "小区已于当晚恢复正常供水，自来水公司将对该片区老旧管网逐段排查更换。"
    ),
}


def china(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime:
    """A moment given in China time, stored in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - CHINA_OFFSET


class Month:
    """Plays the scripted month into the application."""

    def __init__(self, app: FeedbackApplication) -> None:
        self.app = app
        self.upstream = Upstream()

    def ticket(self, unit: str, assigned_at: datetime, signed: bool = True) -> UUID:
        ticket_id = uuid4()
        deliver(
            self.app,
            self.upstream.complaint(ticket_id, at=assigned_at, description=COMPLAINTS[unit]),
            self.upstream.assigned(ticket_id, unit, at=assigned_at - timedelta(minutes=1)),
        )
        if signed:
            deliver(self.app, self.upstream.signed(ticket_id, unit, at=assigned_at))
        return ticket_id

    def missed(self, ticket_id: UUID, unit: str, kind: DeadlineKind, at: datetime) -> None:
        deliver(self.app, self.upstream.breached(ticket_id, unit, kind, at=at))

    def reply(self, ticket_id: UUID, unit: str, at: datetime) -> None:
        verdict = self.app.submit_reply(
            SubmitReply(
                ticket_id=ticket_id,
                unit_code=unit,
                result="partly_solved",
                public_reply=REPLIES[unit],
                measures="现场处置",
                evidence_urls=(),
                contacted_citizen_at=at,
                at=at,
            )
        )
        assert verdict.accepted, verdict.reasons

    def verdict(self, ticket_id: UUID, at: datetime, satisfaction: str, solved: bool) -> None:
        self.app.record_callback(RecordCallback(ticket_id, True, at, solved, satisfaction))

    def not_reached(self, ticket_id: UUID, at: datetime) -> None:
        self.app.record_callback(RecordCallback(ticket_id, False, at))


def play_november(app: FeedbackApplication) -> None:
    month = Month(app)
    t1 = month.ticket("roads", china(2))
    month.reply(t1, "roads", china(4))
    month.verdict(t1, china(6), "satisfied", solved=True)

    t2 = month.ticket("roads", china(5))
    month.missed(t2, "roads", DeadlineKind.FIRST_CONTACT, china(6))
    month.reply(t2, "roads", china(8))
    month.verdict(t2, china(9), "unsatisfied", solved=False)
    month.reply(t2, "roads", china(15))
    month.verdict(t2, china(20), "basically_satisfied", solved=True)

    t3 = month.ticket("roads", china(10), signed=False)
    month.reply(t3, "roads", china(11))
    for day in (12, 13, 14):
        month.not_reached(t3, china(day))

    t4 = month.ticket("water", china(3))
    month.missed(t4, "water", DeadlineKind.SIGN_IN, china(3, 12))
    month.reply(t4, "water", china(5))
    month.verdict(t4, china(7), "very_satisfied", solved=False)

    t5 = month.ticket("water", china(1, 0, 30))
    month.reply(t5, "water", china(2))
    month.verdict(t5, china(4), "satisfied", solved=True)

    t6 = month.ticket("water", china(31, 23, month=10))
    month.reply(t6, "water", china(29))
    month.verdict(t6, china(1, 0, 30, month=12), "satisfied", solved=True)


def counts(units: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {
        str(unit["unit_code"]): {name: unit[name] for name in EXPECTED["roads"]} for unit in units
    }


def rates(units: list[dict[str, object]]) -> dict[str, tuple[object, ...]]:
    names = ("response_rate", "resolution_rate", "satisfaction_rate")
    return {str(unit["unit_code"]): tuple(unit[name] for name in names) for unit in units}


@pytest.fixture
def november(settings: Settings) -> Settings:
    prepare_store(settings, "feedback")
    app = FeedbackApplication(store_environment(settings, "feedback"))
    try:
        play_november(app)
    finally:
        app.close()
    return settings


def test_the_api_serves_the_hand_worked_rates_of_the_month(
    november: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_API_KEYS", json.dumps({"key-for-the-auditor-0001": "auditor"}))
    with TestClient(create_app(SPEC, november)) as client:
        answer = client.get(
            "/v1/rates",
            params={"period": "2026-11"},
            headers={"X-API-Key": "key-for-the-auditor-0001"},
        )
        bad_period = client.get(
            "/v1/rates",
            params={"period": "2026-13"},
            headers={"X-API-Key": "key-for-the-auditor-0001"},
        )

    units = answer.json()["units"]
    assert counts(units) == EXPECTED
    served = rates(units)
    assert served.keys() == EXPECTED_RATES.keys()
    for unit, expected in EXPECTED_RATES.items():
        assert served[unit] == pytest.approx(expected)
    assert bad_period.status_code == 422


def test_the_cli_reads_the_same_rates_from_the_store(
    november: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in november.to_environ().items():
        monkeypatch.setenv(name, value)
    output = io.StringIO()

    with redirect_stdout(output):
        code = hotline(["feedback", "rates", "--period", "2026-11"])

    assert code == 0
    assert counts(json.loads(output.getvalue())["units"]) == EXPECTED
