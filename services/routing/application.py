"""Routing's commands and its policy for upstream events (intake, feedback, sla)."""

from __future__ import annotations

from datetime import timedelta
from functools import singledispatchmethod
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from contracts import (
    ComplaintReceived,
    DeadlineClass,
    DispatchLevel,
    Escalated,
    ReturnReason,
    SupervisionLevel,
    TicketClosed,
    TicketReopened,
)
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import current_trace_context
from services.routing.assignment import apply_decision, assign_unit, follow_master
from services.routing.catalogue import DEFAULT_CATALOGUE, Catalogue, load_catalogue
from services.routing.classifier import TextModel
from services.routing.decision import AssignTo, Consult, Decision, Facts, decide
from services.routing.domain import Dispatch, DispatchRuleError, Status
from services.routing.gazetteer import load_gazetteer
from services.routing.index import DispatchIndex
from services.routing.merging import OpenTicket, find_master
from services.routing.models import ModelShelf

LEADER_LEVELS = frozenset(
    {
        SupervisionLevel.GOVERNMENT_INSPECTION,
        SupervisionLevel.CONGRESS_CPPCC,
        SupervisionLevel.DISCIPLINE_INSPECTION,
    }
)


def routing_data_dir(env: Any) -> Path:
    """`<HOTLINE_DATA_DIR>/routing`; beside the SQLite file when only that is known."""
    data_dir = env.get("HOTLINE_DATA_DIR")
    if data_dir:
        return Path(data_dir) / "routing"
    sqlite = env.get("SQLITE_DBNAME")
    if sqlite and sqlite != ":memory:" and "mode=memory" not in sqlite:
        return Path(sqlite).parent
    return Path("var") / "routing"


