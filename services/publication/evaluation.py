"""Measures the masking engine against hand-annotated real texts.

Why: a masking rule is only as good as what it misses on real citizens' words. The
annotations (offsets and kinds, keyed by work-order number; never the texts) live in
`data/masking_annotations.json`; the texts are read from the shared data set at run time.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from services.publication.masking import Span, find_personal_data

ANNOTATIONS_FILE = Path(__file__).parent / "data" / "masking_annotations.json"
DEFAULT_TEXTS = Path("/work/shared/data/haikou12345/work_orders_train.csv")
KIND_ALIASES = {"given_name": "name"}


@dataclass
class MaskingScore:
    """Span counts: gold spans fully or partly masked, predicted spans outside any gold span."""

    texts: int = 0
    gold: Counter[str] = field(default_factory=Counter)
    fully_masked: Counter[str] = field(default_factory=Counter)
    touched: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    over_masked: Counter[str] = field(default_factory=Counter)
    over_masked_characters: int = 0
    masked_characters: int = 0

    def as_dict(self) -> dict[str, object]:
        gold, full = sum(self.gold.values()), sum(self.fully_masked.values())
        predicted, over = sum(self.predicted.values()), sum(self.over_masked.values())
        return {
            "texts": self.texts,
            "gold_spans": gold,
            "recall_full": _ratio(full, gold),
            "recall_partial": _ratio(sum(self.touched.values()), gold),
            "predicted_spans": predicted,
            "over_masked_spans": over,
            "over_masking_rate": _ratio(over, predicted),
            "over_masked_characters": self.over_masked_characters,
            "masked_characters": self.masked_characters,
            "by_kind": {
                kind: {
                    "gold": self.gold[kind],
                    "recall_full": _ratio(self.fully_masked[kind], self.gold[kind]),
                    "predicted": self.predicted[kind],
                    "over_masked": self.over_masked[kind],
                }
                for kind in sorted(set(self.gold) | set(self.predicted))
            },
        }


def score_text(score: MaskingScore, text: str, gold: list[Span]) -> None:
    """Add one text's comparison of engine spans with gold spans to `score`."""
    predicted = [
        Span(s.start, s.end, KIND_ALIASES.get(s.kind, s.kind)) for s in find_personal_data(text)
    ]
    masked = {index for span in predicted for index in range(span.start, span.end)}
    gold_characters = {index for span in gold for index in range(span.start, span.end)}
    score.texts += 1
    score.masked_characters += len(masked)
    score.over_masked_characters += len(masked - gold_characters)
    for span in gold:
        covered = [index in masked for index in range(span.start, span.end)]
        score.gold[span.kind] += 1
        score.fully_masked[span.kind] += all(covered)
        score.touched[span.kind] += any(covered)
    for span in predicted:
        score.predicted[span.kind] += 1
        if not any(index in gold_characters for index in range(span.start, span.end)):
            score.over_masked[span.kind] += 1


def evaluate(texts: Mapping[str, str], annotations: Iterable[dict[str, object]]) -> MaskingScore:
    score = MaskingScore()
    for item in annotations:
        number = str(item["work_order_no"])
        spans = item["spans"]
        assert isinstance(spans, list)
        gold = [Span(int(s["start"]), int(s["end"]), str(s["type"])) for s in spans]
        score_text(score, texts[number], gold)
    return score


def load_annotations(path: Path = ANNOTATIONS_FILE) -> list[dict[str, object]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    texts: list[dict[str, object]] = document["texts"]
    return texts


def load_texts(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["work_order_no"]: row["text"] for row in csv.DictReader(handle)}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None
