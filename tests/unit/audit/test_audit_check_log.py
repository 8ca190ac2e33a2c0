"""Verification names how a log was tampered with, from the log, its chain and its heads."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID, uuid4

from hotline.audit.verify import Finding, check_log
from hotline.runtime.chain import ChainEntry, TreeHead, chain_entries, merkle_root

AT = datetime(2026, 3, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Stored:
    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def a_log(count: int) -> list[Stored]:
    ticket = uuid4()
    return [
        Stored(i, ticket, i, "services.x:Ticket.Noted", f'{{"n":{i}}}'.encode())
        for i in range(1, count + 1)
    ]


def head_over(entries: list[ChainEntry]) -> TreeHead:
    return TreeHead(len(entries), merkle_root([e.event_hash for e in entries]), AT)


def kinds(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.kind, f.position) for f in findings]


def test_an_untouched_log_has_no_findings() -> None:
    log = a_log(6)
    chain = chain_entries(log)
    assert check_log("routing", log, chain, [head_over(chain)]) == []


def test_events_past_the_chain_are_pending_not_suspect() -> None:
    log = a_log(6)
    assert check_log("routing", log, chain_entries(log[:4]), []) == []


def test_an_altered_event_is_named_altered() -> None:
    log = a_log(6)
    chain = chain_entries(log)
    log[2] = replace(log[2], state=b'{"n":999}')
    assert kinds(check_log("sla", log, chain, [])) == [("altered", 3)]


def test_a_deleted_event_is_named_deleted() -> None:
    log = a_log(6)
    chain = chain_entries(log)
    del log[3]
    assert kinds(check_log("sla", log, chain, [])) == [("deleted", 4)]


def test_two_swapped_events_are_named_reordered() -> None:
    log = a_log(6)
    chain = chain_entries(log)
    log[1], log[4] = replace(log[4], id=2), replace(log[1], id=5)
    assert kinds(check_log("sla", log, chain, [])) == [("reordered", 2), ("reordered", 5)]


def test_an_event_inserted_into_a_gap_is_named_inserted() -> None:
    log = [e for e in a_log(6) if e.id != 3]  # position 3 was never used (a rollback)
    chain = chain_entries(log)
    forged = Stored(3, uuid4(), 1, "services.x:Ticket.Noted", b'{"forged":true}')
    assert kinds(check_log("sla", sorted([*log, forged], key=lambda e: e.id), chain, [])) == [
        ("inserted", 3)
    ]


def test_an_insertion_that_renumbers_the_rest_is_inserted_then_moved() -> None:
    log = a_log(4)
    chain = chain_entries(log)
    forged = Stored(2, uuid4(), 1, "services.x:Ticket.Noted", b'{"forged":true}')
    shifted = [log[0], forged, *(replace(e, id=e.id + 1) for e in log[1:])]
    assert kinds(check_log("sla", shifted, chain, [])) == [
        ("inserted", 2),
        ("moved", 3),
        ("moved", 4),
        ("moved", 5),
    ]


def test_a_rewritten_chain_entry_breaks_the_link() -> None:
    log = a_log(5)
    chain = chain_entries(log)
    log[1] = replace(log[1], state=b"{}")
    forged = chain_entries([log[1]], chain[0].chain_hash)[0]
    chain[1] = forged
    assert kinds(check_log("sla", log, chain, [])) == [("chain_broken", 3)]


def test_a_chain_rewritten_throughout_no_longer_matches_its_tree_head() -> None:
    log = a_log(5)
    heads = [head_over(chain_entries(log))]
    log[1] = replace(log[1], state=b"{}")
    findings = check_log("sla", log, chain_entries(log), heads)
    assert kinds(findings) == [("tree_head_mismatch", None)]


def test_chain_entries_a_head_covered_that_are_gone_are_named_truncated() -> None:
    log = a_log(5)
    heads = [head_over(chain_entries(log))]
    findings = check_log("sla", log[:3], chain_entries(log[:3]), heads)
    assert kinds(findings) == [("truncated", None)]
