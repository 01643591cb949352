"""Sections and sentences over raw note text."""
from __future__ import annotations

import pytest

from pipeline.extract.sections import default_finder, read_rules, section_at
from pipeline.extract.sentences import sentence_spans


def sections(text: str):
    return [(s.category, text[s.header_start:s.header_end]) for s in default_finder().find(text)]


def test_section_rules_file_is_valid():
    rules = read_rules()
    assert {"family_history", "past_medical_history", "assessment_and_plan"} <= {r.category for r in rules}


@pytest.mark.parametrize(
    "text,category",
    [
        ("ASSESSMENT AND PLAN:\nContinue.", "assessment_and_plan"),
        ("Family History: mother with cancer.", "family_history"),
        ("PAST MEDICAL HISTORY\nHypertension.", "past_medical_history"),
        ("Exam normal. PLAN: follow up.", "plan"),
        ("1. HPI: cough for two days.", "history_of_present_illness"),
        ("ALLERGIES - NONE.", "allergies"),
        ("Menstrual History:  POST-MENOPAUSAL", "past_medical_history"),
        ("PAST SURGICAL HISTORY:\nAppendectomy.", "past_surgical_history"),
    ],
)
def test_section_header_is_recognised(text, category):
    assert sections(text)[0][0] == category


def test_unknown_capital_header_closes_previous_section():
    text = "FAMILY HISTORY:\nMother with lupus.\nCARDIAC STATUS:\nStable."
    found = default_finder().find(text)
    assert section_at(found, text.index("Stable")).category == "other"


def test_label_with_value_is_not_a_header():
    assert sections("RPR: nonreactive\nHIV Ab: negative") == []


def test_lowercase_abbreviation_is_not_a_header():
    assert sections("seen with cc: Dr. Smith") == []


def test_inline_header_section_covers_its_line_only():
    text = "Exam ok. FHx: mother with lupus. ECOG 1.\nLabs stable."
    found = default_finder().find(text)
    assert section_at(found, text.index("mother")).category == "family_history"
    assert section_at(found, text.index("Labs")) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Seen by Dr. Smith today. He is well.", ["Seen by Dr. Smith today.", "He is well."]),
        ("Diameter 4.7 cm.2. Normal size ventricle.", ["Diameter 4.7 cm.", "2. Normal size ventricle."]),
        ("Pressure 36 mmHg.DOPPLER: mild regurgitation.", ["Pressure 36 mmHg.", "DOPPLER: mild regurgitation."]),
        ("Hb 112 g/L\nALT 32 U/L", ["Hb 112 g/L", "ALT 32 U/L"]),
        ("He has no fever,\nchills or cough.", ["He has no fever,\nchills or cough."]),
        ("Value was 1.5 today. Next visit.", ["Value was 1.5 today.", "Next visit."]),
        ("COMPLICATIONS:  None    DIAGNOSIS:  1) Polyp  2) Diverticulosis", ["COMPLICATIONS:  None", "DIAGNOSIS:", "1) Polyp", "2) Diverticulosis"]),
    ],
)
def test_sentence_spans(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_section_spaced_dash_header_must_be_capitals():
    assert sections("Allergies - seasonal, mild.") == []
