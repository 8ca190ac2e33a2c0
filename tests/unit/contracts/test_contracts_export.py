"""Teams that do not read Python get the contracts as JSON Schema and AsyncAPI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contracts import EVENT_TYPES, SERVICE_NAMES, ComplaintReceived, export_contracts

EVENT_HEADERS = {"event_type", "source", "position", "traceparent", "tracestate"}
DEAD_LETTER_HEADERS = {"error", "original_topic", "original_partition", "original_offset"}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    export_contracts(tmp_path / "contracts")
    return tmp_path / "contracts"


def test_every_event_gets_a_json_schema_named_by_type_and_version(exported: Path) -> None:
    expected = {
        f"{name}.v{cls.declared_schema_version()}.schema.json" for name, cls in EVENT_TYPES.items()
    }

    assert {path.name for path in exported.glob("*.schema.json")} == expected


def test_each_schema_is_the_json_schema_of_its_event(exported: Path) -> None:
    for name, cls in EVENT_TYPES.items():
        schema = _read(exported / f"{name}.v{cls.declared_schema_version()}.schema.json")

        assert schema == cls.model_json_schema()
        assert schema["properties"]["event_type"]["const"] == name


def test_export_returns_exactly_the_files_it_wrote(tmp_path: Path) -> None:
    written = export_contracts(tmp_path)

    assert sorted(written) == sorted(tmp_path.iterdir())
    assert tmp_path / "asyncapi.json" in written


def test_the_output_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = {path.name: path.read_bytes() for path in export_contracts(tmp_path / "a")}
    second = {path.name: path.read_bytes() for path in export_contracts(tmp_path / "b")}

    assert first == second


def test_asyncapi_names_every_topic_and_its_dead_letter_topic(exported: Path) -> None:
    doc = _read(exported / "asyncapi.json")

    addresses = {channel["address"] for channel in doc["channels"].values()}
    assert doc["asyncapi"] == "3.0.0"
    assert addresses == {f"hotline.{s}" for s in SERVICE_NAMES} | {
        f"hotline.{s}.dead-letter" for s in SERVICE_NAMES
    } | {"hotline.public"}
    assert "keyed by ticket id" in doc["channels"]["hotline.intake"]["description"]


def test_asyncapi_puts_every_event_on_its_producers_topic_or_named_stream(exported: Path) -> None:
    doc = _read(exported / "asyncapi.json")

    for name, cls in EVENT_TYPES.items():
        topic_suffix = getattr(cls, "topic_suffix", cls.declared_source())
        channel = doc["channels"][f"hotline.{topic_suffix}"]
        assert channel["messages"][name] == {"$ref": f"#/components/messages/{name}"}


def test_each_message_points_at_its_payload_schema_file(exported: Path) -> None:
    doc = _read(exported / "asyncapi.json")

    for name in EVENT_TYPES:
        ref = doc["components"]["messages"][name]["payload"]["schema"]["$ref"]
        assert _read(exported / ref)["title"] == name


def test_message_descriptions_come_from_the_event_docstrings(exported: Path) -> None:
    message = _read(exported / "asyncapi.json")["components"]["messages"]["ComplaintReceived"]

    assert message["summary"] == "A citizen's complaint was received and a ticket opened for it."
    assert message["description"].startswith(message["summary"])
    assert ComplaintReceived.__doc__ is not None


def test_the_kafka_headers_are_documented(exported: Path) -> None:
    messages = _read(exported / "asyncapi.json")["components"]["messages"]

    for name in EVENT_TYPES:
        assert set(messages[name]["headers"]["properties"]) == EVENT_HEADERS
    assert set(messages["DeadLetter"]["headers"]["properties"]) == DEAD_LETTER_HEADERS
    assert messages["DeadLetter"]["payload"]["format"] == "binary"


def test_every_channel_reference_resolves(exported: Path) -> None:
    doc = _read(exported / "asyncapi.json")
    refs = [
        ref["$ref"] for channel in doc["channels"].values() for ref in channel["messages"].values()
    ] + [
        ref["$ref"]
        for operation in doc["operations"].values()
        for ref in [operation["channel"], *operation.get("messages", [])]
    ]

    for ref in refs:
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert node
