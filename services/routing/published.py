"""`<HOTLINE_DATA_DIR>/published/service-catalogue.json`: the categories intake offers.

Intake's Open311 `services.json` lists what citizens can report; routing owns the
categories, so it publishes them as a file (no service imports another). The file is
replaced atomically, so intake never reads half of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.routing.catalogue import Catalogue

PUBLISHED_NAME = "service-catalogue.json"


def service_catalogue(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "version": catalogue.version,
        "services": [
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.description or category.name,
                "group": category.group,
                "keywords": list(category.keywords),
            }
            for category in catalogue.categories
        ],
    }


def publish(catalogue: Catalogue, data_dir: Path) -> Path:
    folder = data_dir / "published"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / PUBLISHED_NAME
    partial = folder / (PUBLISHED_NAME + ".tmp")
    text = json.dumps(service_catalogue(catalogue), ensure_ascii=False, indent=2)
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(target)
    return target
