"""Turning a decision into the dispatch's events: one place that fills `Assigned`.

Why separate: the application decides *when* to assign (a complaint, a review, a
consultation, a reopen); these functions decide *what* an assignment records, so
every path records the same fields the same way.
"""

from __future__ import annotations

from contracts import DispatchLevel
from services.routing.catalogue import Unit
from services.routing.decision import AssignTo, Consult, Decision
from services.routing.domain import Dispatch


def apply_decision(
    dispatch: Dispatch, decision: Decision, trace: dict[str, str], previous: str | None
) -> None:
    if isinstance(decision, AssignTo):
        dispatch.assign(
            unit_code=decision.unit.code,
            unit_name=decision.unit.name,
            category=decision.category,
            rule=decision.rule,
            model_version=decision.model_version,
            confidence=decision.confidence,
            deadline_class=decision.deadline_class.value,
            dispatch_level=decision.dispatch_level.value,
            co_handlers=(),
            reopen_round=dispatch.reopen_round,
            previous_unit_code=previous,
            trace=trace,
        )
    elif isinstance(decision, Consult):
        dispatch.open_consultation(
            candidate_units=decision.candidates,
            reason=decision.reason,
            category=decision.category,
            trace=trace,
        )
    else:
        dispatch.queue(
            best_guess_unit_code=decision.best_guess,
            confidence=decision.confidence,
            category=decision.category,
            trace=trace,
        )


def follow_master(child: Dispatch, master: Dispatch, trace: dict[str, str]) -> None:
    """并单: the child takes the master's unit, level and co-handlers."""
    assert master.unit_code is not None and master.unit_name is not None
    child.assign(
        unit_code=master.unit_code,
        unit_name=master.unit_name,
        category=master.category,
        rule=f"merged:{master.id}",
        model_version=None,
        confidence=None,
        deadline_class=master.deadline_class,
        dispatch_level=master.dispatch_level,
        co_handlers=tuple(master.co_handlers),
        reopen_round=child.reopen_round,
        previous_unit_code=child.unit_code,
        trace=trace,
    )


def assign_unit(
    dispatch: Dispatch,
    unit: Unit,
    rule: str,
    dispatch_level: DispatchLevel,
    co_handlers: tuple[str, ...],
    previous_unit_code: str | None,
    reopen_round: int,
    trace: dict[str, str],
) -> None:
    """A person's or an upstream event's assignment: category and deadline class stay."""
    dispatch.assign(
        unit_code=unit.code,
        unit_name=unit.name,
        category=dispatch.category,
        rule=rule,
        model_version=None,
        confidence=None,
        deadline_class=dispatch.deadline_class,
        dispatch_level=dispatch_level.value,
        co_handlers=co_handlers,
        reopen_round=reopen_round,
        previous_unit_code=previous_unit_code,
        trace=trace,
    )
