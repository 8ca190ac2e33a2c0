"""RFC 9162 Merkle trees: roots, prefix roots and inclusion proofs."""

from __future__ import annotations

import hashlib

import pytest

from hotline.runtime.chain import (
    inclusion_proof,
    merkle_root,
    node,
    prefix_roots,
    verify_inclusion,
)


def leaves(count: int) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + str(i).encode()).digest() for i in range(count)]


def test_a_tree_of_three_leaves_splits_two_and_one() -> None:
    a, b, c = leaves(3)
    assert merkle_root([a, b, c]) == node(node(a, b), c)


def test_the_empty_tree_is_the_hash_of_nothing() -> None:
    assert merkle_root([]) == hashlib.sha256(b"").digest()


def test_prefix_roots_in_one_pass_equal_the_recursive_roots() -> None:
    items = leaves(70)
    sizes = list(range(1, 71))
    roots = prefix_roots(items, sizes)
    assert all(roots[size] == merkle_root(items[:size]) for size in sizes)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 31])
def test_every_leaf_has_a_proof_that_verifies(size: int) -> None:
    items = leaves(size)
    root = merkle_root(items)
    for index in range(size):
        proof = inclusion_proof(index, items)
        assert verify_inclusion(index, size, items[index], proof, root)


def test_a_proof_for_another_leaf_does_not_verify() -> None:
    items = leaves(13)
    root = merkle_root(items)
    proof = inclusion_proof(4, items)
    assert not verify_inclusion(4, 13, items[5], proof, root)
    assert not verify_inclusion(5, 13, items[4], proof, root)


def test_the_audit_path_of_leaf_zero_in_seven_matches_rfc_9162() -> None:
    """RFC 9162 §2.1.5 example: the path for d0 in a tree of 7 is [c, g, l]."""
    a, b, c, d, e, f, g = leaves(7)
    assert inclusion_proof(0, [a, b, c, d, e, f, g]) == [b, node(c, d), node(node(e, f), g)]
