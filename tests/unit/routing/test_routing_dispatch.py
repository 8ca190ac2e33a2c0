"""Stories of one ticket's dispatch: given upstream events, when a command, then these events."""

from __future__ import annotations

import pytest

from contracts import DispatchLevel, ReturnReason, SupervisionLevel
from services.routing.domain import Dispatch, DispatchRuleError

from routing_events import closed, complaint, deliver, escalated, kinds, last, reopened, routing_app

MEILAN_STREETLIGHTS = "u-5ef5ba24"
LONGHUA_CITY_MANAGEMENT = "u-0d99f27b"
TRAFFIC_POLICE = "u-f3ff18fc"


def test_a_keyword_and_the_district_choose_the_district_unit_directly() -> None:
    app = routing_app()

    ticket = deliver(app, complaint("小区门口路灯不亮了", district="美兰区"))

    assigned = last(app, ticket)
    assert kinds(app, ticket) == ["Registered", "Assigned"]
    assert (assigned.unit_code, assigned.rule) == (
        MEILAN_STREETLIGHTS,
        "catalogue:x-streetlight@美兰区:keyword",
    )
    assert (assigned.deadline_class, assigned.dispatch_level) == ("urgent", "direct")
    assert assigned.model_version is None


def test_without_a_model_or_a_matching_rule_the_ticket_waits_for_an_operator() -> None:
    app = routing_app()

    ticket = deliver(app, complaint("我想咨询一下这个事情怎么办", district=None))

    assert kinds(app, ticket) == ["Registered", "ManualQueued"]
    assert [t.ticket_id for t in app.index.awaiting_centre()] == [ticket]


def test_an_operator_dispatches_a_queued_ticket_by_hand() -> None:
    app = routing_app()
    ticket = deliver(app, complaint("我想咨询一下这个事情怎么办", district=None))

    app.dispatch_manually(ticket, TRAFFIC_POLICE, None, None, actor="op1")

    assert (last(app, ticket).unit_code, last(app, ticket).rule) == (TRAFFIC_POLICE, "manual:op1")
    assert app.index.awaiting_centre() == []


def test_a_major_category_is_dispatched_at_leader_level() -> None:
    app = routing_app()

    ticket = deliver(app, complaint("工地门口发生群体性事件，很多人聚集", district="龙华区"))

    assert last(app, ticket).dispatch_level == DispatchLevel.LEADER


def test_a_category_spanning_two_units_opens_a_consultation_the_centre_resolves() -> None:
    app = routing_app()
    ticket = deliver(app, complaint("旁边工地扬尘很大，每天满屋子灰", district="琼山区"))
    opened = last(app, ticket)
    assert isinstance(opened, Dispatch.ConsultationOpened)
    lead, helper = opened.candidate_units

    app.resolve_consultation(ticket, lead, (helper,), actor="centre")

    assigned = last(app, ticket)
    assert (assigned.unit_code, tuple(assigned.co_handlers)) == (lead, (helper,))
    assert assigned.dispatch_level == DispatchLevel.CONSULTATION


def test_only_the_holding_unit_signs_or_returns() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())

    with pytest.raises(PermissionError):
        app.sign(ticket, TRAFFIC_POLICE)
    with pytest.raises(PermissionError):
        app.give_back(ticket, TRAFFIC_POLICE, ReturnReason.NOT_OUR_DUTY, None)
    app.sign(ticket, MEILAN_STREETLIGHTS)

    assert kinds(app, ticket)[-1] == "Signed"


def test_a_rejected_return_leaves_the_ticket_with_the_unit() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())
    app.give_back(ticket, MEILAN_STREETLIGHTS, ReturnReason.NOT_OUR_DUTY, "不归我们管")

    app.review_return(ticket, accepted=False, note="路灯归你们", reroute_to=None)

    assert kinds(app, ticket)[-2:] == ["Returned", "ReturnReviewed"]
    app.sign(ticket, MEILAN_STREETLIGHTS)
    assert kinds(app, ticket)[-1] == "Signed"


def test_an_accepted_return_reroutes_to_the_unit_the_centre_names() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())
    app.give_back(ticket, MEILAN_STREETLIGHTS, ReturnReason.WRONG_TERRITORY, None)

    app.review_return(ticket, accepted=True, note=None, reroute_to=TRAFFIC_POLICE)

    assigned = last(app, ticket)
    assert (assigned.unit_code, assigned.previous_unit_code) == (
        TRAFFIC_POLICE,
        MEILAN_STREETLIGHTS,
    )


