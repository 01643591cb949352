"""A measure outside the lexicon ('PASI score >= 12', 'DAS28 > 5.1'): the number the notes write right after its
name is its value. Read by words rather than by a fact, it may clear a patient but never exclude one."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract
from pipeline.extract.textsearch import phrase_value
from pipeline.match.matcher import match_trial
from pipeline.schema import Note


def _verdict(section: str, criterion: str, *texts: str) -> tuple[str, str]:
    v = screened(section, criterion, *texts, start=dt.date(2025, 8, 1))
    return v.verdict, v.reason


@pytest.mark.parametrize("criterion, measure", [
    ("PASI score >= 12", "pasi"),
    ("YMRS total score < 12", "ymrs"),
    ("DAS28 > 5.1", "das28"),
    ("Oswestry Disability Index > 30", "oswestry disability"),
])
def test_a_limit_on_an_unknown_measure_records_its_name(criterion, measure):
    (k,) = parse_criteria_text(f"Inclusion Criteria:\n- {criterion}\n").criteria[0].constraints
    assert k.attributes.get("measure") == measure


def test_a_phrase_with_a_unit_is_no_measure():
    (k,) = parse_criteria_text("Inclusion Criteria:\n- Viral load >= 10000 copies/mL\n").criteria[0].constraints
    assert "measure" not in k.attributes


@pytest.mark.parametrize("text, name, value", [
    ("Exam: PASI 14.2, BSA 18%.", "PASI", 14.2),
    ("IIEF-5 score: 14 (moderate)", "IIEF-5", 14.0),
    ("Hoehn and Yahr stage II on levodopa", "Hoehn and Yahr", 2.0),
    ("MMSE 24/30 today", "MMSE", 24.0),
    ("PASI improved from 14 to 6", "PASI", None),
    ("PASI on 03/05/2025", "PASI", None),
    ("pasireotide 20 mg daily", "pasi", None),
])
def test_the_value_is_the_number_written_right_after_the_name(text, name, value):
    start = text.find(name)
    assert phrase_value(text, start, start + len(name))[0] == value


def test_an_inclusion_is_met_by_a_value_inside_its_limit_and_quotes_it():
    trial = parse_criteria_text("Inclusion Criteria:\n- PASI score >= 12\n")
    note = Note(patient_id="p", note_id="n", date=dt.date(2025, 8, 20), note_type="progress note",
                text="Exam: plaques on elbows. PASI 14.2, BSA 18%.")
    (r,) = match_trial(trial, [note], list(extract([note])), as_of=dt.date(2025, 9, 1))
    v = r.criteria[0]
    assert v.verdict == "met"
    assert [note.text[e.start:e.end] for e in v.evidence] == ["PASI 14.2"]


def test_a_value_against_the_patient_goes_to_review():
    assert _verdict("Inclusion", "PASI score >= 12", "Exam: PASI 8 today.")[0] == "unknown"
    assert _verdict("Exclusion", "DAS28 > 5.1", "Rheumatology: DAS28 6.2, high activity.")[0] == "unknown"


def test_an_exclusion_is_not_met_by_a_value_on_the_right_side():
    assert _verdict("Exclusion", "DAS28 > 5.1", "Rheumatology: DAS28 3.2, low activity.")[0] == "not_met"


def test_the_latest_value_decides():
    verdict, reason = _verdict("Inclusion", "PASI score >= 12", "PASI 8.", "Flare. PASI 15.5 today.")
    assert verdict == "met" and "15.5" in reason


def test_a_negated_mention_gives_no_value():
    assert _verdict("Inclusion", "PASI score >= 12", "No PASI 14 documented; PASI not done.")[0] == "unknown"


def test_a_bare_equals_on_an_unknown_measure_decides_nothing():
    """'PASI = 10' may be a lost >= or <=; a measure outside the lexicon has no normal range to tell which."""
    assert _verdict("Exclusion", "PASI = 10", "Exam: PASI 14.")[0] == "unknown"


@pytest.mark.parametrize("criterion, condition, measure", [
    ("Subjects with moderate atopic dermatitis (SCORAD score > 20)", "atopic_dermatitis", "scorad"),
    ("Major depressive disorder (PHQ-9 > 10)", "depression", "phq-9"),
])
def test_a_measure_named_in_brackets_after_a_condition_takes_the_value(criterion, condition, measure):
    ks = parse_criteria_text(f"Inclusion Criteria:\n- {criterion}\n").criteria[0].constraints
    by = {k.concept: k for k in ks}
    assert by[condition].comparator == "present"
    assert [k.attributes.get("measure") for k in ks if k.concept != condition] == [measure]


def test_a_bracketed_description_after_a_condition_is_still_no_measure():
    ks = parse_criteria_text("Inclusion Criteria:\n- ECOG 0-2 (patients that spend less than 50% of time in bed)\n"
                             ).criteria[0].constraints
    assert {k.concept for k in ks} == {"ecog"}


def test_the_condition_and_the_bracketed_measure_decide_together():
    line = "Moderate atopic dermatitis (SCORAD score > 20)"
    met = screened("Inclusion", line, "Atopic dermatitis, flexural. SCORAD 39.1 today.")
    assert met.verdict == "met"
    unmeasured = screened("Inclusion", line, "Atopic dermatitis, flexural, moderate.")
    assert unmeasured.verdict == "unknown"
    assert "a value must be measured" in unmeasured.reason


@pytest.mark.parametrize("criterion", [
    "Average pain intensity greater than 4 on a 11 points NRS",
    "Pain score greater than 4 on an 11-point NRS",
    "NRS pain score greater than 4 (0-10 NRS)",
])
def test_the_size_of_a_rating_scale_is_no_limit(criterion):
    ks = parse_criteria_text(f"Inclusion Criteria:\n- {criterion}\n").criteria[0].constraints
    assert [(k.comparator, k.value) for k in ks if k.value is not None] == [(">", 4.0)]
