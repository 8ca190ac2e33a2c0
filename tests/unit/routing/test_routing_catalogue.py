"""The catalogue file is validated on load: every mistake is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services.routing.catalogue import (
    DEFAULT_CATALOGUE,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)


def small() -> dict[str, Any]:
    return {
        "version": "t1",
        "policy": {"fallback_unit": "fallback"},
        "units": [
            {"code": "city", "name": "市政府", "kind": "government"},
            {"code": "water", "name": "水务公司", "kind": "utility", "parent": "city"},
            {"code": "fallback", "name": "兜底", "kind": "hotline"},
        ],
        "categories": [{"code": "c1", "name": "供水", "group": "水务"}],
        "rules": [{"category": "c1", "units": ["water"]}],
    }


def test_the_shipped_haikou_catalogue_loads() -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE)

    assert len(catalogue.units) > 100
    assert catalogue.has_unit(catalogue.policy.fallback_unit)
    assert catalogue.units_named("城市管理行政执法局")


def test_a_rule_naming_an_unknown_unit_is_refused() -> None:
    raw = small()
    raw["rules"][0]["units"] = ["nobody"]

    with pytest.raises(CatalogueError, match="unknown unit 'nobody'"):
        parse_catalogue(raw)


def test_a_cycle_in_the_hierarchy_is_refused_and_shown() -> None:
    raw = small()
    raw["units"][0]["parent"] = "water"

    with pytest.raises(CatalogueError, match=r"cycle in unit hierarchy: .*city.*water"):
        parse_catalogue(raw)


def test_a_duplicate_unit_code_is_refused() -> None:
    raw = small()
    raw["units"].append({"code": "water", "name": "另一个", "kind": "utility"})

    with pytest.raises(CatalogueError, match="duplicate unit code 'water'"):
        parse_catalogue(raw)


def test_an_unknown_parent_and_an_unknown_category_are_both_named() -> None:
    raw = small()
    raw["units"][1]["parent"] = "ghost"
    raw["rules"][0]["category"] = "c9"

    with pytest.raises(CatalogueError) as error:
        parse_catalogue(raw)

    assert "unknown parent unit 'ghost'" in str(error.value)
    assert "unknown category 'c9'" in str(error.value)


def test_a_malformed_file_names_the_field(tmp_path: Path) -> None:
    raw = small()
    raw["categories"][0]["deadline_class"] = "whenever"
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    with pytest.raises(CatalogueError, match=r"categories\.0\.deadline_class"):
        load_catalogue(path)


def test_a_district_rule_wins_over_the_city_wide_rule() -> None:
    raw = small()
    raw["units"].append({"code": "local", "name": "区水务", "kind": "district_department"})
    raw["rules"].append({"category": "c1", "district": "美兰区", "units": ["local"]})
    catalogue = parse_catalogue(raw)

    assert catalogue.rule_for("c1", "美兰区").units == ("local",)  # type: ignore[union-attr]
    assert catalogue.rule_for("c1", "秀英区").units == ("water",)  # type: ignore[union-attr]
