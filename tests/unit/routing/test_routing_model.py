"""The text model: trained on a slice of the Haikou file, versioned, used with a threshold."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.routing.classifier import load_current, save, train
from services.routing.domain import Dispatch

from routing_events import complaint, deliver, last, routing_app

HAIKOU = Path(__file__).parents[4] / "shared" / "data" / "haikou12345" / "work_orders_train.csv"
TRAINED_AT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
TAXI_TEXT = "市民来电反映：其乘坐出租车，司机拒载还不打表，要求处理"


def haikou_slice(rows: int) -> list[dict[str, str]]:
    with HAIKOU.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))[:rows]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = haikou_slice(800)
    model = train([r["text"] for r in rows], [r["department"] for r in rows], None, TRAINED_AT)
    data_dir = tmp_path_factory.mktemp("var")
    save(model, data_dir / "routing" / "models")
    return data_dir


def test_a_saved_model_is_versioned_by_data_and_time_and_becomes_current(model_dir: Path) -> None:
    models = model_dir / "routing" / "models"
    pointer = json.loads((models / "current.json").read_text())

    model = load_current(models)

    assert model is not None and model.version == pointer["version"]
    assert model.version.endswith("-20261001T080000Z")
    assert (models / pointer["file"]).exists()


def test_the_same_data_trained_again_later_gets_another_version() -> None:
    rows = haikou_slice(200)
    texts, labels = [r["text"] for r in rows], [r["department"] for r in rows]

    first = train(texts, labels, None, TRAINED_AT)
    second = train(texts, labels, None, TRAINED_AT.replace(hour=9))

    assert first.version.split("-")[0] == second.version.split("-")[0]
    assert first.version != second.version


def test_a_confident_prediction_is_assigned_with_model_version_and_confidence(
    model_dir: Path,
) -> None:
    app = routing_app(model_dir)

    ticket = deliver(app, complaint(TAXI_TEXT, district=None))

    assigned = last(app, ticket)
    assert isinstance(assigned, Dispatch.Assigned)
    assert assigned.rule == "model"
    assert assigned.model_version == app.model.version  # type: ignore[union-attr]
    assert assigned.confidence >= app.catalogue.policy.confidence_threshold
    assert app.catalogue.unit(assigned.unit_code).name == "市交通运输和港航管理局"


def test_an_unsure_prediction_is_queued_with_the_best_guess_never_assigned(
    model_dir: Path,
) -> None:
    app = routing_app(model_dir)

    ticket = deliver(app, complaint("嗯嗯那个就是说一下", district=None))

    queued = last(app, ticket)
    assert isinstance(queued, Dispatch.ManualQueued)
    assert queued.confidence is not None
    assert queued.confidence < app.catalogue.policy.confidence_threshold


def test_training_needs_two_labels_with_examples() -> None:
    from services.routing.classifier import ModelError

    with pytest.raises(ModelError):
        train(["a", "b", "c"], ["x", "x", "x"], None, TRAINED_AT)
