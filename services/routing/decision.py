"""Who should handle a complaint: the catalogue's rules first, then the model, else a person.

Order, and why: a category the call-taker chose is the strongest signal, so its rule
wins; then the model, if it is confident enough; then the catalogue's keywords (the
only thing left when no model was trained yet); otherwise the manual queue — a wrong
unit costs a return and days, an operator costs minutes, so routing never guesses.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from contracts.routing import DeadlineClass, DispatchLevel
from services.routing.catalogue import Catalogue, Category, Rule, Unit
from services.routing.classifier import TextModel


@dataclass(frozen=True, slots=True)
class Facts:
    """What routing knows of a complaint when it decides."""

    text: str
    category_hint: str | None
    district: str | None
    street: str | None


@dataclass(frozen=True, slots=True)
class AssignTo:
    unit: Unit
    category: str | None
    rule: str
    deadline_class: DeadlineClass
    dispatch_level: DispatchLevel
    model_version: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Consult:
    candidates: tuple[str, ...]
    category: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Queue:
    best_guess: str | None
    confidence: float | None
    category: str | None


Decision = AssignTo | Consult | Queue


def decide(
    facts: Facts,
    catalogue: Catalogue,
    model: TextModel | None,
    exclude: Collection[str] = (),
) -> Decision:
    hinted = catalogue.category(facts.category_hint) if facts.category_hint else None
    if hinted is not None:
        by_rule = _by_rule(hinted, facts, catalogue, exclude, "hint")
        if by_rule is not None:
            return by_rule
    guess: Queue = Queue(None, None, hinted.code if hinted else None)
    if model is not None:
        by_model = _by_model(facts, catalogue, model, exclude, hinted)
        if isinstance(by_model, AssignTo):
            return by_model
        guess = by_model
    for category in [hinted] if hinted else _by_keywords(facts.text, catalogue):
        by_rule = _by_rule(category, facts, catalogue, exclude, "keyword")
        if by_rule is not None:
            return by_rule
    return guess


def _by_rule(
    category: Category,
    facts: Facts,
    catalogue: Catalogue,
    exclude: Collection[str],
    how: str,
) -> AssignTo | Consult | None:
    rule = catalogue.rule_for(category.code, facts.district)
    if rule is None:
        return None
    units = [code for code in rule.units if code not in exclude]
    if not units:
        return None
    if len(units) > 1:
        reason = f"category {category.code} spans {len(units)} units ({rule.rule_id})"
        return Consult(tuple(units), category.code, reason)
    return AssignTo(
        unit=catalogue.unit(units[0]),
        category=category.code,
        rule=f"{rule.rule_id}:{how}",
        deadline_class=_deadline(rule, category),
        dispatch_level=DispatchLevel.LEADER if category.major else DispatchLevel.DIRECT,
    )


def _deadline(rule: Rule, category: Category) -> DeadlineClass:
    return rule.deadline_class or category.deadline_class


def _by_keywords(text: str, catalogue: Catalogue) -> list[Category]:
    """Categories whose keywords the text contains, longest keyword (most specific) first."""
    found = [
        (max(len(keyword) for keyword in category.keywords if keyword in text), category)
        for category in catalogue.categories
        if any(keyword in text for keyword in category.keywords)
    ]
    return [category for _, category in sorted(found, key=lambda item: -item[0])]


def _by_model(
    facts: Facts,
    catalogue: Catalogue,
    model: TextModel,
    exclude: Collection[str],
    hinted: Category | None,
) -> AssignTo | Queue:
    prediction = model.predict([facts.text])[0]
    category = hinted or (catalogue.category(prediction.category) if prediction.category else None)
    unit = resolve_unit(prediction.label, facts.district, catalogue)
    best_guess = unit.code if unit else None
    confident = prediction.confidence >= catalogue.policy.confidence_threshold
    if unit is None or not confident or unit.code in exclude:
        return Queue(best_guess, prediction.confidence, category.code if category else None)
    deadline = category.deadline_class if category else DeadlineClass.NORMAL
    major = category is not None and category.major
    return AssignTo(
        unit=unit,
        category=category.code if category else None,
        rule="model",
        deadline_class=deadline,
        dispatch_level=DispatchLevel.LEADER if major else DispatchLevel.DIRECT,
        model_version=model.version,
        confidence=prediction.confidence,
    )


def resolve_unit(label: str, district: str | None, catalogue: Catalogue) -> Unit | None:
    """The one unit a label means; a generic name ("城管局") needs the district to decide."""
    units = catalogue.units_named(label)
    if len(units) == 1:
        return units[0]
    local = [unit for unit in units if district is not None and unit.district == district]
    if len(local) == 1:
        return local[0]
    city_wide = [unit for unit in units if unit.district is None]
    return city_wide[0] if len(city_wide) == 1 else None
