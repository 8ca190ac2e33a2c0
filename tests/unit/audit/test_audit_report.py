"""The inspection report for a scripted month: every section holds exactly the tickets
the month's script put there, each row links to its replay, and the page prints."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from audit_month import (
    days_where,
    escalated_twice,
    overdue,
    rejected,
    reopened_twice,
    returned_thrice,
    scripted_month,
)

from hotline.audit.report import build_report, render_html

MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)


class RowsAndAnchors(HTMLParser):
    """Collects report rows (per section), their links, and the appendix anchors."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.rows: dict[str, int] = {}
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and attributes.get("data-section"):
            self.section = attributes["data-section"]
            self.rows.setdefault(self.section or "", 0)
        if tag == "tr" and attributes.get("class") == "row" and self.section:
            self.rows[self.section] += 1
        if tag == "a" and self.section and (href := attributes.get("href")):
            self.links.append(href.removeprefix("#"))
        if tag == "section" and (anchor := attributes.get("id")):
            self.anchors.add(anchor)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.section = None


def tickets_in(report_section: object) -> list[object]:
    return [row.ticket_id for row in report_section.rows]  # type: ignore[attr-defined]


def test_each_section_lists_the_tickets_the_month_put_there() -> None:
    month = scripted_month()
    report = build_report(month.events, MARCH_1, MARCH_31)

    def expected(rule: object) -> list[object]:
        return [month.tickets[day] for day in days_where(rule)]  # type: ignore[arg-type]

    assert tickets_in(report.section("overdue")) == expected(overdue)
    assert tickets_in(report.section("returned")) == expected(returned_thrice)
    assert tickets_in(report.section("rejected")) == expected(rejected)
    assert tickets_in(report.section("unsatisfied")) == expected(reopened_twice)
    level_one, level_two, *higher = report.escalations_by_level
    assert [row.ticket_id for row in level_one[2]] == expected(overdue)
    assert [row.ticket_id for row in level_two[2]] == expected(escalated_twice)
    assert all(not rows for _, _, rows in higher)


def test_a_unit_sees_only_its_own_tickets() -> None:
    month = scripted_month()
    report = build_report(month.events, MARCH_1, MARCH_31, unit="water")
    assert tickets_in(report.section("returned")) == [
        month.tickets[day] for day in days_where(returned_thrice, unit="water")
    ]
    assert {row.unit_code for s in report.sections for row in s.rows} == {"water"}


def test_events_outside_the_period_are_left_out() -> None:
    month = scripted_month()
    report = build_report(month.events, MARCH_1, date(2026, 3, 15))
    assert tickets_in(report.section("overdue")) == [
        month.tickets[day] for day in days_where(overdue) if day <= 15
    ]


def test_every_row_links_to_its_replayed_timeline_in_the_appendix() -> None:
    month = scripted_month()
    html = render_html(build_report(month.events, MARCH_1, MARCH_31))
    page = RowsAndAnchors()
    page.feed(html)
    assert page.rows["overdue"] == len(days_where(overdue))
    assert page.rows["escalation-2"] == len(days_where(escalated_twice))
    ticket_links = [link for link in page.links if link.startswith("t-")]
    assert ticket_links and set(ticket_links) <= page.anchors
    assert (
        f"hotline audit replay {month.tickets[4]} --as-of 2026-03-31T23:59:59.999999+08:00" in html
    )


def test_the_report_has_a_print_stylesheet() -> None:
    html = render_html(build_report(scripted_month().events, MARCH_1, MARCH_31))
    assert "@media print" in html and "@page" in html
