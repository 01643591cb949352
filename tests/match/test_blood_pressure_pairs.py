"""A blood pressure is written as a pair ('BP 150/105'): the notes' second number is the diastolic, and a
listing's pair limit asks each part ('> 160/100': either above; '<= 140/90': both below)."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract_text


def _verdict(section: str, criterion: str, text: str) -> str:
    return screened(section, criterion, text).verdict


def test_the_second_number_of_a_blood_pressure_is_kept():
    (f,) = [f for f in extract_text("Home BP 130/78.", date=dt.date(2025, 8, 20)) if f.concept == "blood_pressure"]
    assert (f.value, f.reading.second_value) == (130.0, 78.0)


def test_a_pair_limit_asks_each_part():
    crit = parse_criteria_text("Exclusion Criteria:\n- BP > 150/95\n").criteria[0]
    assert [(k.concept, k.value) for k in crit.constraints] == [("systolic_bp", 150.0), ("diastolic_bp", 95.0)]
    assert crit.logic.op == "or"


@pytest.mark.parametrize("section, criterion, text, verdict", [
    ("Exclusion", "BP > 150/95", "Exam: BP 142/98.", "met"),
    ("Exclusion", "BP > 150/95", "Exam: BP 142/88.", "not_met"),
    ("Inclusion", "Blood pressure <= 140/90 mmHg", "Exam: BP 132/94.", "not_met"),
    ("Inclusion", "Blood pressure <= 140/90 mmHg", "Exam: BP 132/84 mmHg.", "met"),
    ("Inclusion", "Diastolic blood pressure < 90 mmHg", "Exam: BP 130/78, HR 68.", "met"),
])
def test_each_part_is_compared_with_its_own_limit(section, criterion, text, verdict):
    assert _verdict(section, criterion, text) == verdict
