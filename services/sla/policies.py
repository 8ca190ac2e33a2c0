"""SLA policies from a data file: which deadlines a ticket gets, warnings, the ladder.

Kept as data (services/sla/data/policies.yaml) so the hotline centre can change a
span without a release; `load_rules` validates the file at start-up, so a typo stops
the service instead of silently dropping a deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from contracts import DeadlineClass, DeadlineKind
from services.sla.deadlines import Span

DEFAULT_POLICIES = Path(__file__).parent / "data" / "policies.yaml"

Spans = Mapping[DeadlineKind, Span]


@dataclass(frozen=True)
class PolicyChoice:
    """The spans that apply to one ticket, and the name that says where they came from."""

    name: str
    spans: Spans

    def label(self, kind: DeadlineKind) -> str:
        """e.g. `normal:resolution:5wd`, as `DeadlineSet.policy`."""
        return f"{self.name}:{kind.value}:{self.spans[kind]}"


@dataclass(frozen=True)
class SlaRules:
    timezone: str
    close_of_day: time
    classes: Mapping[DeadlineClass, Spans]
    categories: Mapping[str, Spans]
    reopen: Spans
    warning_fractions: tuple[float, ...]
    escalate_on_breach_of: frozenset[DeadlineKind]
    ladder_steps: tuple[Span, ...]
    fresh_clock_on_reassignment: bool
    first_contact_met_by: Literal["contacted_citizen_at", "reply_submitted"]
    escalate_after_returns: int
    escalate_on_reopen_round: int
    repeat_complaint_count: int
    repeat_complaint_window: timedelta

    def for_assignment(self, deadline_class: DeadlineClass, category: str | None) -> PolicyChoice:
        spans = dict(self.classes[deadline_class])
        name = deadline_class.value
        override = self.categories.get(category or "")
        if override and deadline_class is not DeadlineClass.EMERGENCY:
            spans.update(override)
            name = f"{name}/{category}"
        return PolicyChoice(name, spans)

    def for_reopen(self) -> PolicyChoice:
        return PolicyChoice("reopen", self.reopen)


def load_rules(path: Path = DEFAULT_POLICIES) -> SlaRules:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fractions = tuple(sorted(float(value) for value in data["warning_fractions"]))
    if any(not 0 < value < 1 for value in fractions):
        raise ValueError("warning fractions must lie strictly between 0 and 1")
    met_by = data.get("first_contact_met_by", "contacted_citizen_at")
    if met_by not in ("contacted_citizen_at", "reply_submitted"):
        raise ValueError(f"unknown first_contact_met_by {met_by!r}")
    repeat = data.get("repeat_complaints") or {}
    return SlaRules(
        timezone=str(data.get("timezone", "Asia/Shanghai")),
        close_of_day=time.fromisoformat(str(data.get("close_of_day", "18:00"))),
        classes={DeadlineClass(name): _spans(spans) for name, spans in data["classes"].items()},
        categories={
            str(name): _spans(spans) for name, spans in (data.get("categories") or {}).items()
        },
        reopen=_spans(data["reopen"]),
        warning_fractions=fractions,
        escalate_on_breach_of=frozenset(DeadlineKind(k) for k in data["escalate_on_breach_of"]),
        ladder_steps=tuple(Span.parse(step) for step in data["ladder_steps"]),
        fresh_clock_on_reassignment=bool(data.get("fresh_clock_on_reassignment", False)),
        first_contact_met_by=met_by,
        escalate_after_returns=int(data.get("escalate_after_returns", 3)),
        escalate_on_reopen_round=int(data.get("escalate_on_reopen_round", 2)),
        repeat_complaint_count=int(repeat.get("count", 3)),
        repeat_complaint_window=timedelta(days=int(repeat.get("window_days", 30))),
    )


def _spans(values: Mapping[str, Any]) -> dict[DeadlineKind, Span]:
    return {DeadlineKind(kind): Span.parse(span) for kind, span in values.items()}
