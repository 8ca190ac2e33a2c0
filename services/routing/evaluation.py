"""Held-out evaluation: accuracy, and how precise automatic dispatch is at each threshold.

Coverage is the share of tickets dispatched automatically (confidence ≥ threshold);
precision is the share of those sent to the right unit. The rest go to the manual
queue, so the threshold trades operator work against wrong dispatches.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.routing.classifier import train

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True, slots=True)
class ThresholdRow:
    threshold: float
    coverage: float
    precision: float
    dispatched: int


@dataclass(frozen=True, slots=True)
class Report:
    train_size: int
    test_size: int
    accuracy: float
    rows: tuple[ThresholdRow, ...]
    train_seconds: float
    predict_seconds: float


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    test_fraction: float,
    seed: int,
    trained_at: datetime,
) -> Report:
    if not 0 < test_fraction < 1:
        raise ValueError("--test-fraction must be between 0 and 1")
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)  # noqa: S311 - a reproducible split, not a secret
    cut = int(len(order) * (1 - test_fraction))
    train_idx, test_idx = order[:cut], order[cut:]
    started = time.perf_counter()
    model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], None, trained_at)
    trained = time.perf_counter()
    predictions = model.predict([texts[i] for i in test_idx])
    predicted = time.perf_counter()
    right = [p.label == labels[i] for p, i in zip(predictions, test_idx, strict=True)]
    rows = []
    for threshold in THRESHOLDS:
        chosen = [ok for p, ok in zip(predictions, right, strict=True) if p.confidence >= threshold]
        rows.append(
            ThresholdRow(
                threshold,
                len(chosen) / len(right),
                sum(chosen) / len(chosen) if chosen else 0.0,
                len(chosen),
            )
        )
    return Report(
        len(train_idx),
        len(test_idx),
        sum(right) / len(right),
        tuple(rows),
        trained - started,
        predicted - trained,
    )


def format_table(report: Report) -> str:
    lines = [
        f"train {report.train_size} rows ({report.train_seconds:.1f}s), "
        f"test {report.test_size} rows ({report.predict_seconds:.2f}s)",
        f"accuracy (top-1, all test rows): {report.accuracy:.3f}",
        "",
        "| threshold | coverage (auto-dispatched) | precision | tickets |",
        "|---|---|---|---|",
    ]
    for row in report.rows:
        lines.append(
            f"| {row.threshold:.1f} | {row.coverage:.3f} | {row.precision:.3f} | {row.dispatched} |"
        )
    return "\n".join(lines)
