"""Inclusion bullets that contradict each other are alternatives, decided as a group: one met is enough, and
failing one is no firm evidence while the other is undecided."""
from __future__ import annotations

import datetime as dt

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract
from pipeline.match.alternatives import contradicting_inclusions, open_failed_alternatives
from pipeline.match.matcher import match_trial
from pipeline.match.rank import patient_status
from pipeline.schema import CriterionVerdict, Note

LISTING = ("Inclusion Criteria:\n- Atrial fibrillation and not on oral anticoagulation (OAC) therapy\n"
           "- Atrial fibrillation on sub-optimal OAC\n")


def _result(text: str):
    trial = parse_criteria_text(LISTING)
    n = Note(patient_id="p", note_id="n", date=dt.date(2025, 8, 20), note_type="progress note", text=text)
    (r,) = match_trial(trial, [n], list(extract([n])), as_of=dt.date(2025, 9, 1))
    return r


def test_two_bullets_asking_opposite_things_are_found():
    assert contradicting_inclusions(parse_criteria_text(LISTING)) == {"I1": {"I2"}, "I2": {"I1"}}


def test_meeting_one_alternative_meets_the_group():
    r = _result("Progress note. Atrial fibrillation, on warfarin, INR often subtherapeutic.")
    verdicts = {c.criterion_id: c for c in r.criteria}
    assert verdicts["I2"].verdict == "met"
    assert verdicts["I1"].verdict == "not_met" and "is met: the listing means them as alternatives" in verdicts["I1"].reason
    assert r.status == "eligible" and r.score == 100.0


def test_failing_one_alternative_while_the_other_is_undecided_goes_to_review():
    verdicts = [CriterionVerdict(criterion_id="I1", kind="inclusion", text="a", start=0, end=1, verdict="not_met"),
                CriterionVerdict(criterion_id="I2", kind="inclusion", text="b", start=2, end=3, verdict="unknown")]
    covered = open_failed_alternatives(verdicts, {"I1": {"I2"}, "I2": {"I1"}})
    assert covered == frozenset() and verdicts[0].verdict == "unknown" and "I2 asks the opposite" in verdicts[0].reason
    assert patient_status(verdicts, covered) == "needs_review"


def test_an_alternative_to_a_met_one_counts_as_met_in_the_status_whatever_its_own_verdict():
    verdicts = [CriterionVerdict(criterion_id="I1", kind="inclusion", text="a", start=0, end=1, verdict=v)
                for v in ("unknown",)] + [
        CriterionVerdict(criterion_id="I2", kind="inclusion", text="b", start=2, end=3, verdict="met")]
    covered = open_failed_alternatives(verdicts, {"I1": {"I2"}, "I2": {"I1"}})
    assert covered == {"I1"} and verdicts[0].verdict == "unknown"
    assert patient_status(verdicts) == "needs_review" and patient_status(verdicts, covered) == "eligible"


def test_independent_inclusions_still_fail_firmly():
    trial = parse_criteria_text("Inclusion Criteria:\n- Atrial fibrillation\n- Hypertension\n")
    assert contradicting_inclusions(trial) == {}


COHORTS = ("Inclusion Criteria:\n- RA cohort: Diagnosis of rheumatoid arthritis\n"
           "- OA cohort: Diagnosis of osteoarthritis made by physician.\n- Age 18 or older\n")


def test_inclusions_of_different_cohorts_are_alternatives():
    pairs = contradicting_inclusions(parse_criteria_text(COHORTS))
    assert pairs == {"I1": {"I2"}, "I2": {"I1"}}


def test_a_patient_of_one_cohort_is_not_failed_by_the_other_cohorts_requirements():
    trial = parse_criteria_text(COHORTS)
    n = Note(patient_id="p", note_id="n", date=dt.date(2025, 8, 20), note_type="progress note",
             text="Progress note. 67 yo woman with knee osteoarthritis, no inflammatory arthritis.")
    (r,) = match_trial(trial, [n], list(extract([n])), as_of=dt.date(2025, 9, 1))
    assert r.status == "eligible", [(c.criterion_id, c.verdict, c.reason) for c in r.criteria]
