"""`hotline routing …` from the command line: train, predict, check, publish."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from hotline.cli import main

HAIKOU = Path(__file__).parents[4] / "shared" / "data" / "haikou12345" / "work_orders_train.csv"


def four_thousand_rows(tmp_path: Path) -> Path:
    with HAIKOU.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    path = tmp_path / "predict.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text"])
        writer.writeheader()
        for row in (rows * 2)[:4000]:
            writer.writerow({"text": row["text"]})
    return path


def slice_of_haikou(tmp_path: Path, rows: int) -> Path:
    lines = HAIKOU.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "train.csv"
    path.write_text("".join(lines[: rows + 1]), encoding="utf-8")
    return path


def test_train_then_predict_4000_rows_in_under_ten_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "var"
    train_csv = slice_of_haikou(tmp_path, 600)
    assert main(["routing", "train", "--csv", str(train_csv), "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    rows = four_thousand_rows(tmp_path)

    started = time.perf_counter()
    code = main(["routing", "predict", "--csv", str(rows), "--data-dir", str(data_dir)])
    seconds = time.perf_counter() - started

    out = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 0 and len(out) == 4000
    assert set(out[0]) == {"department", "category", "confidence"}
    assert 0.0 <= float(out[0]["confidence"]) <= 1.0
    assert seconds < 10.0


def test_predict_without_a_model_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = slice_of_haikou(tmp_path, 5)

    code = main(["routing", "predict", "--csv", str(rows), "--data-dir", str(tmp_path)])

    assert code == 2
    assert "no model yet" in capsys.readouterr().err


def test_a_missing_column_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = slice_of_haikou(tmp_path, 5)

    code = main(
        [
            "routing",
            "train",
            "--csv",
            str(rows),
            "--label-column",
            "unit",
            "--data-dir",
            str(tmp_path),
        ]
    )

    assert code == 2
    assert "no column unit" in capsys.readouterr().err


def test_check_catalogue_names_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "catalogue.yaml"
    bad.write_text("version: x\npolicy: {fallback_unit: nobody}\nunits: []\ncategories: []\n")

    assert main(["routing", "check-catalogue", str(bad)]) == 2
    assert "unknown unit 'nobody'" in capsys.readouterr().err


def test_publish_catalogue_writes_the_file_intake_reads(tmp_path: Path) -> None:
    assert main(["routing", "publish-catalogue", "--data-dir", str(tmp_path)]) == 0

    assert (tmp_path / "published" / "service-catalogue.json").exists()
