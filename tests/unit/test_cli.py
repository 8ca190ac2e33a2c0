"""The `hotline` command's own wiring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts import EVENT_TYPES
from hotline.cli import load_spec, main
from hotline.runtime.host import ServiceSpec
from hotline.settings import SERVICE_NAMES


def test_contracts_export_writes_a_schema_per_event_and_an_asyncapi_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contracts", "export", str(tmp_path)]) == 0

    written = {Path(line).name for line in capsys.readouterr().out.split()}
    for event_type, model in EVENT_TYPES.items():
        assert f"{event_type}.v{model.declared_schema_version()}.schema.json" in written
    asyncapi = json.loads((tmp_path / "asyncapi.json").read_text())
    assert asyncapi["asyncapi"].startswith("3.")


def test_every_service_has_a_spec_named_after_it() -> None:
    for name in SERVICE_NAMES:
        spec = load_spec(name)
        assert isinstance(spec, ServiceSpec)
        assert spec.name == name
        assert spec.application.name == name


def test_an_unknown_command_is_refused_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["launch"])
    assert exit_info.value.code == 2
    assert "usage: hotline" in capsys.readouterr().err
