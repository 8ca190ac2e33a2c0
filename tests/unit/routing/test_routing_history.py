"""Learning from the platform's own history: closed tickets, final unit, no return by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts import ReturnReason
from hotline.cli import main
from hotline.runtime.store import store_environment
from hotline.settings import Settings
from services.routing.application import RoutingApplication

from routing_events import closed, complaint, deliver, routing_app

MEILAN_LIGHTS = "u-5ef5ba24"
TRAFFIC_POLICE = "u-f3ff18fc"
LIGHTS = ["美兰区A小区路灯不亮", "海府路东段一排路灯坏了", "白龙南路路灯晚上不亮"]
PARKING = ["出租车乱停放挡住了路口", "大英山路段有人乱停车", "国贸路口交通拥堵无人管"]


def closed_history(app: RoutingApplication) -> None:
    for text in LIGHTS:
        deliver(app, closed(deliver(app, complaint(text, district="美兰区"))))
    for text in PARKING:
        ticket = deliver(app, complaint(text, district=None))
        app.dispatch_manually(ticket, TRAFFIC_POLICE, None, None, actor="op")
        deliver(app, closed(ticket))


def test_only_closed_tickets_kept_by_a_unit_that_never_returned_them_are_history() -> None:
    app = routing_app()
    closed_history(app)
    still_open = deliver(app, complaint("美兰区B小区路灯不亮", district="美兰区"))
    returned = deliver(app, complaint("美兰区C小区路灯坏了", district="美兰区"))
    app.give_back(returned, MEILAN_LIGHTS, ReturnReason.NOT_OUR_DUTY, None)
    app.review_return(returned, accepted=False, note=None, reroute_to=None)
    deliver(app, closed(returned))

    history = app.index.handled_without_return()

    assert sorted(t.text for t in history) == sorted(LIGHTS + PARKING)
    assert still_open not in {t.ticket_id for t in history}


def test_train_from_history_replays_routings_own_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(data_dir=tmp_path)
    app = RoutingApplication(store_environment(settings, "routing"))
    closed_history(app)
    app.close()

    code = main(["routing", "train", "--from-history", "--data-dir", str(tmp_path)])

    assert code == 0, capsys.readouterr().err
    assert "6 examples" in capsys.readouterr().out
    assert (tmp_path / "routing" / "models" / "current.json").exists()
