"""'Family history of X' asks a relative's X, not the patient's; 'personal or family history of X' asks either.
The lead-in's words are no concepts of their own."""
from __future__ import annotations

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text


def _verdict(criterion: str, text: str) -> str:
    return screened("Exclusion", criterion, text).verdict


def _constraints(criterion: str):
    return parse_criteria_text(f"Exclusion Criteria:\n- {criterion}\n").criteria[0].constraints


def test_the_lead_in_marks_whose_condition_it_is_and_is_no_concept():
    (k,) = _constraints("Personal or family history of medullary thyroid carcinoma")
    assert (k.concept, k.attributes.get("family")) == ("thyroid_cancer", "either")
    own, relative = _constraints("History of stroke or family history of long QT syndrome")
    assert "family" not in own.attributes and relative.attributes.get("family") == "true"


@pytest.mark.parametrize("text, verdict", [
    ("PMH: HTN. FHx: mother had medullary thyroid cancer.", "met"),
    ("PMH: papillary thyroid cancer, thyroidectomy 2015.", "met"),
    ("PMH: HTN, hyperlipidaemia. Family history noncontributory.", "not_met"),
])
def test_personal_or_family_history_asks_either(text, verdict):
    assert _verdict("Personal or family history of medullary thyroid carcinoma", text) == verdict


@pytest.mark.parametrize("text, verdict", [
    ("PMH: long QT syndrome on beta-blocker. FHx: none.", "not_met"),
    ("PMH: HTN. FHx: brother with long QT syndrome.", "met"),
])
def test_a_family_history_is_a_relatives_condition(text, verdict):
    assert _verdict("Family history of long QT syndrome", text) == verdict


def test_a_quoted_severity_word_is_no_concept():
    crit = "Agitation for which the severity as assessed by the NPI is 'Moderate' or 'Marked'"
    assert all("moderate" not in k.concept for k in _constraints(crit))
