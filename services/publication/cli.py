"""`hotline publication …`: the masking engine from the shell, and its measurement."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from services.publication.evaluation import (
    ANNOTATIONS_FILE,
    DEFAULT_TEXTS,
    evaluate,
    load_annotations,
    load_texts,
)
from services.publication.masking import mask


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    publication = commands.add_parser("publication", help="the public board's tools")
    subcommands = publication.add_subparsers(dest="publication_command", required=True)
    masking = subcommands.add_parser("mask", help="mask personal data: stdin → stdout")
    masking.set_defaults(func=cmd_mask)
    measure = subcommands.add_parser(
        "evaluate-masking", help="recall and over-masking on the annotated real texts"
    )
    measure.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    measure.add_argument("--annotations", type=Path, default=ANNOTATIONS_FILE)
    measure.set_defaults(func=cmd_evaluate_masking)


def cmd_mask(_args: argparse.Namespace) -> int:
    for line in sys.stdin:
        sys.stdout.write(mask(line))
    return 0


def cmd_evaluate_masking(args: argparse.Namespace) -> int:
    if not args.texts.exists():
        print(f"texts not found: {args.texts}", file=sys.stderr)
        return 2
    score = evaluate(load_texts(args.texts), load_annotations(args.annotations))
    print(json.dumps(score.as_dict(), ensure_ascii=False, indent=2))
    return 0
