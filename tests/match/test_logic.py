"""Kleene three-valued logic: a decisive branch is never hidden by an unknown one."""
from __future__ import annotations

import pytest
from match_builders import constraint, criterion

from pipeline.match.logic import MET, NOT_MET, UNKNOWN, Outcome, default_tree, evaluate_tree, tri_and, tri_not, tri_or
from pipeline.schema import LogicNode

V = (MET, NOT_MET, UNKNOWN)

AND_TABLE = {
    (MET, MET): MET, (MET, NOT_MET): NOT_MET, (MET, UNKNOWN): UNKNOWN,
    (NOT_MET, MET): NOT_MET, (NOT_MET, NOT_MET): NOT_MET, (NOT_MET, UNKNOWN): NOT_MET,
    (UNKNOWN, MET): UNKNOWN, (UNKNOWN, NOT_MET): NOT_MET, (UNKNOWN, UNKNOWN): UNKNOWN,
}
OR_TABLE = {
    (MET, MET): MET, (MET, NOT_MET): MET, (MET, UNKNOWN): MET,
    (NOT_MET, MET): MET, (NOT_MET, NOT_MET): NOT_MET, (NOT_MET, UNKNOWN): UNKNOWN,
    (UNKNOWN, MET): MET, (UNKNOWN, NOT_MET): UNKNOWN, (UNKNOWN, UNKNOWN): UNKNOWN,
}


@pytest.mark.parametrize("a,b", [(a, b) for a in V for b in V])
def test_tri_and_follows_kleene_table(a, b):
    assert tri_and([a, b]) == AND_TABLE[(a, b)]


@pytest.mark.parametrize("a,b", [(a, b) for a in V for b in V])
def test_tri_or_follows_kleene_table(a, b):
    assert tri_or([a, b]) == OR_TABLE[(a, b)]


@pytest.mark.parametrize("a,expected", [(MET, NOT_MET), (NOT_MET, MET), (UNKNOWN, UNKNOWN)])
def test_tri_not_swaps_met_and_keeps_unknown(a, expected):
    assert tri_not(a) == expected


def test_evaluate_tree_nested_or_inside_and_keeps_decisive_branch():
    leaves = {"a": Outcome(MET, reason="a"), "b": Outcome(UNKNOWN, reason="b"), "c": Outcome(NOT_MET, reason="c")}
    tree = LogicNode(op="and", args=["a", LogicNode(op="or", args=["b", "a"]), LogicNode(op="not", args=["c"])])
    assert evaluate_tree(tree, leaves.__getitem__).verdict == MET


def test_evaluate_tree_keeps_reason_of_deciding_branch_only():
    leaves = {"a": Outcome(NOT_MET, reason="platelets low"), "b": Outcome(UNKNOWN, reason="ast missing")}
    out = evaluate_tree(LogicNode(op="and", args=["a", "b"]), leaves.__getitem__)
    assert out.reason == "platelets low"


@pytest.mark.parametrize("kind,op", [("inclusion", "and"), ("exclusion", "or")])
def test_default_tree_joins_constraints_by_kind(kind, op):
    cr = criterion("X1", kind, [constraint("X1.c1", "hiv"), constraint("X1.c2", "syphilis")])
    tree = default_tree(cr)
    assert tree is not None and tree.op == op and tree.args == ["X1.c1", "X1.c2"]
