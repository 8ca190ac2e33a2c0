"""`hotline audit …`: verify, proof, replay, report.

``register(commands)`` adds the `audit` subcommand to the `hotline` parser (the
composition root calls it like the services' plug-ins). Handlers read the settings
from the environment, like every `hotline` command, and return an exit code:
0 fine, 1 tampering found (verify) or a proof that does not verify, 2 bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from uuid import UUID

from hotline.settings import SERVICE_NAMES, Settings

if TYPE_CHECKING:
    from hotline.runtime.chain import TreeHead

OK, TAMPERED, BAD_INPUT = 0, 1, 2


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser("audit", help="replay tickets, verify logs, inspection reports")
    sub = audit.add_subparsers(dest="audit_command", required=True)

    verify = sub.add_parser("verify", help="check every service's hash chain and tree heads")
    verify.add_argument("--service", choices=SERVICE_NAMES, default=None)
    verify.add_argument(
        "--witness", type=Path, default=None, help="tree heads saved by `audit heads` (JSON lines)"
    )
    verify.set_defaults(func=lambda args: verify_command(Settings(), args.service, args.witness))

    heads = sub.add_parser("heads", help="print the recorded tree heads, to keep elsewhere")
    heads.add_argument("--service", choices=SERVICE_NAMES, default=None)
    heads.set_defaults(func=lambda args: heads_command(Settings(), args.service))

    proof = sub.add_parser("proof", help="RFC 9162 inclusion proof of one stored event")
    proof.add_argument("--service", choices=SERVICE_NAMES, required=True)
    proof.add_argument("--position", type=int, required=True)
    proof.set_defaults(func=lambda args: proof_command(Settings(), args.service, args.position))

    replay = sub.add_parser("replay", help="a ticket's whole history from all five services")
    replay.add_argument("ticket_id")
    replay.add_argument("--as-of", default=None, help="ISO datetime with a timezone")
    replay.add_argument("--json", action="store_true")
    replay.add_argument("--from-topics", action="store_true", help="read Kafka, not the stores")
    replay.set_defaults(
        func=lambda args: replay_command(
            Settings(), args.ticket_id, args.as_of, as_json=args.json, from_topics=args.from_topics
        )
    )

    report = sub.add_parser("report", help="inspection report for a period, as printable HTML")
    report.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
    report.add_argument("--unit", default=None, help="only this unit's tickets")
    report.add_argument("--html", type=Path, required=True, help="where to write the report")
    report.set_defaults(
        func=lambda args: report_command(
            Settings(), args.date_from, args.date_to, args.unit, args.html
        )
    )


def verify_command(
    settings: Settings,
    service: str | None,
    witness: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    from hotline.audit.verify import verify_service

    out, err = out or sys.stdout, err or sys.stderr
    try:
        witnessed = read_witness(witness) if witness else {}
    except (OSError, ValueError, KeyError) as error:
        print(f"error: unreadable witness file: {error}", file=err)
        return BAD_INPUT
    problems = 0
    for name in [service] if service else SERVICE_NAMES:
        findings = verify_service(settings, name, witnessed.get(name, ()))
        problems += len(findings)
        for finding in findings:
            print(str(finding), file=err)
        print(f"{name}: {'TAMPERED' if findings else 'ok'}", file=out)
    return TAMPERED if problems else OK


def heads_command(settings: Settings, service: str | None, out: TextIO | None = None) -> int:
    """One JSON line per recorded tree head; keep the output where the database is not."""
    from hotline.runtime.chain import chain_store

    out = out or sys.stdout
    for name in [service] if service else SERVICE_NAMES:
        store = chain_store(settings, name)
        store.create_tables()
        for head in store.heads():
            line = {
                "service": name,
                "tree_size": head.tree_size,
                "root_hash": head.root_hash.hex(),
                "recorded_at": head.recorded_at.isoformat(),
            }
            print(json.dumps(line), file=out)
    return OK


def read_witness(path: Path) -> dict[str, list[TreeHead]]:
    """Tree heads by service from a file written by `hotline audit heads`."""
    from hotline.runtime.chain import TreeHead

    witnessed: dict[str, list[TreeHead]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            head = TreeHead(
                int(item["tree_size"]),
                bytes.fromhex(item["root_hash"]),
                datetime.fromisoformat(item["recorded_at"]),
            )
            witnessed.setdefault(str(item["service"]), []).append(head)
    return witnessed


def proof_command(settings: Settings, service: str, position: int, out: TextIO = sys.stdout) -> int:
    from hotline.audit.proof import ProofUnavailable, prove

    try:
        proof = prove(settings, service, position)
    except ProofUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    print(json.dumps(proof.to_json(), indent=2), file=out)
    return OK if proof.verified else TAMPERED


def replay_command(
    settings: Settings,
    ticket: str,
    as_of: str | None,
    *,
    as_json: bool = False,
    from_topics: bool = False,
    out: TextIO | None = None,
) -> int:
    from hotline.audit.sources import events_from_stores, events_from_topics
    from hotline.audit.timeline import render_text, replay

    out = out or sys.stdout
    try:
        ticket_id = UUID(ticket)
        moment = _aware(as_of) if as_of else None
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    if from_topics:
        events = asyncio.run(events_from_topics(settings, ticket_id))
    else:
        events = events_from_stores(settings, ticket_id)
    if not events:
        print(f"error: no service knows ticket {ticket_id}", file=sys.stderr)
        return BAD_INPUT
    result = replay(ticket_id, events, moment)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2), file=out)
    else:
        print(render_text(result), end="", file=out)
    return OK


def report_command(
    settings: Settings, date_from: str, date_to: str, unit: str | None, html: Path
) -> int:
    from hotline.audit.report import build_report, render_html
    from hotline.audit.sources import events_from_stores

    try:
        start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    if end < start:
        print("error: --to is before --from", file=sys.stderr)
        return BAD_INPUT
    report = build_report(events_from_stores(settings), start, end, unit)
    html.write_text(render_html(report), encoding="utf-8")
    print(f"wrote {html}")
    return OK


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"--as-of {text!r} needs a timezone, e.g. {text}+08:00")
    return moment
