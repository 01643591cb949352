"""Dates of therapy exposure for 'at least N weeks since the last dose': stated last-dose dates and
treatment periods decide; the date of a note that mentions a drug historically does not."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import constraint, fact, note, verdict_of

from pipeline.schema import Window

D = dt.date
FOUR_WEEKS = Window(comparator=">=", value=4.0, unit="week", anchor="first_dose")


def _since_last_dose(text: str, quote: str, **kw) -> str:
    n = note(text, date=D(2025, 8, 28), note_type="clinic")
    c = constraint("I1.c1", "anti_pd1", window=FOUR_WEEKS)
    return verdict_of(c, [n], [fact(n, quote, "nivolumab", **kw)], first_dose=D(2025, 9, 1)).verdict


@pytest.mark.parametrize("text,kw,expected", [
    ("He received nivolumab for 4 cycles, last dose 10 July; CT showed progression.", {"historical": True}, "met"),
    ("Got nivolumab q4w Feb-Jul 2025 (last 7/15). CT 8/5 showed progression.", {}, "met"),
    ("Had nivolumab 6 cycles Feb-Jun 2025, last 25/06; scan = progression.", {}, "met"),
    ("nivolumab from 04/2025, most recent dose 12/08/2025, stopped after the MRI.", {"historical": True}, "not_met"),
    ("Continues nivolumab, C5D1 today.", {}, "not_met"),
    ("Progressed after nivolumab.", {"historical": True}, "unknown"),
    ("Prior nivolumab.", {}, "unknown"),
    ("After nivolumab and a phase I investigational drug (last dose 08/20/2025).", {"historical": True}, "unknown"),
])
def test_window_since_last_dose_reads_stated_dates_not_note_dates(text, kw, expected):
    assert _since_last_dose(text, "nivolumab", **kw) == expected


def test_window_since_last_dose_ignores_a_fact_date_before_the_treatment_start():
    n = note("Prior tx: chemoradiation 2023; nivolumab from 04/2025, most recent dose 12/08/2025.", date=D(2025, 8, 26))
    f = fact(n, "nivolumab", "nivolumab", date=D(2023, 1, 1), historical=True, attributes={"start_date": "2025-04-01"})
    c = constraint("I1.c1", "anti_pd1", window=FOUR_WEEKS)
    assert verdict_of(c, [n], [f], first_dose=D(2025, 9, 1)).verdict == "not_met"


@pytest.mark.parametrize("text,kw,expected", [
    ("Pseudoprogression remains possible; we have not confirmed progression.", {"negated": True}, "unknown"),
    ("Pseudoprogression remains possible; we have not confirmed progression.", {}, "unknown"),
    ("Progression not confirmed on biopsy.", {"negated": True}, "unknown"),
    ("No progression.", {"negated": True}, "not_met"),
    ("CT confirmed progression.", {}, "met"),
])
def test_presence_not_confirmed_is_uncertain_not_negated(text, kw, expected):
    n = note(text)
    quote = "progression" if " progression" in text else "Progression"
    f = fact(n, quote, "disease_progression", occurrence=text.count(quote) - 1, **kw)
    assert verdict_of(constraint("I1.c1", "disease_progression"), [n], [f]).verdict == expected


@pytest.mark.parametrize("note_date,expected", [(D(2025, 5, 2), "met"), (D(2025, 8, 25), "not_met")])
def test_window_since_last_dose_an_ongoing_mention_dates_the_exposure_by_its_note(note_date, expected):
    n = note("On nivolumab q2w.", date=note_date, note_type="clinic")
    c = constraint("I1.c1", "anti_pd1", window=FOUR_WEEKS)
    assert verdict_of(c, [n], [fact(n, "nivolumab", "nivolumab")], first_dose=D(2025, 9, 1)).verdict == expected


@pytest.mark.parametrize("text, expected", [
    # the sentence says the participation continues on the day of the note, and no note ends it
    ("She is currently enrolled in a clinical study of an investigational agent (randomised 02/2025).", "unknown"),
    # a dated participation that no word keeps going is over before the window
    ("She was enrolled in a clinical study of an investigational agent (randomised 02/2025).", "not_met"),
])
def test_a_state_said_to_continue_is_not_cleared_by_its_start_date(text, expected):
    from match_builders import screened
    v = screened("Exclusion", "Participation in another clinical trial within 30 days", text,
                 start=D(2025, 6, 1))
    assert v.verdict == expected, v.reason


@pytest.mark.parametrize("line, window, duration", [
    ("Patients on metformin must be on a stable dose for 30 days prior to study entry", None, (">=", 30.0, "day")),
    ("No metformin for 30 days prior to study entry", (">=", 30.0, "day"), None),
])
def test_a_stable_dose_for_a_time_before_entry_is_a_duration_of_use(line, window, duration):
    from pipeline.extract.criteria import parse_criteria_text
    (k,) = parse_criteria_text(f"Inclusion Criteria:\n- {line}\n").criteria[0].constraints
    assert ((k.window.comparator, k.window.value, k.window.unit) if k.window else None) == window
    assert ((k.duration.comparator, k.duration.value, k.duration.unit) if k.duration else None) == duration


def test_a_drug_taken_since_long_ago_is_on_a_stable_dose_for_30_days():
    from match_builders import screened
    v = screened("Inclusion", "Patients on metformin must be on a stable dose for 30 days prior to study entry",
                 "Metformin 500 mg BID since 2019, no changes.", start=D(2025, 8, 1))
    assert v.verdict == "met", v.reason


def test_a_patient_taking_none_of_the_drugs_a_stable_dose_lead_names_meets_it():
    from match_builders import screened
    v = screened("Inclusion", "Patients receiving opioids should have a stable dose for the last 15 days",
                 "Analgesia: paracetamol only. UDS: opiates negative.", start=D(2025, 8, 1))
    assert v.verdict == "met", v.reason


@pytest.mark.parametrize("course", [
    "Last prednisolone course 40 mg x 5 days March 2024 for a chest infection.",
    "Prednisolone 40 mg daily for 5 days in March 2024, stopped.",
])
def test_a_short_course_long_before_the_window_is_no_prolonged_use_inside_it(course):
    from match_builders import screened
    v = screened("Exclusion", "Prolonged use (more than 14 days) of immunosuppressants within 6 months prior to the "
                 "start of the study", course, start=D(2025, 8, 1))
    assert v.verdict == "not_met", v.reason


@pytest.mark.parametrize("note, verdict", [
    ("Left nephrectomy 03/05/2025 for a benign cyst.", "not_met"),
    ("Left nephrectomy 03/01/2024 for a benign cyst.", "met"),
])
def test_a_dated_procedure_is_as_old_as_its_date(note, verdict):
    from match_builders import screened
    v = screened("Inclusion", "Previous nephrectomy (more than 6 month).", note, start=D(2025, 8, 1))
    assert v.verdict == verdict, v.reason


def test_every_drug_after_a_stable_dose_lead_asks_the_stable_duration():
    from pipeline.extract.criteria import parse_criteria_text
    crit = parse_criteria_text("Inclusion Criteria:\n- Must have been on a stable daily dose of weak opioids or strong "
                               "opioids for at least 72 hours prior to the start of the study\n").criteria[0]
    assert [(k.duration.value, k.duration.unit, k.attributes.get("stable_dose")) for k in crit.constraints
            if k.duration] == [(3.0, "day", "true"), (3.0, "day", "true")]


@pytest.mark.parametrize("notes, verdict", [
    (["Meds: oxycodone 10 mg bd since 2024.", "Meds: oxycodone 10 mg bd."], "met"),
    (["Meds: oxycodone 10 mg bd since 2024.", "Meds: oxycodone 20 mg bd."], "unknown"),
])
def test_a_stable_dose_is_counted_from_the_last_change_of_dose(notes, verdict):
    from match_builders import screened
    v = screened("Inclusion", "Patients must be on a stable daily dose of oxycodone for at least 72 hours prior to the "
                 "start of the study", *notes, start=D(2025, 8, 30))
    assert v.verdict == verdict, v.reason


def test_a_dose_changed_on_the_day_of_the_latest_note_counts_from_that_day():
    from match_builders import screened
    v = screened("Inclusion", "Patients must be on a stable daily dose of oxycodone for at least 72 hours prior to the "
                 "start of the study", "Meds: oxycodone 10 mg bd.", "Meds: oxycodone 20 mg bd (increased today from 10 mg bd).",
                 start=D(2025, 8, 31))
    assert v.verdict == "unknown", v.reason
