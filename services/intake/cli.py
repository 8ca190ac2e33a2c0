"""`hotline privacy forget <citizen_ref>`: erase a citizen's personal data by destroying their key.

Runs against intake's store (the same settings as the service), whether or not the
service is running: keys are never cached, so the erasure takes effect at once.
"""

from __future__ import annotations

import argparse

import structlog

from hotline.runtime.store import prepare_store, store_environment
from hotline.settings import Settings
from services.intake.application import IntakeApplication

log = structlog.get_logger(__name__)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    privacy = commands.add_parser("privacy", help="citizens' personal data (PIPL)")
    privacy_commands = privacy.add_subparsers(dest="privacy_command", required=True)
    forget = privacy_commands.add_parser(
        "forget", help="destroy a citizen's key: their sealed contact data becomes unreadable"
    )
    forget.add_argument("citizen_ref", help="the citizen's pseudonym (citizen_ref in events)")
    forget.set_defaults(func=cmd_forget)


def cmd_forget(args: argparse.Namespace) -> int:
    destroyed = forget_citizen(Settings(), args.citizen_ref)
    if destroyed == 0:
        print(f"no keys for citizen {args.citizen_ref}: nothing to forget")
        return 1
    print(f"forgot citizen {args.citizen_ref}: destroyed {destroyed} key(s)")
    return 0


def forget_citizen(settings: Settings, citizen_ref: str) -> int:
    """Destroy the keys and record the erasure in intake's log (an `Erasure` aggregate)."""
    prepare_store(settings, "intake")
    app = IntakeApplication(store_environment(settings, "intake"))
    try:
        destroyed = app.forget_citizen(citizen_ref)
    finally:
        app.close()
    log.info("privacy.forgotten", citizen_ref=citizen_ref, keys_destroyed=destroyed)
    return destroyed
