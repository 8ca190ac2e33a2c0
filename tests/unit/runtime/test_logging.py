"""Structured logging: JSON shape, context, trace ids, stdlib routing, redaction."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider

from hotline.runtime.logging import REDACTED, configure_logging, is_personal_key


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Leave global logging as found, so later tests do not log into a dead StringIO."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    kafka_level = logging.getLogger("aiokafka").level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    logging.getLogger("aiokafka").setLevel(kafka_level)
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging("intake", "json", "info", stream=out)
    structlog.contextvars.clear_contextvars()
    yield out
    structlog.contextvars.clear_contextvars()


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_line_shape_and_context(stream: io.StringIO) -> None:
    structlog.contextvars.bind_contextvars(ticket_id="T-1")
    structlog.get_logger("test").info("ticket.created", channel="phone-call")
    (line,) = lines(stream)
    assert list(line)[:4] == ["timestamp", "level", "service", "event"]
    assert line["level"] == "info" and line["service"] == "intake"
    assert line["event"] == "ticket.created" and line["ticket_id"] == "T-1"
    assert line["timestamp"].endswith("Z")
    assert "trace_id" not in line


def test_trace_ids_from_current_span(stream: io.StringIO) -> None:
    span_tracer = TracerProvider().get_tracer("test")
    with span_tracer.start_as_current_span("s") as span:
        structlog.get_logger("test").info("inside")
    (line,) = lines(stream)
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert line["span_id"] == format(span.get_span_context().span_id, "016x")


def test_stdlib_routed_and_aiokafka_quiet(stream: io.StringIO) -> None:
    logging.getLogger("uvicorn.error").warning("started %s", "server")
    logging.getLogger("aiokafka").info("chatty")
    logging.getLogger("aiokafka").warning("rebalance")
    assert [(x["logger"], x["event"]) for x in lines(stream)] == [
        ("uvicorn.error", "started server"),
        ("aiokafka", "rebalance"),
    ]


def test_redaction(stream: io.StringIO) -> None:
    structlog.get_logger("test").warning(
        "oops",
        phone="13800138000",
        caller_mobile="13800138000",
        name="张三",
        api_key="secret",
        key="secret",
        payload={"contact": {"x": 1}, "id_number": "110101", "ok": [{"name": "李四"}]},
        key_id="ab12cd34",
        service_name="intake",
    )
    (line,) = lines(stream)
    for field in ("phone", "caller_mobile", "name", "api_key", "key"):
        assert line[field] == REDACTED
    assert line["payload"] == {
        "contact": REDACTED,
        "id_number": REDACTED,
        "ok": [{"name": REDACTED}],
    }
    assert line["key_id"] == "ab12cd34" and line["service_name"] == "intake"
    assert "13800138000" not in stream.getvalue()


def test_is_personal_key() -> None:
    assert all(
        map(is_personal_key, ["phone", "Mobile", "id-number", "contact_person", "x_api_key"])
    )
    assert not any(map(is_personal_key, ["event", "key_id", "ticket_id", "topic_name", "level"]))


def test_idempotent_and_level(stream: io.StringIO) -> None:
    configure_logging("intake", "json", "warning", stream=stream)
    root = logging.getLogger()
    assert sum(h.get_name() == "hotline-structlog" for h in root.handlers) == 1
    structlog.get_logger("test").info("hidden")
    structlog.get_logger("test").error("shown")
    assert [x["event"] for x in lines(stream)] == ["shown"]
    with pytest.raises(ValueError, match="unknown log level"):
        configure_logging("intake", "json", "loud", stream=stream)


def test_console_format() -> None:
    out = io.StringIO()
    configure_logging("intake", "console", stream=out)
    structlog.get_logger("test").info("hello", phone="13800138000")
    text = out.getvalue()
    assert "hello" in text and "service=intake" in text and "13800138000" not in text
    configure_logging("intake", "auto", stream=io.StringIO())  # not a TTY: JSON
