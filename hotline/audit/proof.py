"""`hotline audit proof`: an RFC 9162 inclusion proof for one stored event.

The leaf is recomputed from the event as stored now, so a proof for an altered event
does not verify; the root is the latest recorded tree head of the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline.audit.stores import opened
from hotline.runtime.chain import chain_store, event_hash, inclusion_proof, verify_inclusion
from hotline.settings import Settings


class ProofUnavailable(LookupError):
    """No proof can be given (no such event, or no tree head covers it yet)."""


@dataclass(frozen=True)
class InclusionProof:
    service: str
    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    audit_path: tuple[bytes, ...]
    root_hash: bytes
    verified: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "position": self.position,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash.hex(),
            "audit_path": [step.hex() for step in self.audit_path],
            "root_hash": self.root_hash.hex(),
            "verified": self.verified,
        }


def prove(settings: Settings, service: str, position: int) -> InclusionProof:
    store = chain_store(settings, service)
    store.create_tables()
    heads = store.heads()
    if not heads:
        raise ProofUnavailable(f"{service} has recorded no tree head yet")
    head = heads[-1]
    covered = store.entries()[: head.tree_size]
    leaves = [entry.event_hash for entry in covered]
    positions = [entry.position for entry in covered]
    if position not in positions:
        raise ProofUnavailable(
            f"{service} position {position} is not covered by the latest tree head "
            f"(size {head.tree_size})"
        )
    with opened(settings, service) as application:
        batch = application.notifications_after(position - 1, 1)
    stored = batch[0] if batch else None
    if stored is None or stored.id != position:
        raise ProofUnavailable(f"{service} has no stored event at position {position}")
    index = positions.index(position)
    leaf = event_hash(stored)
    path = inclusion_proof(index, leaves)
    return InclusionProof(
        service=service,
        position=position,
        leaf_index=index,
        tree_size=head.tree_size,
        leaf_hash=leaf,
        audit_path=tuple(path),
        root_hash=head.root_hash,
        verified=verify_inclusion(index, head.tree_size, leaf, path, head.root_hash),
    )