def test_an_accepted_return_without_a_named_unit_never_goes_back_to_the_same_unit() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())
    app.give_back(ticket, MEILAN_STREETLIGHTS, ReturnReason.NOT_OUR_DUTY, None)

    app.review_return(ticket, accepted=True, note=None, reroute_to=None)

    assert isinstance(last(app, ticket), Dispatch.ManualQueued)


def test_repeated_returns_open_a_consultation_and_a_dispute_goes_to_the_fallback_unit() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())
    app.give_back(ticket, MEILAN_STREETLIGHTS, ReturnReason.NOT_OUR_DUTY, None)
    app.review_return(ticket, accepted=True, note=None, reroute_to=TRAFFIC_POLICE)
    app.give_back(ticket, TRAFFIC_POLICE, ReturnReason.OVERLAPPING_DUTIES, None)

    app.review_return(ticket, accepted=True, note=None, reroute_to=None)
    opened = last(app, ticket)
    app.assign_fallback(ticket, actor="centre")

    assert tuple(opened.candidate_units) == (MEILAN_STREETLIGHTS, TRAFFIC_POLICE)
    assert last(app, ticket).unit_code == app.catalogue.policy.fallback_unit
    assert last(app, ticket).rule.startswith("fallback:disputed")


def test_the_same_category_at_the_same_street_is_merged_and_follows_the_master() -> None:
    app = routing_app()
    master = deliver(app, complaint("海甸街道和平路路灯坏了"))

    child = deliver(app, complaint("海甸街道人民大道这边的路灯也不亮", minutes_later=30))

    merged, assigned = app.history(child)[-2:]
    assert isinstance(merged, Dispatch.Merged) and merged.master_ticket_id == master
    assert (assigned.unit_code, assigned.rule) == (MEILAN_STREETLIGHTS, f"merged:{master}")


def test_a_near_duplicate_text_is_merged_even_without_a_category() -> None:
    app = routing_app()
    text = "我想反映一下我们小区物业乱收停车费的问题，每月多收两百元"
    master = deliver(app, complaint(text, district=None))

    child = deliver(app, complaint(text + "。", district=None, minutes_later=60))

    assert app.history(child)[-1].master_ticket_id == master
    app.dispatch_manually(master, TRAFFIC_POLICE, None, None, actor="op1")
    assert last(app, child).unit_code == TRAFFIC_POLICE


def test_complaints_outside_the_window_or_after_closure_are_not_merged() -> None:
    app = routing_app()
    master = deliver(app, complaint("海甸街道和平路路灯坏了"))
    later = deliver(app, complaint("海甸街道人民大道路灯坏了", minutes_later=60 * 24 * 4))
    deliver(app, closed(master))
    deliver(app, closed(later))

    again = deliver(app, complaint("海甸街道人民大道路灯坏了", minutes_later=60 * 24 * 4 + 5))

    assert "Merged" not in kinds(app, later) + kinds(app, again)


def test_a_merged_ticket_cannot_be_returned_on_its_own() -> None:
    app = routing_app()
    deliver(app, complaint("海甸街道和平路路灯坏了"))
    child = deliver(app, complaint("海甸街道人民大道这边的路灯也不亮", minutes_later=30))

    with pytest.raises(DispatchRuleError, match="master"):
        app.give_back(child, MEILAN_STREETLIGHTS, ReturnReason.NOT_OUR_DUTY, None)


def test_a_reopened_ticket_goes_back_to_its_lead_unit_with_the_round() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())

    deliver(app, reopened(ticket, 1))

    assert (last(app, ticket).unit_code, last(app, ticket).reopen_round) == (
        MEILAN_STREETLIGHTS,
        1,
    )


def test_escalation_to_government_inspection_raises_dispatch_to_leader_level() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())
    deliver(app, escalated(ticket, SupervisionLevel.MEDIA))
    assert kinds(app, ticket) == ["Registered", "Assigned"]

    deliver(app, escalated(ticket, SupervisionLevel.GOVERNMENT_INSPECTION))

    assert last(app, ticket).dispatch_level == DispatchLevel.LEADER
    assert last(app, ticket).unit_code == MEILAN_STREETLIGHTS


def test_a_return_needs_review_before_anything_else() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())

    with pytest.raises(DispatchRuleError):
        app.review_return(ticket, accepted=True, note=None, reroute_to=None)


def test_the_centre_flags_a_ticket_major_and_it_is_dispatched_at_leader_level() -> None:
    app = routing_app()
    ticket = deliver(app, complaint())

    app.dispatch_at_leader_level(ticket, actor="centre")

    assigned = last(app, ticket)
    assert (assigned.unit_code, assigned.dispatch_level) == (MEILAN_STREETLIGHTS, "leader")
    with pytest.raises(DispatchRuleError):
        app.dispatch_at_leader_level(ticket, actor="centre")
