"""Routing's published service catalogue, read for Open311 `services.json` (never imported).

Routing writes `<HOTLINE_DATA_DIR>/published/service-catalogue.json`; until it has,
or when the file is unreadable, intake offers an empty list rather than failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import structlog

CATALOGUE_FILE = Path("published") / "service-catalogue.json"
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]


def load_services(data_dir: Path) -> tuple[Service, ...]:
    path = data_dir / CATALOGUE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(_service(item) for item in data["services"])
    except FileNotFoundError:
        return ()
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("catalogue.unreadable", path=str(path), error=type(error).__name__)
        return ()


def _service(item: dict[str, object]) -> Service:
    keywords = item.get("keywords") or []
    if not isinstance(keywords, list):
        raise TypeError("keywords must be a list")
    return Service(
        code=str(item["service_code"]),
        name=str(item["service_name"]),
        description=str(item.get("description") or ""),
        group=str(item.get("group") or ""),
        keywords=tuple(str(word) for word in keywords),
    )
