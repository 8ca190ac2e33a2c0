"""`hotline publication mask` and `hotline publication evaluate-masking`."""

from __future__ import annotations

import io
import json

import pytest

from hotline.cli import main
from services.publication.evaluation import (
    ANNOTATIONS_FILE,
    DEFAULT_TEXTS,
    load_annotations,
    load_texts,
)


def test_mask_reads_stdin_and_writes_the_masked_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("我叫张大海，电话13800138000\n车牌琼A12345\n"))

    code = main(["publication", "mask"])

    assert code == 0
    assert capsys.readouterr().out == "我叫张**，电话138****8000\n车牌琼A****5\n"


def test_the_annotations_point_at_real_texts_and_hold_no_text() -> None:
    texts = load_texts(DEFAULT_TEXTS)
    files = sorted(ANNOTATIONS_FILE.parent.glob("masking_annotations*.json"))
    annotations = [item for path in files for item in load_annotations(path)]

    assert len(files) == 4 and len(annotations) >= 150
    assert len({item["work_order_no"] for item in annotations}) == len(annotations)
    for item in annotations:
        assert set(item) == {"work_order_no", "spans"}
        text = texts[str(item["work_order_no"])]
        for span in item["spans"]:  # type: ignore[attr-defined]
            assert set(span) == {"start", "end", "type"}
            assert 0 <= span["start"] < span["end"] <= len(text)


def test_evaluate_masking_reports_recall_and_over_masking(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["publication", "evaluate-masking"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["texts"] == len(load_annotations())
    assert 0.0 <= report["recall_full"] <= 1.0
    assert {"plate", "address", "name"} <= set(report["by_kind"])
