"""`hotline routing …`: train, predict, evaluate the model; validate and publish the catalogue."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from hotline.settings import Settings
from services.routing.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue
from services.routing.classifier import ModelError, load_current, save, train
from services.routing.evaluation import evaluate, format_table
from services.routing.published import publish

EXIT_BAD_INPUT = 2


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    routing = commands.add_parser("routing", help="dispatch catalogue and classifier")
    sub = routing.add_subparsers(dest="routing_command", required=True)

    fit = sub.add_parser("train", help="fit a model; writes <data dir>/routing/models/")
    source = fit.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", type=Path, help="labelled CSV file")
    source.add_argument(
        "--from-history", action="store_true", help="closed tickets from routing's own log"
    )
    _text_columns(fit)
    fit.add_argument("--label-column", default="department")
    fit.add_argument(
        "--category-column",
        help="category labels; default: catalogue codes from category_l1/category_l2 if present",
    )
    fit.set_defaults(func=cmd_train)

    predict = sub.add_parser("predict", help="CSV (department, category, confidence) to stdout")
    predict.add_argument("--csv", type=Path, required=True)
    _text_columns(predict)
    predict.set_defaults(func=cmd_predict)

    check = sub.add_parser("evaluate", help="accuracy and precision/coverage on a held-out split")
    check.add_argument("--csv", type=Path, required=True)
    _text_columns(check)
    check.add_argument("--label-column", default="department")
    check.add_argument("--test-fraction", type=float, default=0.2)
    check.add_argument("--seed", type=int, default=0)
    check.set_defaults(func=cmd_evaluate)

    publish_cmd = sub.add_parser("publish-catalogue", help="write published/service-catalogue.json")
    publish_cmd.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE)
    publish_cmd.add_argument("--data-dir", type=Path)
    publish_cmd.set_defaults(func=cmd_publish)

    validate = sub.add_parser("check-catalogue", help="validate a catalogue file")
    validate.add_argument("catalogue", type=Path)
    validate.set_defaults(func=cmd_check)


def _text_columns(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--data-dir", type=Path, help="default: HOTLINE_DATA_DIR or ./var")


def models_dir(args: argparse.Namespace) -> Path:
    data_dir = args.data_dir or Settings().data_dir
    return Path(data_dir) / "routing" / "models"


def read_rows(path: Path, needed: Sequence[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in needed if column not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: no column {', '.join(missing)}")
        return list(reader)


def category_labels(rows: list[dict[str, str]], column: str | None) -> list[str] | None:
    if column is not None:
        return [row[column] for row in rows]
    if not rows or "category_l1" not in rows[0] or "category_l2" not in rows[0]:
        return None
    catalogue = load_catalogue()
    codes = {category.description: category.code for category in catalogue.categories}
    return [codes.get(f"{r['category_l1']} / {r['category_l2']}", "") for r in rows]


def cmd_train(args: argparse.Namespace) -> int:
    try:
        if args.from_history:
            texts, labels, categories = history_examples(args)
        else:
            needed = [args.text_column, args.label_column]
            rows = read_rows(
                args.csv, needed + ([args.category_column] if args.category_column else [])
            )
            texts = [row[args.text_column] for row in rows]
            labels = [row[args.label_column] for row in rows]
            categories = category_labels(rows, args.category_column)
        started = time.perf_counter()
        model = train(texts, labels, categories, datetime.now(UTC))
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    path = save(model, models_dir(args))
    seconds = time.perf_counter() - started
    print(f"model {model.version}: {len(texts)} examples, {seconds:.1f}s → {path}")
    return 0


def history_examples(
    args: argparse.Namespace,
) -> tuple[list[str], list[str], list[str] | None]:
    """Closed tickets and the unit that finally handled each without returning it."""
    from hotline.runtime.store import prepare_store, store_environment
    from services.routing.application import RoutingApplication

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    prepare_store(settings, "routing")
    application = RoutingApplication(store_environment(settings, "routing"))
    try:
        handled = application.index.handled_without_return()
    finally:
        application.close()
    texts = [ticket.text for ticket in handled]
    labels = [ticket.unit_code or "" for ticket in handled]
    categories = [ticket.category or "" for ticket in handled]
    return texts, labels, categories if any(categories) else None


def cmd_predict(args: argparse.Namespace) -> int:
    try:
        rows = read_rows(args.csv, [args.text_column])
        model = load_current(models_dir(args))
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if model is None:
        print("error: no model yet: run `hotline routing train` first", file=sys.stderr)
        return EXIT_BAD_INPUT
    writer = csv.writer(sys.stdout)
    writer.writerow(["department", "category", "confidence"])
    for prediction in model.predict([row[args.text_column] for row in rows]):
        writer.writerow(
            [prediction.label, prediction.category or "", f"{prediction.confidence:.4f}"]
        )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    try:
        rows = read_rows(args.csv, [args.text_column, args.label_column])
        texts = [row[args.text_column] for row in rows]
        labels = [row[args.label_column] for row in rows]
        report = evaluate(texts, labels, args.test_fraction, args.seed, datetime.now(UTC))
    except (OSError, ValueError, ModelError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(format_table(report))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    try:
        catalogue = load_catalogue(args.catalogue)
    except CatalogueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    data_dir = args.data_dir or Settings().data_dir
    print(f"wrote {publish(catalogue, Path(data_dir))} (version {catalogue.version})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        catalogue = load_catalogue(args.catalogue)
    except CatalogueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"ok: {len(catalogue.units)} units, {len(catalogue.categories)} categories, "
        f"{len(catalogue.rules)} rules (version {catalogue.version})"
    )
    return 0
