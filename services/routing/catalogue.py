"""The dispatch catalogue (派单目录): units, categories and the rules joining them.

It is a YAML file the city edits, so it is validated on load and every mistake is
named (unknown unit, cycle in the hierarchy, duplicate code) instead of surfacing
later as a ticket sent nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts.routing import DeadlineClass

DEFAULT_CATALOGUE = Path(__file__).parent / "data" / "catalogue.yaml"


class CatalogueError(ValueError):
    """The catalogue file cannot be used; the message says where and why."""


class UnitKind(StrEnum):
    GOVERNMENT = "government"
    """市政府 / 区政府."""
    CITY_DEPARTMENT = "city_department"
    DISTRICT_DEPARTMENT = "district_department"
    STREET_OFFICE = "street_office"
    """街道办 / 镇政府."""
    UTILITY = "utility"
    """Water, power, gas, telecoms, transport companies."""
    HOTLINE = "hotline"
    """The hotline centre's own fallback (兜底) unit."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Unit(_Strict):
    code: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    kind: UnitKind
    parent: str | None = None
    district: str | None = None
    aliases: tuple[str, ...] = ()
    """Other names a classifier label may use for this unit (e.g. the short department name)."""


class Category(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    group: str = Field(min_length=1)
    description: str = ""
    keywords: tuple[str, ...] = ()
    deadline_class: DeadlineClass = DeadlineClass.NORMAL
    major: bool = False
    """Mass incidents, public safety: dispatched at leader level (领导交办)."""


class Rule(_Strict):
    category: str
    district: str | None = None
    units: tuple[str, ...] = Field(min_length=1)
    """One unit: direct dispatch. Several: the category spans them → consultation."""
    deadline_class: DeadlineClass | None = None

    @property
    def rule_id(self) -> str:
        where = f"@{self.district}" if self.district else ""
        return f"catalogue:{self.category}{where}"


class Policy(_Strict):
    confidence_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    returns_before_consultation: int = Field(default=2, ge=1)
    merge_window_hours: float = Field(default=72.0, gt=0)
    merge_text_similarity: float = Field(default=0.8, gt=0.0, le=1.0)
    fallback_unit: str


class Catalogue(_Strict):
    version: str = Field(min_length=1)
    policy: Policy
    units: tuple[Unit, ...]
    categories: tuple[Category, ...]
    rules: tuple[Rule, ...] = ()

    def unit(self, code: str) -> Unit:
        return self._units_by_code()[code]

    def has_unit(self, code: str) -> bool:
        return code in self._units_by_code()

    def category(self, code_or_name: str) -> Category | None:
        for category in self.categories:
            if code_or_name in (category.code, category.name):
                return category
        return None

    def rule_for(self, category: str, district: str | None) -> Rule | None:
        """The district's own rule when there is one, else the category's city-wide rule."""
        matching = [rule for rule in self.rules if rule.category == category]
        for rule in matching:
            if district is not None and rule.district == district:
                return rule
        return next((rule for rule in matching if rule.district is None), None)

    def units_named(self, label: str) -> list[Unit]:
        """Units a classifier label may mean: by code, full name or alias."""
        return [
            unit
            for unit in self.units
            if label == unit.code or label == unit.name or label in unit.aliases
        ]

    def _units_by_code(self) -> dict[str, Unit]:
        return {unit.code: unit for unit in self.units}


def load_catalogue(path: Path = DEFAULT_CATALOGUE) -> Catalogue:
    """Read and validate a catalogue file; `CatalogueError` names every problem found."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: cannot read the catalogue: {error}") from None
    return parse_catalogue(raw, str(path))


def parse_catalogue(raw: Any, where: str = "catalogue") -> Catalogue:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: the catalogue must be a mapping")
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as error:
        shape = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()
        )
        raise CatalogueError(f"{where}: {shape}") from None
    problems = list(_problems(catalogue))
    if problems:
        raise CatalogueError(f"{where}: " + "; ".join(problems))
    return catalogue


def _problems(catalogue: Catalogue) -> Iterable[str]:
    yield from _duplicates("unit code", [unit.code for unit in catalogue.units])
    yield from _duplicates("category code", [c.code for c in catalogue.categories])
    yield from _duplicates(
        "rule", [(rule.category, rule.district or "") for rule in catalogue.rules]
    )
    codes = {unit.code for unit in catalogue.units}
    for unit in catalogue.units:
        if unit.parent is not None and unit.parent not in codes:
            yield f"unit {unit.code}: unknown parent unit {unit.parent!r}"
    yield from _cycles(catalogue.units)
    categories = {category.code for category in catalogue.categories}
    for rule in catalogue.rules:
        if rule.category not in categories:
            yield f"rule {rule.rule_id}: unknown category {rule.category!r}"
        for code in rule.units:
            if code not in codes:
                yield f"rule {rule.rule_id}: unknown unit {code!r}"
    if catalogue.policy.fallback_unit not in codes:
        yield f"policy.fallback_unit: unknown unit {catalogue.policy.fallback_unit!r}"


def _duplicates(what: str, values: list[Any]) -> Iterable[str]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            yield f"duplicate {what} {value!r}"
        seen.add(value)


def _cycles(units: tuple[Unit, ...]) -> Iterable[str]:
    parents = {unit.code: unit.parent for unit in units}
    reported: set[str] = set()
    for start in parents:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parents and current not in path:
            path.append(current)
            current = parents[current]
        if current is not None and current in path and current not in reported:
            cycle = path[path.index(current) :]
            reported.update(cycle)
            yield "cycle in unit hierarchy: " + " → ".join([*cycle, current])
