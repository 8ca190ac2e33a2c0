"""How the board's views look to the public: Chinese labels and the JSON shapes.

The JSON API and the HTML pages share these, so both show exactly the same fields
(and a field added here is a field reviewed for personal data once).
"""

from __future__ import annotations

from typing import Any

from services.publication.board import TicketView
from services.publication.league import UnitStanding

STATUS_LABELS = {
    "received": "已受理",
    "assigned": "已派单",
    "signed": "已签收",
    "replied": "已答复",
    "reopened": "二次办理",
    "closed": "已办结",
    "withdrawn": "已撤诉",
}
STAGE_LABELS = STATUS_LABELS | {
    "deadline_breached": "超期",
    "escalated": "督办",
    "rated": "回访评价",
}
SATISFACTION_LABELS = {
    "very_satisfied": "非常满意",
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
    "very_unsatisfied": "非常不满意",
}
RESULT_LABELS = {
    "solved": "已解决",
    "partly_solved": "部分解决",
    "cannot_be_solved": "暂无法解决（已说明）",
    "not_government_matter": "非政府职能（已告知渠道）",
}
LEVEL_LABELS = {1: "热线催办", 2: "媒体曝光", 3: "政务督查", 4: "人大政协", 5: "纪委"}
LEVEL_BY_NAME = {
    "hotline_centre": 1,
    "media": 2,
    "government_inspection": 3,
    "congress_cppcc": 4,
    "discipline_inspection": 5,
}


def stage_note(stage: str, note: str | None) -> str | None:
    if note is None:
        return None
    if stage == "escalated":
        return LEVEL_LABELS.get(LEVEL_BY_NAME.get(note, 0), note)
    if stage == "rated":
        return SATISFACTION_LABELS.get(note, note)
    return None


def ticket_summary(view: TicketView) -> dict[str, Any]:
    """A list entry: what a reader needs to decide to open the ticket."""
    return {
        "ticket_id": str(view.ticket_id),
        "category": view.category,
        "district": view.district,
        "unit_code": view.unit_code,
        "unit_name": view.unit_name,
        "status": view.status,
        "status_label": STATUS_LABELS.get(view.status, view.status),
        "received_at": view.received_at.isoformat() if view.received_at else None,
        "masked_description": view.masked_description,
    }


def ticket_detail(view: TicketView) -> dict[str, Any]:
    return ticket_summary(view) | {
        "street": view.street,
        "reply": {
            "result": view.reply_result,
            "result_label": RESULT_LABELS.get(view.reply_result or ""),
            "masked_text": view.masked_reply,
        }
        if view.masked_reply
        else None,
        "satisfaction": view.satisfaction,
        "satisfaction_label": SATISFACTION_LABELS.get(view.satisfaction or ""),
        "solved": view.solved,
        "timeline": [
            {
                "at": step.at.isoformat(),
                "stage": step.stage,
                "stage_label": STAGE_LABELS.get(step.stage, step.stage),
                "unit_name": step.unit_name,
                "note": stage_note(step.stage, step.note),
            }
            for step in view.steps
        ],
        "comments": [
            {"comment_id": cid, "masked_text": text, "posted_at": at.isoformat()}
            for cid, text, at in view.comments
        ],
    }


def media_entry(view: TicketView) -> dict[str, Any]:
    """The media column shows the unit and the level; the text only when the ticket is aired."""
    return {
        "ticket_id": str(view.ticket_id) if view.published else None,
        "unit_code": view.unit_code,
        "unit_name": view.unit_name,
        "category": view.category,
        "district": view.district,
        "escalation_level": view.escalation_level,
        "escalation_label": LEVEL_LABELS.get(view.escalation_level),
        "status_label": STATUS_LABELS.get(view.status, view.status),
        "received_at": view.received_at.isoformat() if view.received_at else None,
        "masked_description": view.masked_description,
    }


def standing_entry(standing: UnitStanding) -> dict[str, Any]:
    return {
        "rank": standing.rank,
        "unit_code": standing.unit_code,
        "unit_name": standing.unit_name,
        "assigned": standing.assigned,
        "open": standing.open,
        "closed": standing.closed,
        "overdue": standing.overdue,
        "media_exposed": standing.media_exposed,
        "response_rate": standing.response_rate,
        "resolution_rate": standing.resolution_rate,
        "satisfaction_rate": standing.satisfaction_rate,
        "on_time_rate": standing.on_time_rate,
        "trend": [
            {"week": w.week, "received": w.received, "satisfaction_rate": w.satisfaction_rate}
            for w in standing.trend
        ],
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
