"""Builds the default catalogue YAML from the Haikou 12345 work orders: names and codes only.

Why a generator: the units and categories Haikou really uses are in the work-order file,
but that file (the tickets) must not be copied into the project. This reads it, keeps
unit names, category names and which department usually handles a category, and writes
`data/catalogue.yaml`, which the city then edits by hand.

    python -m services.routing.build_catalogue ../shared/data/haikou12345/work_orders_train.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from services.routing.catalogue import DEFAULT_CATALOGUE, UnitKind, parse_catalogue
from services.routing.gazetteer import DEFAULT_GAZETTEER

CITY_GOVERNMENT = ("hk-gov", "海口市人民政府")
FALLBACK = ("hotline-fallback", "12345热线兜底单位")
UTILITY_MARKERS = ("公司", "中国移动", "供电", "机场", "集团")
RULE_MIN_SHARE = 0.6
RULE_MIN_COUNT = 3
EMERGENCY = ("突发事件", "停水停电")
URGENT = ("报修", "停电", "停水", "燃气服务", "消防")
COMPLEX = ("征收管理", "房屋权属", "土地资源管理", "纠纷仲裁", "市场交易管理")

CURATED_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "x-streetlight",
        "name": "路灯照明",
        "group": "城乡建设",
        "description": "路灯不亮、损坏",
        "keywords": ["路灯"],
        "deadline_class": "urgent",
    },
    {
        "code": "x-mass-incident",
        "name": "群体性事件",
        "group": "社会管理",
        "description": "群体聚集、群体性纠纷、公共安全事件",
        "keywords": ["群体性", "聚集闹事", "群体上访", "公共安全"],
        "deadline_class": "emergency",
        "major": True,
    },
    {
        "code": "x-construction-dust",
        "name": "施工扬尘",
        "group": "环境保护",
        "description": "工地扬尘污染：住建（工地）与生态环境（污染）共管",
        "keywords": ["扬尘"],
        "deadline_class": "normal",
    },
]
SHARED_RULES = [("x-construction-dust", ("市住房和城乡建设局", "海口市生态环境保护局"))]


def unit_code(name: str) -> str:
    return "u-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def district_of(name: str, districts: Sequence[str]) -> str | None:
    return next((d for d in districts if d in name), None)


def unit_kind(name: str, district: str | None) -> UnitKind:
    if any(marker in name for marker in UTILITY_MARKERS):
        return UnitKind.UTILITY
    if district is not None and "镇" in name and "政府" in name:
        return UnitKind.STREET_OFFICE
    return UnitKind.DISTRICT_DEPARTMENT if district else UnitKind.CITY_DEPARTMENT


def deadline_class(l1: str, l2: str) -> str:
    label = l1 + l2
    if any(word in label for word in EMERGENCY):
        return "emergency"
    if any(word in label for word in URGENT):
        return "urgent"
    return "complex" if l2 in COMPLEX else "normal"


def build(rows: list[dict[str, str]], gazetteer: dict[str, Any]) -> dict[str, Any]:
    districts = list(gazetteer["districts"])
    units = base_units(districts, gazetteer)
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        aliases[row["department_full_name"]].add(row["department"])
    by_name = {unit["name"]: unit for unit in units}
    for full_name in sorted(aliases):
        district = district_of(full_name, districts)
        kind = unit_kind(full_name, district)
        parent = district_government(district) if district else CITY_GOVERNMENT[0]
        unit = {
            "code": unit_code(full_name),
            "name": full_name,
            "kind": kind.value,
            "parent": None if kind is UnitKind.UTILITY else parent,
            "district": district,
            "aliases": sorted(aliases[full_name] - {full_name}),
        }
        by_name.setdefault(full_name, unit)
    units = list(by_name.values())
    categories = build_categories(rows)
    rules = build_rules(rows, categories, units, districts)
    return {
        "version": "haikou-" + hashlib.sha256(repr((units, categories)).encode()).hexdigest()[:8],
        "policy": {
            "confidence_threshold": 0.5,
            "returns_before_consultation": 2,
            "merge_window_hours": 72,
            "merge_text_similarity": 0.8,
            "fallback_unit": FALLBACK[0],
        },
        "units": units,
        "categories": categories,
        "rules": rules,
    }


def district_government(district: str) -> str:
    return unit_code(district + "人民政府")


def base_units(districts: list[str], gazetteer: dict[str, Any]) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = [
        {"code": CITY_GOVERNMENT[0], "name": CITY_GOVERNMENT[1], "kind": "government"},
        {"code": FALLBACK[0], "name": FALLBACK[1], "kind": "hotline"},
    ]
    for district in districts:
        units.append(
            {
                "code": district_government(district),
                "name": district + "人民政府",
                "kind": "government",
                "parent": CITY_GOVERNMENT[0],
                "district": district,
            }
        )
        for street in gazetteer["districts"][district]["streets"]:
            name = district + street + ("政府" if street.endswith("镇") else "办事处")
            units.append(
                {
                    "code": unit_code(name),
                    "name": name,
                    "kind": "street_office",
                    "parent": district_government(district),
                    "district": district,
                }
            )
    return units


def build_categories(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    pairs = sorted({(row["category_l1"], row["category_l2"]) for row in rows})
    l2_count = Counter(l2 for _, l2 in pairs)
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    words: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        pair = (row["category_l1"], row["category_l2"])
        for word in (row["category_l3"], row["category_l4"]):
            if len(word) >= 3 and "其他" not in word:
                owners[word].add(pair)
                words[pair][word] += 1
    categories = []
    for number, (l1, l2) in enumerate(pairs, start=1):
        keywords = [w for w, _ in words[(l1, l2)].most_common() if len(owners[w]) == 1][:8]
        categories.append(
            {
                "code": f"c{number:03d}",
                "name": l2 if l2_count[l2] == 1 else f"{l1}·{l2}",
                "group": l1,
                "description": f"{l1} / {l2}",
                "keywords": keywords,
                "deadline_class": deadline_class(l1, l2),
                "major": l2 == "突发事件",
            }
        )
    return categories + CURATED_CATEGORIES


def build_rules(
    rows: list[dict[str, str]],
    categories: list[dict[str, Any]],
    units: list[dict[str, Any]],
    districts: list[str],
) -> list[dict[str, Any]]:
    code_of = {c["description"]: c["code"] for c in categories}
    per_category: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        per_category[code_of[f"{row['category_l1']} / {row['category_l2']}"]][
            row["department"]
        ] += 1
    rules: list[dict[str, Any]] = []
    for category, departments in sorted(per_category.items()):
        department, count = departments.most_common(1)[0]
        if count < RULE_MIN_COUNT or count / sum(departments.values()) < RULE_MIN_SHARE:
            continue
        rules.extend(rules_for_department(category, department, units))
    rules.extend(streetlight_rules(units, districts))
    code_by_name = {unit["name"]: unit["code"] for unit in units}
    for category, names in SHARED_RULES:
        rules.append({"category": category, "units": [code_by_name[name] for name in names]})
    return rules


def rules_for_department(
    category: str, department: str, units: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    candidates = [u for u in units if department in u.get("aliases", ())]
    city_wide = [u for u in candidates if not u.get("district")]
    rules: list[dict[str, Any]] = (
        [{"category": category, "units": [city_wide[0]["code"]]}] if city_wide else []
    )
    for unit in candidates:
        if unit.get("district"):
            rules.append(
                {"category": category, "district": unit["district"], "units": [unit["code"]]}
            )
    seen: set[tuple[Any, Any]] = set()
    unique = []
    for rule in rules:
        key = (rule["category"], rule.get("district"))
        if key not in seen:
            seen.add(key)
            unique.append(rule)
    return unique


def streetlight_rules(units: list[dict[str, Any]], districts: list[str]) -> list[dict[str, Any]]:
    """路灯 belongs to each district's 市政 maintenance unit; the city's 市政管理局 otherwise."""
    rules: list[dict[str, Any]] = []
    city = next((u for u in units if u["name"] == "市政管理局"), None)
    if city is not None:
        rules.append({"category": "x-streetlight", "units": [city["code"]]})
    for district in districts:
        local = next(
            (u for u in units if u.get("district") == district and "市政" in u["name"]), None
        )
        if local is not None:
            rules.append(
                {"category": "x-streetlight", "district": district, "units": [local["code"]]}
            )
    mass = [
        {"category": "x-mass-incident", "district": d, "units": [district_government(d)]}
        for d in districts
    ]
    return rules + mass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_CATALOGUE)
    args = parser.parse_args(argv)
    with args.csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    gazetteer = yaml.safe_load(DEFAULT_GAZETTEER.read_text(encoding="utf-8"))
    catalogue = build(rows, gazetteer)
    parse_catalogue(catalogue, "generated catalogue")
    header = "# Generated by services/routing/build_catalogue.py from the Haikou 12345 unit and\n"
    header += "# category names (no tickets). The city edits this file; it is validated on load.\n"
    text = yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False, width=100)
    args.out.write_text(header + text, encoding="utf-8")
    print(
        f"wrote {args.out}: {len(catalogue['units'])} units, "
        f"{len(catalogue['categories'])} categories, {len(catalogue['rules'])} rules"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
