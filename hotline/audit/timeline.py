"""A ticket's history as people read it: when, which service, what happened, who acted.

Pure presentation over integration events: labels in Chinese and English, the acting
unit, deadlines and escalation levels pulled out of each event's fields. Personal data
(sealed contact, pseudonyms, query-code digests) is never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.envelope import SERVICE_NAMES, IntegrationEvent
from contracts.fold import TicketState, fold

LABELS: dict[str, tuple[str, str]] = {
    "ComplaintReceived": ("受理", "complaint received"),
    "ComplaintSupplemented": ("补充材料", "complaint supplemented"),
    "ComplaintWithdrawn": ("撤诉", "complaint withdrawn"),
    "ContactDataAccessed": ("查看联系方式", "contact data accessed"),
    "Assigned": ("派单", "assigned"),
    "ManualDispatchQueued": ("待人工派单", "queued for manual dispatch"),
    "AssignmentSigned": ("签收", "signed for"),
    "AssignmentReturned": ("退单", "returned by the unit"),
    "ReturnReviewed": ("退单审核", "return reviewed"),
    "ConsultationOpened": ("会商", "consultation opened"),
    "TicketMerged": ("并单", "merged"),
    "DeadlineSet": ("设定时限", "deadline set"),
    "DeadlineWarned": ("预警", "deadline warning"),
    "DeadlineBreached": ("超期", "deadline breached"),
    "Escalated": ("督办", "escalated"),
    "ExtensionRequested": ("申请延期", "extension requested"),
    "ExtensionDecided": ("延期审批", "extension decided"),
    "ClockPaused": ("挂起", "clock paused"),
    "ClockResumed": ("恢复计时", "clock resumed"),
    "DeadlineUncomputable": ("时限无法计算", "deadline uncomputable"),
    "ReplySubmitted": ("办理答复", "reply submitted"),
    "ReplyAccepted": ("答复审核通过", "reply accepted"),
    "ReplyRejected": ("驳回重办", "reply rejected"),
    "CallbackRated": ("回访评价", "callback rated"),
    "CallbackFailed": ("回访未接通", "callback failed"),
    "TicketReopened": ("重办", "reopened"),
    "TicketClosed": ("办结", "closed"),
    "TicketPublished": ("公开", "published"),
    "TicketUnpublished": ("撤下公开", "unpublished"),
    "PublicTicketOpened": ("公开流：受理", "public: opened"),
    "PublicTicketProgressed": ("公开流：进展", "public: progressed"),
    "PublicTicketAired": ("公开流：晾晒", "public: aired"),
    "PublicTicketWithdrawnFromBoard": ("公开流：撤下", "public: withdrawn from board"),
    "PublicCommentApproved": ("公开流：网民点评", "public: comment approved"),
}
HIDDEN_FIELDS = frozenset(
    {
        "event_id",
        "event_type",
        "schema_version",
        "ticket_id",
        "occurred_at",
        "source",
        "position",
        "trace",
        "contact",
        "citizen_ref",
        "query_code_sha256",
        "key_fingerprint",
    }
)
"""Envelope fields (shown elsewhere) and personal data (never shown)."""
ACTOR_FIELDS = ("unit_code", "role", "best_guess_unit_code")
DEADLINE_FIELDS = ("due_at", "new_due_at", "requested_due_at")
TEXT_LIMIT = 80


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    service: str
    position: int
    event_type: str
    label_zh: str
    label_en: str
    actor: str | None
    deadline: datetime | None
    escalation_level: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Replay:
    ticket_id: UUID
    as_of: datetime | None
    entries: tuple[TimelineEntry, ...]
    state: TicketState

    def to_json(self) -> dict[str, Any]:
        state = asdict(self.state)
        state["escalation_level"] = self.state.escalation_level
        result: dict[str, Any] = _jsonable(
            {
                "ticket_id": self.ticket_id,
                "as_of": self.as_of,
                "state": state,
                "timeline": [asdict(entry) for entry in self.entries],
            }
        )
        return result


def in_history_order(events: Iterable[IntegrationEvent]) -> list[IntegrationEvent]:
    """Merged across services: by time, then service order in the loop, then position."""
    return sorted(
        events,
        key=lambda e: (e.occurred_at, SERVICE_NAMES.index(e.source), e.position),
    )


def replay(
    ticket_id: UUID, events: Sequence[IntegrationEvent], as_of: datetime | None = None
) -> Replay:
    """The ticket's history (up to ``as_of``) and its state at the end of it."""
    ordered = [
        event
        for event in in_history_order(events)
        if event.ticket_id == ticket_id and (as_of is None or event.occurred_at <= as_of)
    ]
    return Replay(ticket_id, as_of, tuple(describe(e) for e in ordered), fold(ordered))


