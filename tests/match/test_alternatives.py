"""Inclusion bullets that contradict each other are alternatives: failing one is no firm evidence while the other
is met or undecided."""
from __future__ import annotations

import datetime as dt

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract
from pipeline.match.alternatives import contradicting_inclusions
from pipeline.match.matcher import match_trial
from pipeline.schema import Note

LISTING = ("Inclusion Criteria:\n- Atrial fibrillation and not on oral anticoagulation (OAC) therapy\n"
           "- Atrial fibrillation on sub-optimal OAC\n")


def _result(text: str):
    trial = parse_criteria_text(LISTING)
    n = Note(patient_id="p", note_id="n", date=dt.date(2025, 8, 20), note_type="progress note", text=text)
    (r,) = match_trial(trial, [n], list(extract([n])), as_of=dt.date(2025, 9, 1))
    return r


def test_two_bullets_asking_opposite_things_are_found():
    assert contradicting_inclusions(parse_criteria_text(LISTING)) == {"I1": {"I2"}, "I2": {"I1"}}


def test_meeting_one_alternative_never_makes_the_patient_ineligible():
    r = _result("Progress note. Atrial fibrillation, on warfarin, INR often subtherapeutic.")
    verdicts = {c.criterion_id: c for c in r.criteria}
    assert verdicts["I1"].verdict == "unknown" and "alternatives" in verdicts["I1"].reason
    assert r.status != "ineligible"


def test_independent_inclusions_still_fail_firmly():
    trial = parse_criteria_text("Inclusion Criteria:\n- Atrial fibrillation\n- Hypertension\n")
    assert contradicting_inclusions(trial) == {}
