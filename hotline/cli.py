"""The `hotline` command: the composition root that knows every service."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from hotline.settings import SERVICE_NAMES, Settings


def load_spec(service: str) -> object:
    return importlib.import_module(f"services.{service}.main").SPEC


def add_service_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Each service may bring its own subcommands in `services/<name>/cli.py`.

    Such a module defines `register(commands)`, adding one subparser named after the
    service (e.g. `hotline sla due …`) whose handlers are set with `set_defaults(func=…)`
    and return an exit code.
    """
    for service in SERVICE_NAMES:
        try:
            module = importlib.import_module(f"services.{service}.cli")
        except ModuleNotFoundError as error:
            if error.name != f"services.{service}.cli":
                raise
            continue
        module.register(commands)


def cmd_up(args: argparse.Namespace) -> int:
    from hotline.stack import run_up

    return run_up(Settings())


def cmd_serve(args: argparse.Namespace) -> int:
    from hotline.runtime.host import ServiceSpec, serve

    spec = load_spec(args.service)
    assert isinstance(spec, ServiceSpec)
    serve(spec, Settings())
    return 0


def cmd_topics_create(args: argparse.Namespace) -> int:
    from hotline.runtime.kafka import all_topics, ensure_topics

    settings = Settings()
    created = asyncio.run(
        ensure_topics(
            settings,
            all_topics(settings),
            replication_factor=args.replication_factor,
            min_insync_replicas=args.min_insync_replicas,
        )
    )
    for topic in all_topics(settings):
        print(f"{topic}\t{'created' if topic in created else 'exists'}")
    return 0


def cmd_contracts_export(args: argparse.Namespace) -> int:
    from contracts.export import export_contracts

    for path in export_contracts(Path(args.directory)):
        print(path)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from hotline.bench import run_bench

    return run_bench(tickets=args.tickets, json_path=args.json, settings=Settings())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline", description="12345 hotline platform")
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="run the broker (if none configured) and all services")
    up.set_defaults(func=cmd_up)

    serve = commands.add_parser("serve", help="run one service")
    serve.add_argument("service", choices=SERVICE_NAMES)
    serve.set_defaults(func=cmd_serve)

    topics = commands.add_parser("topics", help="manage Kafka topics")
    topic_commands = topics.add_subparsers(dest="topics_command", required=True)
    create = topic_commands.add_parser("create", help="create every event and dead-letter topic")
    create.add_argument("--replication-factor", type=int, default=1)
    create.add_argument("--min-insync-replicas", type=int, default=None)
    create.set_defaults(func=cmd_topics_create)

    contracts = commands.add_parser("contracts", help="integration event contracts")
    contract_commands = contracts.add_subparsers(dest="contracts_command", required=True)
    export = contract_commands.add_parser("export", help="write JSON Schemas and AsyncAPI")
    export.add_argument("directory")
    export.set_defaults(func=cmd_contracts_export)

    bench = commands.add_parser("bench", help="measure intake→routing against the raw broker")
    bench.add_argument("--tickets", type=int, default=2000)
    bench.add_argument("--json", type=Path, default=None)
    bench.set_defaults(func=cmd_bench)

    add_service_commands(commands)
    from hotline.audit.cli import register as add_audit_commands

    add_audit_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code = args.func(args)
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
