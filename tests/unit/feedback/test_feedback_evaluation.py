"""How the detector's figures are counted, and how the labels file is shaped."""

from __future__ import annotations

from services.feedback.evaluation import (
    LABELS_PATH,
    Label,
    read_labels,
    reason_hits,
    score,
    unit_of,
)
from services.feedback.quality import TextVerdict


def verdict(*reasons: str) -> TextVerdict:
    return TextVerdict(
        tuple(reasons), substance_chars=0, best_copy_similarity=0.0, keyword_coverage=None
    )


def test_precision_and_recall_count_flags_against_labels() -> None:
    labels = {
        "1": Label(True, "tune"),
        "2": Label(True, "tune"),
        "3": Label(False, "tune"),
        "4": Label(False, "holdout"),
    }
    predictions = {
        "1": verdict("empty_formula"),
        "2": verdict(),
        "3": verdict("near_copy"),
        "4": verdict(),
    }

    result = score(predictions, labels)

    assert (result.precision, result.recall, result.total) == (0.5, 0.5, 4)
    assert score(predictions, labels, "holdout").true_negatives == 1
    assert reason_hits(predictions, labels) == {"empty_formula": (1, 0), "near_copy": (0, 1)}


def test_the_answering_unit_is_approximated_by_the_city_letter_of_the_place() -> None:
    assert unit_of("A7县星沙路灯不亮", "") == "A"
    assert unit_of("路灯不亮", "位于K市K2区") == "K"
    assert unit_of("路灯不亮", "没有地名") == "?"


def test_the_committed_labels_are_ids_and_labels_only_split_in_two_halves() -> None:
    labels = read_labels(LABELS_PATH)

    assert len(labels) == 240
    assert {label.split for label in labels.values()} == {"tune", "holdout"}
    assert LABELS_PATH.read_text(encoding="utf-8").splitlines()[0] == "message_no,boilerplate,split"
