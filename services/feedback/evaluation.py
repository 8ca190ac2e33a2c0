"""Measures the boilerplate detector on real replies labelled by hand.

The data (tipdm2020c `messages_with_replies.csv`) stays outside the repository; only
our labels (message number → boilerplate yes/no) are committed, in
`services/feedback/data/reply_quality_labels.csv`.

The replies are replayed as the service would see them: in the order they were
answered, each unit keeping the replies it had accepted so far (for the near-copy
test). The board does not name the answering unit, so the unit is approximated by
the city letter of the first place code in the message (`A7县` → `A`).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from services.feedback.quality import EarlierReply, TextVerdict, judge_text

LABELS_PATH = Path(__file__).parent / "data" / "reply_quality_labels.csv"
_PLACE = re.compile(r"([A-N])\d{0,2}(?:市|县|区)")
_UNKNOWN_UNIT = "?"


@dataclass(frozen=True)
class RealReply:
    message_no: str
    unit: str
    complaint: str
    reply: str
    replied_at: datetime


@dataclass(frozen=True)
class Label:
    boilerplate: bool
    split: str


@dataclass(frozen=True)
class Score:
    """Confusion counts of one run, with the figures derived from them."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0

    @property
    def total(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )


def unit_of(title: str, body: str) -> str:
    """The city letter of the first place code: a stand-in for the answering unit."""
    found = _PLACE.search(title) or _PLACE.search(body)
    return found.group(1) if found else _UNKNOWN_UNIT


def _parse_time(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y/%m/%d %H:%M:%S")
    except ValueError:
        return datetime.min


def read_replies(csv_path: Path) -> list[RealReply]:
    """Every message with its reply, oldest reply first."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        replies = [
            RealReply(
                message_no=row["message_no"],
                unit=unit_of(row["title"], row["body"]),
                complaint=f"{row['title']}。{row['body']}",
                reply=row["reply"],
                replied_at=_parse_time(row["replied_at"]),
            )
            for row in csv.DictReader(handle)
        ]
    return sorted(replies, key=lambda reply: (reply.replied_at, reply.message_no))


def read_labels(path: Path = LABELS_PATH) -> dict[str, Label]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["message_no"]: Label(row["boilerplate"] == "1", row["split"])
            for row in csv.DictReader(handle)
        }


def predict_all(replies: Iterable[RealReply]) -> dict[str, TextVerdict]:
    """The detector's verdict on every reply, replayed in order, per unit."""
    accepted: dict[str, list[EarlierReply]] = defaultdict(list)
    verdicts: dict[str, TextVerdict] = {}
    for reply in replies:
        verdict = judge_text(reply.reply, reply.complaint, accepted[reply.unit])
        verdicts[reply.message_no] = verdict
        if not verdict.is_boilerplate:
            accepted[reply.unit].append(EarlierReply.of(reply.reply, reply.complaint))
    return verdicts


def score(
    predictions: Mapping[str, TextVerdict], labels: Mapping[str, Label], split: str | None = None
) -> Score:
    """Precision and recall counts over the labelled replies (of one split, if given)."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for message_no, label in labels.items():
        if split is not None and label.split != split:
            continue
        predicted = predictions[message_no].is_boilerplate
        key = ("t" if predicted == label.boilerplate else "f") + ("p" if predicted else "n")
        counts[key] += 1
    return Score(counts["tp"], counts["fp"], counts["fn"], counts["tn"])


def reason_hits(
    predictions: Mapping[str, TextVerdict], labels: Mapping[str, Label]
) -> dict[str, tuple[int, int]]:
    """Per reason, how many labelled replies it flagged were boilerplate, and how many not."""
    hits: dict[str, tuple[int, int]] = {}
    for message_no, label in labels.items():
        for reason in predictions[message_no].reasons:
            right, wrong = hits.get(reason, (0, 0))
            hits[reason] = (right + label.boilerplate, wrong + (not label.boilerplate))
    return hits
