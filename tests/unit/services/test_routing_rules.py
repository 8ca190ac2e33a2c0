"""Routing: a received complaint is registered and assigned (placeholder rule for now)."""

from __future__ import annotations

from services.routing.application import PLACEHOLDER_RULE, RoutingApplication
from services.routing.domain import Dispatch
from services.routing.translation import to_contract

from upstream_events import IN_MEMORY, complaint_received, deliver, new_ticket


def test_a_received_complaint_is_assigned_to_the_fallback_unit() -> None:
    app = RoutingApplication(IN_MEMORY)
    ticket_id = new_ticket()

    deliver(app, complaint_received(ticket_id))

    registered, assigned = app.history(ticket_id)
    assert isinstance(registered, Dispatch.Registered)
    assert isinstance(assigned, Dispatch.Assigned)
    assert (assigned.unit_code, assigned.rule) == ("fallback", PLACEHOLDER_RULE)


def test_the_same_complaint_at_another_position_is_not_dispatched_twice() -> None:
    app = RoutingApplication(IN_MEMORY)
    ticket_id = new_ticket()

    deliver(app, complaint_received(ticket_id, position=1))
    deliver(app, complaint_received(ticket_id, position=2))

    assert len(app.history(ticket_id)) == 2


def test_the_assignment_leaves_routing_as_an_assigned_contract_at_its_log_position() -> None:
    app = RoutingApplication(IN_MEMORY)
    ticket_id = new_ticket()
    deliver(app, complaint_received(ticket_id))

    contract = to_contract(app.history(ticket_id)[1], 42)

    assert contract is not None
    assert contract.event_type == "Assigned"
    assert (contract.ticket_id, contract.position, contract.source) == (ticket_id, 42, "routing")


def test_registration_stays_inside_routing() -> None:
    app = RoutingApplication(IN_MEMORY)
    ticket_id = new_ticket()
    deliver(app, complaint_received(ticket_id))

    assert to_contract(app.history(ticket_id)[0], 1) is None
