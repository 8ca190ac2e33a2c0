"""Every routing fact leaves as its integration contract; registration stays inside."""

from __future__ import annotations

import json
from pathlib import Path

from contracts import ReturnReason
from services.routing.catalogue import load_catalogue
from services.routing.published import publish
from services.routing.translation import to_contract

from routing_events import complaint, deliver, reopened, routing_app

MEILAN_STREETLIGHTS = "u-5ef5ba24"


def test_each_step_is_published_as_its_contract_at_its_log_position() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())
    app.give_back(ticket, MEILAN_STREETLIGHTS, ReturnReason.NOT_OUR_DUTY, "不是我们的")
    app.review_return(ticket, accepted=False, note=None, reroute_to=None)
    app.sign(ticket, MEILAN_STREETLIGHTS)
    deliver(app, reopened(ticket, 1))

    contracts = [to_contract(event, n) for n, event in enumerate(app.history(ticket), start=1)]

    assert contracts[0] is None
    published = [c for c in contracts if c is not None]
    assert [c.event_type for c in published] == [
        "Assigned",
        "AssignmentReturned",
        "ReturnReviewed",
        "AssignmentSigned",
        "Assigned",
    ]
    assert published[-1].reopen_round == 1  # type: ignore[attr-defined]
    assert published[1].returns_so_far == 1  # type: ignore[attr-defined]
    assert [c.position for c in published] == [2, 3, 4, 5, 6]


def test_the_published_service_catalogue_lists_every_category(tmp_path: Path) -> None:
    catalogue = load_catalogue()

    path = publish(catalogue, tmp_path)

    document = json.loads(path.read_text(encoding="utf-8"))
    assert path == tmp_path / "published" / "service-catalogue.json"
    assert document["version"] == catalogue.version
    assert len(document["services"]) == len(catalogue.categories)
    streetlights = next(s for s in document["services"] if s["service_code"] == "x-streetlight")
    assert streetlights["keywords"] == ["路灯"]
    assert set(streetlights) == {"service_code", "service_name", "description", "group", "keywords"}
