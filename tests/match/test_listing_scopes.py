"""Listing phrasing found on the eighth held-out part after its one-time measurement: a 'non-' prefix negates its own
word, 'cannot stop X' asks X taken, and an inclusion for a narrower age range is one way in among others."""
from __future__ import annotations

import datetime as dt

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract
from pipeline.match.matcher import match_trial
from pipeline.schema import Note

from .match_builders import screened


def _constraints(section: str, line: str) -> dict[str, bool]:
    (crit,) = parse_criteria_text(f"{section} Criteria:\n- {line}\n").criteria
    return {k.concept: k.negated for k in crit.constraints}


def test_a_non_prefix_negates_its_own_word_only():
    got = _constraints("Inclusion", "Males or non-pregnant, non-nursing females between the ages of 2-65 years")
    assert got["pregnancy"] is True and got["age"] is False
    assert screened("Inclusion", "Males or non-pregnant, non-nursing females between the ages of 2-65 years",
                    "34 yo woman, urine hCG negative, not breastfeeding.").verdict != "not_met"


def test_cannot_stop_a_treatment_asks_the_treatment_taken():
    got = _constraints("Exclusion", "Subjects who can not stop treatment with oral antibiotics or immunosuppressive drugs")
    assert got == {"antibiotic": False, "immunosuppressant": False}
    assert screened("Exclusion", "Subjects who can not stop treatment with oral antibiotics",
                    "No antibiotics. No regular medications.").verdict == "not_met"


def test_a_narrower_age_range_is_a_subgroup_not_a_requirement():
    listing = ("Inclusion Criteria:\n- Males or females between the ages of 2-65 years\n"
               "- Positive tuberculin skin test\n"
               "- Children 2-5 years with negative TSTs who have been in close contact with active TB\n")
    note = Note(patient_id="p", note_id="n", date=dt.date(2026, 10, 1), note_type="progress note",
                text="34 yo man. TST 14 mm, positive. No contact with TB.")
    (result,) = match_trial(parse_criteria_text(listing), [note], list(extract([note])), as_of=dt.date(2026, 11, 2))
    third = result.criteria[2]
    # the subgroup's bullet fails, and the broader one is met: the group of alternatives is met
    assert third.verdict == "not_met" and "is met: the listing means them as alternatives" in third.reason
    assert result.status != "ineligible"