class RoutingApplication(ServiceApplication):
    name = "routing"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.catalogue: Catalogue = load_catalogue(
            Path(self.env.get("HOTLINE_ROUTING_CATALOGUE") or DEFAULT_CATALOGUE)
        )
        self.gazetteer = load_gazetteer()
        self.models = ModelShelf(routing_data_dir(self.env) / "models")
        self.index = DispatchIndex(self.notifications_after, self.mapper.to_domain_event)

    @property
    def model(self) -> TextModel | None:
        return self.models.current()

    # --- upstream events ------------------------------------------------------------------

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events routing does not act on are only tracked."""

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        if self.find(event.ticket_id) is not None:
            return
        trace = current_trace_context()
        where = self.gazetteer.complete(
            event.district, event.street, event.address, event.description
        )
        dispatch = Dispatch(
            ticket_id=event.ticket_id,
            description=event.description,
            category_hint=event.category_hint,
            district=where.district,
            street=where.street,
            received_at=event.occurred_at,
            trace=trace,
        )
        decision = decide(self._facts(dispatch), self.catalogue, self.model)
        if not self._merge(dispatch, decision, trace):
            apply_decision(dispatch, decision, trace, previous=None)
        processing_event.collect_events(dispatch)

    @policy.register
    def _(self, event: TicketReopened, processing_event: ProcessingEvent[Any]) -> None:
        dispatch = self._existing(event.ticket_id)
        if dispatch is None or dispatch.unit_code is None or event.round <= dispatch.reopen_round:
            return
        self._reassign(dispatch, rule="reopen", reopen_round=event.round)
        processing_event.collect_events(dispatch)

    @policy.register
    def _(self, event: TicketClosed, processing_event: ProcessingEvent[Any]) -> None:
        dispatch = self._existing(event.ticket_id)
        if dispatch is None or dispatch.status is Status.CLOSED:
            return
        dispatch.close(unit_code=dispatch.unit_code, trace=current_trace_context())
        processing_event.collect_events(dispatch)

    @policy.register
    def _(self, event: Escalated, processing_event: ProcessingEvent[Any]) -> None:
        dispatch = self._existing(event.ticket_id)
        if (
            dispatch is None
            or dispatch.unit_code is None
            or event.level not in LEADER_LEVELS
            or dispatch.dispatch_level == DispatchLevel.LEADER
        ):
            return
        self._reassign(
            dispatch, rule=f"leader:escalated:{event.level}", dispatch_level=DispatchLevel.LEADER
        )
        processing_event.collect_events(dispatch)

    # --- the handling unit ----------------------------------------------------------------

    def sign(self, ticket_id: UUID, unit_code: str) -> Dispatch:
        dispatch = self.get_dispatch(ticket_id)
        dispatch.sign(unit_code, current_trace_context())
        self.save(dispatch)
        return dispatch

    def give_back(
        self, ticket_id: UUID, unit_code: str, reason: ReturnReason, note: str | None
    ) -> Dispatch:
        dispatch = self.get_dispatch(ticket_id)
        dispatch.give_back(unit_code, reason.value, note, current_trace_context())
        self.save(dispatch)
        return dispatch

    # --- the hotline centre / operators -------------------------------------------------

    def review_return(
        self, ticket_id: UUID, accepted: bool, note: str | None, reroute_to: str | None
    ) -> Dispatch:
        """Reject: the unit keeps it. Accept: re-route, or consult after too many returns."""
        dispatch = self.get_dispatch(ticket_id)
        trace = current_trace_context()
        if reroute_to is not None:
            self._check_unit(reroute_to)
        dispatch.review_return(accepted, note, trace)
        if accepted:
            decision = self._after_return(dispatch, reroute_to)
            apply_decision(dispatch, decision, trace, previous=dispatch.unit_code)
        self.save(dispatch, *self._followers(dispatch))
        return dispatch

    def dispatch_manually(
        self,
        ticket_id: UUID,
        unit_code: str,
        category: str | None,
        deadline_class: DeadlineClass | None,
        actor: str,
    ) -> Dispatch:
        dispatch = self.get_dispatch(ticket_id)
        dispatch.require(Status.QUEUED)
        if dispatch.master_ticket_id is not None:
            raise DispatchRuleError("a merged ticket follows its master: dispatch the master")
        unit = self._check_unit(unit_code)
        known = self.catalogue.category(category) if category else None
        decision = AssignTo(
            unit=unit,
            category=known.code if known else category or dispatch.category,
            rule=f"manual:{actor}",
            deadline_class=deadline_class
            or (known.deadline_class if known else DeadlineClass.NORMAL),
            dispatch_level=DispatchLevel.LEADER if known and known.major else DispatchLevel.DIRECT,
        )
        apply_decision(dispatch, decision, current_trace_context(), previous=None)
        self.save(dispatch, *self._followers(dispatch))
        return dispatch

    def resolve_consultation(
        self, ticket_id: UUID, lead: str, co_handlers: tuple[str, ...], actor: str
    ) -> Dispatch:
        """会商 settled: the lead unit (主办) handles it, the co-handlers (协办) help."""
        dispatch = self.get_dispatch(ticket_id)
        dispatch.require(Status.CONSULTATION)
        unit = self._check_unit(lead)
        for code in co_handlers:
            self._check_unit(code)
        if lead in co_handlers:
            raise DispatchRuleError("the lead unit cannot also be a co-handler")
        self._assign(
            dispatch,
            unit_code=unit.code,
            rule=f"consultation:{actor}",
            dispatch_level=DispatchLevel.CONSULTATION,
            co_handlers=co_handlers,
            previous_unit_code=dispatch.unit_code,
        )
        self.save(dispatch, *self._followers(dispatch))
        return dispatch

    def dispatch_at_leader_level(self, ticket_id: UUID, actor: str) -> Dispatch:
        """领导交办: the hotline centre flags a ticket major; the same unit, at leader level."""
        dispatch = self.get_dispatch(ticket_id)
        dispatch.require(Status.ASSIGNED, Status.SIGNED)
        if dispatch.dispatch_level == DispatchLevel.LEADER:
            raise DispatchRuleError("the ticket is already dispatched at leader level")
        self._reassign(dispatch, rule=f"leader:{actor}", dispatch_level=DispatchLevel.LEADER)
        self.save(dispatch)
        return dispatch

    def assign_fallback(self, ticket_id: UUID, actor: str) -> Dispatch:
        """Ownership stays disputed after consultation: the fallback unit (兜底单位) takes it."""
        dispatch = self.get_dispatch(ticket_id)
        dispatch.require(Status.CONSULTATION)
        self._assign(
            dispatch,
            unit_code=self.catalogue.policy.fallback_unit,
            rule=f"fallback:disputed:{actor}",
            dispatch_level=DispatchLevel.CONSULTATION,
            co_handlers=(),
            previous_unit_code=dispatch.unit_code,
        )
        self.save(dispatch, *self._followers(dispatch))
        return dispatch

    # --- rules ------------------------------------------------------------------------------

    def _facts(self, dispatch: Dispatch) -> Facts:
        return Facts(
            dispatch.description, dispatch.category_hint, dispatch.district, dispatch.street
        )

    def _after_return(self, dispatch: Dispatch, reroute_to: str | None) -> Decision:
        policy = self.catalogue.policy
        if dispatch.accepted_returns >= policy.returns_before_consultation:
            units = tuple(dict.fromkeys(unit for unit, _ in dispatch.returns))
            reason = f"returned {dispatch.accepted_returns} times"
            return Consult(units, dispatch.category, reason)
        if reroute_to is not None:
            return AssignTo(
                unit=self.catalogue.unit(reroute_to),
                category=dispatch.category,
                rule="return:rerouted-by-centre",
                deadline_class=DeadlineClass(dispatch.deadline_class),
                dispatch_level=DispatchLevel(dispatch.dispatch_level),
            )
        return decide(self._facts(dispatch), self.catalogue, self.model, dispatch.returned_units)

    def _merge(self, dispatch: Dispatch, decision: Decision, trace: dict[str, str]) -> bool:
        """并单 into an open master; the child takes the master's unit when it has one."""
        category = decision.category
        candidate = OpenTicket(
            dispatch.id, dispatch.received_at, category, dispatch.street, dispatch.description
        )
        policy = self.catalogue.policy
        match = find_master(
            candidate,
            self.index.open_masters(),
            timedelta(hours=policy.merge_window_hours),
            policy.merge_text_similarity,
        )
        if match is None:
            return False
        master = self.get_dispatch(match.master_ticket_id)
        dispatch.merge_into(master.id, match.reason, category, trace)
        if master.unit_code is not None:
            follow_master(dispatch, master, trace)
        return True

    def _followers(self, master: Dispatch) -> list[Dispatch]:
        """Merged children take the master's new unit: they follow its handling."""
        if master.status is not Status.ASSIGNED:
            return []
        children = [self.get_dispatch(child_id) for child_id in self.index.children_of(master.id)]
        trace = current_trace_context()
        for child in children:
            follow_master(child, master, trace)
        return children

    def _reassign(
        self,
        dispatch: Dispatch,
        rule: str,
        reopen_round: int | None = None,
        dispatch_level: DispatchLevel | None = None,
    ) -> None:
        assert dispatch.unit_code is not None
        self._assign(
            dispatch,
            unit_code=dispatch.unit_code,
            rule=rule,
            dispatch_level=dispatch_level or DispatchLevel(dispatch.dispatch_level),
            co_handlers=tuple(dispatch.co_handlers),
            previous_unit_code=None,
            reopen_round=dispatch.reopen_round if reopen_round is None else reopen_round,
        )

    def _assign(
        self,
        dispatch: Dispatch,
        unit_code: str,
        rule: str,
        dispatch_level: DispatchLevel,
        co_handlers: tuple[str, ...],
        previous_unit_code: str | None,
        reopen_round: int | None = None,
    ) -> None:
        assign_unit(
            dispatch,
            self.catalogue.unit(unit_code),
            rule,
            dispatch_level,
            co_handlers,
            previous_unit_code,
            dispatch.reopen_round if reopen_round is None else reopen_round,
            current_trace_context(),
        )

    def _check_unit(self, code: str) -> Any:
        if not self.catalogue.has_unit(code):
            raise LookupError(f"unknown unit {code!r}")
        return self.catalogue.unit(code)

    def _existing(self, ticket_id: UUID) -> Dispatch | None:
        found = self.find(ticket_id)
        return found if isinstance(found, Dispatch) else None

    def get_dispatch(self, ticket_id: UUID) -> Dispatch:
        found = self._existing(ticket_id)
        if found is None:
            raise KeyError(ticket_id)
        return found
