"""A model label names a department; the district decides which of its units is meant."""

from __future__ import annotations

from services.routing.catalogue import load_catalogue
from services.routing.decision import resolve_unit

CATALOGUE = load_catalogue()


def test_a_generic_department_name_resolves_to_the_complaints_district_unit() -> None:
    unit = resolve_unit("城市管理行政执法局", "龙华区", CATALOGUE)

    assert unit is not None and unit.name == "龙华区城管局"


def test_a_generic_name_without_a_district_resolves_to_nothing_rather_than_a_guess() -> None:
    assert resolve_unit("城市管理行政执法局", None, CATALOGUE) is None


def test_a_department_with_a_city_unit_falls_back_to_it_outside_its_districts() -> None:
    unit = resolve_unit("教育局", None, CATALOGUE)

    assert unit is not None and unit.name == "市教育局"


def test_a_unit_code_resolves_to_itself() -> None:
    assert resolve_unit("u-5ef5ba24", None, CATALOGUE).name == "美兰区市政维修管理中心"  # type: ignore[union-attr]
