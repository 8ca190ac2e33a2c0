"""Where a complaint is: district and street (街道/镇) read from its address text.

Catalogue rules may depend on the district (each district has its own 城管局), so a
complaint that names only a street, a town or a landmark still has to find its
district. Names are matched longest first, so "海秀镇" is not read as "海秀".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_GAZETTEER = Path(__file__).parent / "data" / "gazetteer.yaml"
STREET_SUFFIXES = ("街道", "镇")


@dataclass(frozen=True, slots=True)
class Place:
    district: str
    street: str | None


@dataclass(frozen=True, slots=True)
class Location:
    district: str | None
    street: str | None


class Gazetteer:
    """Names (full and short) → (district, street); ambiguous short names are dropped."""

    def __init__(self, names: dict[str, Place]) -> None:
        self._names = dict(sorted(names.items(), key=lambda item: -len(item[0])))

    @property
    def districts(self) -> frozenset[str]:
        return frozenset(place.district for place in self._names.values())

    def resolve(self, *texts: str | None) -> Location:
        """The first text that names a place decides; a district alone is kept as a fallback."""
        district_only: str | None = None
        for text in texts:
            if not text:
                continue
            for name, place in self._names.items():
                if name in text:
                    if place.street is not None:
                        return Location(place.district, place.street)
                    district_only = district_only or place.district
        return Location(district_only, None)

    def complete(self, district: str | None, street: str | None, *texts: str | None) -> Location:
        """Fill in what intake did not say, never contradicting what it did."""
        found = self.resolve(street, *texts)
        if district is not None and found.district not in (None, district):
            return Location(district, street)
        return Location(district or found.district, street or found.street)


def load_gazetteer(path: Path = DEFAULT_GAZETTEER) -> Gazetteer:
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    names: dict[str, Place] = {}
    ambiguous: set[str] = set()

    def add(name: str, place: Place) -> None:
        if name in names and names[name] != place:
            ambiguous.add(name)
        names[name] = place

    for district, entry in raw["districts"].items():
        add(district, Place(district, None))
        for street in entry.get("streets", []):
            add(street, Place(district, street))
            short = _short(street)
            if short != street and len(short) >= 2:
                add(short, Place(district, street))
        for place, street in (entry.get("places") or {}).items():
            add(place, Place(district, street))
    for name in ambiguous:
        del names[name]
    return Gazetteer(names)


def _short(street: str) -> str:
    for suffix in STREET_SUFFIXES:
        if street.endswith(suffix):
            return street[: -len(suffix)]
    return street
