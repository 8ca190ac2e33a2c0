"""Structured logging: one JSON line per event, correlated with traces.

Every line names its service and, inside a span, its `trace_id`/`span_id`, so a
complaint can be followed across services in the log store as in the tracer.
Library logs (uvicorn, aiokafka) pass through the same formatter so there is
one format to parse. A redaction step is the last line of defence for personal
data: callers must never log it, but if they do, values under personal-looking
keys become "[redacted]".

All per-call configuration lives in the stdlib handler; the structlog chain is
fixed, so cached loggers stay correct when `configure_logging` runs again.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any, Literal, TextIO

import structlog
from opentelemetry import trace
from structlog.types import EventDict, Processor, WrappedLogger

REDACTED = "[redacted]"
LogFormat = Literal["auto", "json", "console"]

_HANDLER_NAME = "hotline-structlog"
_ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "aiokafka")
_QUIET_LOGGERS = {"aiokafka": logging.WARNING}
_REDACT_DEPTH = 6
_LEADING = ("timestamp", "level", "service", "event")

# Exact key names (after lower-casing and "-"→"_").
_PERSONAL_KEYS = frozenset(
    {
        "name",
        "contact",
        "key",
        "api_key",
        "x_api_key",
        "authorization",
        "password",
        "secret",
        "caller_name",
        "citizen_name",
        "complainant_name",
        "full_name",
        "real_name",
        "person_name",
        "address",
        "email",
    }
)
# Substrings that mark a key as personal wherever they appear (caller_phone, mobileNo).
_PERSONAL_FRAGMENTS = ("phone", "mobile", "id_number", "idnumber", "id_card", "api_key", "apikey")


def is_personal_key(key: str) -> bool:
    """Whether a log field name looks like it holds personal data or a secret."""
    norm = key.lower().replace("-", "_")
    if norm in _PERSONAL_KEYS:
        return True
    if any(fragment in norm for fragment in _PERSONAL_FRAGMENTS):
        return True
    return "contact" in norm.split("_")


def _redact(value: Any, depth: int) -> Any:
    if depth <= 0:
        return value
    if isinstance(value, Mapping):
        return {
            k: REDACTED if isinstance(k, str) and is_personal_key(k) else _redact(v, depth - 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(item, depth - 1) for item in value]
    return value


def redact_personal_data(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Replace values under personal-looking keys (also nested) with "[redacted]"."""
    for key, value in list(event_dict.items()):
        if key == "event" or key.startswith("_"):
            continue
        event_dict[key] = REDACTED if is_personal_key(key) else _redact(value, _REDACT_DEPTH)
    return event_dict


def add_trace_context(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Add hex `trace_id`/`span_id` of the current OpenTelemetry span, if any."""
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        event_dict.setdefault("trace_id", format(ctx.trace_id, "032x"))
        event_dict.setdefault("span_id", format(ctx.span_id, "016x"))
    return event_dict


def _add_service(service: str) -> Processor:
    def processor(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)  # a bound `service` wins (all-in-one runs)
        return event_dict

    return processor


def _leading_fields(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    # Human readers scan the start of a JSON line: when, how bad, who, what.
    head = {k: event_dict.pop(k) for k in _LEADING if k in event_dict}
    return {**head, **event_dict}


def _parse_level(level: str) -> int:
    value = logging.getLevelNamesMapping().get(level.upper())
    if value is None:
        raise ValueError(f"unknown log level {level!r}")
    return value


def _formatter(service: str, console: bool, colors: bool) -> logging.Formatter:
    # Runs in the logging thread for both structlog and foreign (stdlib) records.
    context: list[Processor] = [structlog.contextvars.merge_contextvars, add_trace_context]
    common: list[Processor] = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        redact_personal_data,
    ]
    renderer: list[Processor]
    if console:
        renderer = [structlog.dev.ConsoleRenderer(colors=colors)]
    else:
        renderer = [
            structlog.processors.format_exc_info,
            _leading_fields,
            structlog.processors.JSONRenderer(),
        ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=context, processors=[*common, *renderer]
    )


def configure_logging(
    service: str,
    fmt: LogFormat = "auto",
    level: str = "info",
    *,
    stream: TextIO | None = None,
) -> None:
    """Send structlog and stdlib logs to `stream` (default stderr) in one format.

    `fmt="auto"` picks the console renderer when the stream is a TTY, else JSON
    lines. Calling again replaces the previous handler instead of adding one.
    """
    out = sys.stderr if stream is None else stream
    is_tty = out.isatty()
    console = fmt == "console" or (fmt == "auto" and is_tty)

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.contextvars.merge_contextvars,
            add_trace_context,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )

    handler = logging.StreamHandler(out)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_formatter(service, console, colors=console and is_tty))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    numeric = _parse_level(level)
    root.setLevel(numeric)

    for name in _ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers.clear()  # e.g. uvicorn's own handlers: log through ours instead
        routed.propagate = True
    for name, quiet_level in _QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(quiet_level, numeric))