def describe(event: IntegrationEvent) -> TimelineEntry:
    payload = event.model_dump(mode="json")
    details = {
        name: _shorten(value)
        for name, value in payload.items()
        if name not in HIDDEN_FIELDS and value not in (None, [], ())
    }
    zh, en = LABELS.get(event.event_type, (event.event_type, event.event_type))
    actor = next((str(payload[f]) for f in ACTOR_FIELDS if payload.get(f)), None)
    deadline = next((getattr(event, f) for f in DEADLINE_FIELDS if getattr(event, f, None)), None)
    level = getattr(event, "level_number", None)
    return TimelineEntry(
        at=event.occurred_at,
        service=event.source,
        position=event.position,
        event_type=event.event_type,
        label_zh=zh,
        label_en=en,
        actor=actor,
        deadline=deadline,
        escalation_level=level if isinstance(level, int) else None,
        details=details,
    )


def render_text(result: Replay) -> str:
    """The timeline as a table for a terminal, followed by the folded state."""
    lines = [f"工单 ticket {result.ticket_id}"]
    if result.as_of is not None:
        lines.append(f"截至 as of {result.as_of.isoformat()}")
    lines.append("")
    for entry in result.entries:
        lines.append(_entry_line(entry))
    lines += ["", *_state_lines(result.state)]
    return "\n".join(lines) + "\n"


def _entry_line(entry: TimelineEntry) -> str:
    parts = [
        entry.at.isoformat(timespec="seconds"),
        f"{entry.service:<11}",
        f"#{entry.position:<5}",
        f"{entry.label_zh} {entry.label_en}",
    ]
    if entry.actor:
        parts.append(f"by {entry.actor}")
    if entry.deadline:
        parts.append(f"due {entry.deadline.isoformat(timespec='minutes')}")
    if entry.escalation_level:
        parts.append(f"督办 level {entry.escalation_level}")
    extra = ", ".join(
        f"{key}={value}"
        for key, value in entry.details.items()
        if key not in {*ACTOR_FIELDS, *DEADLINE_FIELDS, "level_number"}
    )
    return "  ".join(parts) + (f"  ({extra})" if extra else "")


def _state_lines(state: TicketState) -> list[str]:
    deadlines = ", ".join(
        f"{kind} {due.isoformat(timespec='minutes')}" for kind, due in state.deadlines
    )
    return [
        f"状态 status: {state.status.value}",
        f"承办单位 unit: {state.unit_code or '-'}   退单 returns: {state.returns}",
        f"时限 deadlines: {deadlines or '-'}   超期 breached: {', '.join(state.breached) or '-'}",
        f"督办 escalation level: {state.escalation_level}   "
        f"延期 extensions granted: {state.extensions_granted}",
        f"驳回 replies rejected: {state.replies_rejected}   "
        f"重办 reopen round: {state.reopen_round}",
        f"满意度 satisfaction: {state.satisfaction or '-'}   "
        f"办结 closed: {state.closure_outcome or '-'}",
    ]


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > TEXT_LIMIT:
        return value[: TEXT_LIMIT - 1] + "…"
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value
