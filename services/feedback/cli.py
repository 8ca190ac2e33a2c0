"""`hotline feedback …`: the 三率 from the service's own store, and the detector's figures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hotline.settings import Settings

DEFAULT_REPLIES_CSV = Path("../shared/data/tipdm2020c/messages_with_replies.csv")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    feedback = commands.add_parser("feedback", help="replies, callbacks and the 三率")
    sub = feedback.add_subparsers(dest="feedback_command", required=True)

    rates = sub.add_parser("rates", help="response, resolution, satisfaction rate per unit")
    rates.add_argument("--period", required=True, help="a month, YYYY-MM (China time)")
    rates.set_defaults(func=cmd_rates)

    evaluate = sub.add_parser(
        "evaluate-quality", help="precision and recall of the boilerplate detector"
    )
    evaluate.add_argument("--csv", type=Path, default=DEFAULT_REPLIES_CSV)
    evaluate.add_argument("--labels", type=Path, default=None)
    evaluate.set_defaults(func=cmd_evaluate_quality)


def cmd_rates(args: argparse.Namespace) -> int:
    """Reads the feedback store directly (the service need not run)."""
    from hotline.runtime.store import prepare_store, store_environment
    from services.feedback.application import FeedbackApplication
    from services.feedback.rates import InvalidPeriod, compute_rates

    settings = Settings()
    prepare_store(settings, "feedback")
    application = FeedbackApplication(store_environment(settings, "feedback"))
    try:
        units = compute_rates(application.log_events(), args.period)
    except InvalidPeriod as error:
        print(f"error: {error}")
        return 2
    finally:
        application.close()
    print(json.dumps({"period": args.period, "units": [u.as_dict() for u in units]}, indent=2))
    return 0


def cmd_evaluate_quality(args: argparse.Namespace) -> int:
    from services.feedback.evaluation import (
        LABELS_PATH,
        predict_all,
        read_labels,
        read_replies,
        reason_hits,
        score,
    )

    if not args.csv.exists():
        print(f"error: {args.csv} not found (the real replies are not in the repository)")
        return 2
    labels = read_labels(args.labels or LABELS_PATH)
    predictions = predict_all(read_replies(args.csv))

    for split in (None, "tune", "holdout"):
        result = score(predictions, labels, split)
        print(
            f"{split or 'all':8} n={result.total:4} tp={result.true_positives:3} "
            f"fp={result.false_positives:3} fn={result.false_negatives:3} "
            f"precision={result.precision:.3f} recall={result.recall:.3f}"
        )
    for reason, (right, wrong) in sorted(reason_hits(predictions, labels).items()):
        print(f"labelled replies flagged {reason}: {right} boilerplate, {wrong} not")
    flagged = [v for v in predictions.values() if v.is_boilerplate]
    reasons: dict[str, int] = {}
    for verdict in flagged:
        for reason in verdict.reasons:
            reasons[reason] = reasons.get(reason, 0) + 1
    print(f"all replies: {len(predictions)}, flagged {len(flagged)}, by reason {reasons}")
    return 0
