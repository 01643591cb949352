"""'Adequate organ function' without limits is read with the usual limits (models/rules/composites.json): a value
inside them meets it, one outside them goes to review, never to ineligible."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract
from pipeline.match.matcher import match_trial
from pipeline.schema import CONVENTIONAL_LIMIT, Note

AS_OF = dt.date(2025, 9, 1)


def _criterion(line: str):
    return parse_criteria_text(f"Inclusion Criteria:\n- {line}\n").criteria[0]


def test_adequate_organ_function_reads_every_system_with_conventional_limits():
    text = "Inclusion Criteria:\n- Adequate organ function, as evidenced by the laboratory results.\n"
    crit = parse_criteria_text(text).criteria[0]
    assert crit.computable and crit.category == "laboratory"
    assert {c.concept for c in crit.constraints} == {
        "anc", "platelets", "total_bilirubin", "ast", "alt", "creatinine", "creatinine_clearance"}
    assert all(c.attributes["limit"] == CONVENTIONAL_LIMIT for c in crit.constraints)
    assert {text[c.start:c.end] for c in crit.constraints} == {"Adequate organ function"}


@pytest.mark.parametrize("line,systems", [
    ("Adequate hematologic, hepatic, and renal function", {"hematologic", "hepatic", "renal"}),
    ("Adequate renal and hepatic function", {"renal", "hepatic"}),
    ("Adequate bone marrow reserve", {"hematologic"}),
])
def test_only_the_systems_named_are_read(line, systems):
    assert {c.attributes["composite"] for c in _criterion(line).constraints} == systems


def test_stated_limits_are_kept_as_written():
    crit = _criterion("Adequate organ function: ANC >= 1.0 x 10^9/L and platelets >= 75 x 10^9/L")
    assert {c.concept: c.value for c in crit.constraints} == {"anc": 1.0, "platelets": 75.0}
    assert all("limit" not in c.attributes for c in crit.constraints)


def test_unrelated_adequate_wording_is_left_alone():
    crit = _criterion("Adequate contraception during the study")
    assert all("limit" not in c.attributes for c in crit.constraints)


def _verdict(labs: str) -> str:
    trial = parse_criteria_text("Inclusion Criteria:\n- Adequate bone marrow function\n")
    note = Note(patient_id="p", note_id="n", date=dt.date(2025, 8, 20), note_type="progress note",
                text=f"Progress note. Labs 8/20/2025: {labs}.")
    (r,) = match_trial(trial, [note], list(extract([note])), as_of=AS_OF)
    return next(c.verdict for c in r.criteria if c.criterion_id == "I1")


def test_values_inside_the_usual_limits_meet_it():
    assert _verdict("ANC 3.2 x10^9/L, platelets 210 x10^9/L") == "met"


def test_a_value_outside_the_usual_limits_goes_to_review_not_ineligible():
    assert _verdict("ANC 1.2 x10^9/L, platelets 210 x10^9/L") == "unknown"
