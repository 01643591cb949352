"""Patient status rules and the coordinator's ranking."""
from __future__ import annotations

import pytest

from pipeline.lexicon import load_lexicon
from pipeline.match.rank import patient_status, rank_results, score_and_reasons, status_of_verdict_map, unknown_cost
from pipeline.schema import CriterionVerdict, PatientResult


def v(cid: str, kind: str, verdict: str) -> CriterionVerdict:
    return CriterionVerdict(criterion_id=cid, kind=kind, text=cid, start=0, end=1, verdict=verdict)


@pytest.mark.parametrize("verdicts,expected", [
    ([v("I1", "inclusion", "met"), v("E1", "exclusion", "not_met")], "eligible"),
    ([v("I1", "inclusion", "met"), v("E1", "exclusion", "not_met"), v("E2", "exclusion", "not_computable")], "eligible"),
    ([v("I1", "inclusion", "not_met"), v("E1", "exclusion", "unknown")], "ineligible"),
    ([v("I1", "inclusion", "met"), v("E1", "exclusion", "met")], "ineligible"),
    ([v("I1", "inclusion", "unknown"), v("E1", "exclusion", "not_met")], "needs_review"),
    ([v("I1", "inclusion", "met"), v("E1", "exclusion", "unknown")], "needs_review"),
])
def test_patient_status_rules(verdicts, expected):
    assert patient_status(verdicts) == expected


def _result(pid: str, status: str, score: float) -> PatientResult:
    return PatientResult(patient_id=pid, status=status, score=score)


def test_rank_orders_eligible_then_review_then_ineligible():
    ranked = rank_results([_result("A", "ineligible", 5), _result("B", "needs_review", 50), _result("C", "eligible", 100)])
    assert [(r.patient_id, r.rank) for r in ranked] == [("C", 1), ("B", 2), ("A", 3)]


def test_rank_ties_broken_by_patient_id():
    ranked = rank_results([_result("P2", "needs_review", 50), _result("P10", "needs_review", 50), _result("P1", "needs_review", 50)])
    assert [r.patient_id for r in ranked] == ["P1", "P10", "P2"]


def test_rank_cheap_unknowns_score_above_costly_ones():
    lex = load_lexicon()
    cheap = [unknown_cost(None, ["platelets"], lex, "I8")]
    costly = [unknown_cost(None, ["p16_status"], lex, "I4")]
    verdicts = [v("I1", "inclusion", "unknown")]
    assert score_and_reasons("needs_review", verdicts, cheap)[0] > score_and_reasons("needs_review", verdicts, costly)[0]


def test_rank_fewer_unknowns_score_higher():
    lex = load_lexicon()
    one = [unknown_cost(None, ["platelets"], lex, "I8")]
    two = one + [unknown_cost(None, ["ast"], lex, "I9")]
    verdicts = [v("I1", "inclusion", "unknown")]
    assert score_and_reasons("needs_review", verdicts, one)[0] > score_and_reasons("needs_review", verdicts, two)[0]


def test_rank_reasons_name_unknowns_with_kind_and_cost():
    lex = load_lexicon()
    unknowns = [unknown_cost(None, ["p16_status"], lex, "I4"), unknown_cost(None, ["platelets"], lex, "I8")]
    _, reasons = score_and_reasons("needs_review", [v("I4", "inclusion", "unknown")], unknowns)
    assert reasons == ["2 unknowns: platelets (lab, cheap), p16 status (pathology, costly)"]


@pytest.mark.parametrize(
    "verdicts,status",
    [
        ({"I1": "met", "E1": "not_met"}, "eligible"),
        ({"I1": "met", "I2": "not_computable", "E1": "not_met"}, "eligible"),
        ({"I1": "not_met", "E1": "unknown"}, "ineligible"),
        ({"I1": "met", "E1": "met"}, "ineligible"),
        ({"I1": "unknown", "E1": "not_met"}, "needs_review"),
        ({"I1": "met", "E1": "unknown"}, "needs_review"),
    ],
)
def test_rank_status_of_verdict_map_follows_the_status_rule(verdicts, status):
    assert status_of_verdict_map(verdicts) == status
