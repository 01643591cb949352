"""'Currently receiving' a therapy: only evidence of ongoing administration counts; past and planned
drugs do not; a documented history that is all past decides not met; an unclear mention stays unknown."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import constraint, criterion, fact, note, trial

from match_builders import match_extracted as match_trial

D = dt.date
E2_TEXT = "Patients who are currently receiving antineoplastic therapy."


def _current_verdict(text: str, drug: str, concept: str, *, date: D = D(2025, 8, 26), **kw) -> str:
    n = note(text, date=date, note_type="clinic")
    cr = criterion("E1", "exclusion", [constraint("E1.c1", "anticancer_therapy")], text=E2_TEXT, category="prior_therapy")
    (r,) = match_trial(trial(cr), [n], [fact(n, drug, concept, **kw)], as_of=D(2025, 9, 1))
    return r.criteria[0].verdict


@pytest.mark.parametrize("text,drug,concept,kw,expected", [
    ("Continues pembrolizumab, C3D1 today.", "pembrolizumab", "pembrolizumab", {}, "met"),
    ("Currently on cetuximab weekly.", "cetuximab", "cetuximab", {}, "met"),
    ("Remains on 2L docetaxel q3w.", "docetaxel", "docetaxel", {}, "met"),
    ("Switched to docetaxel 30 mg/m2 weekly, started last week.", "docetaxel", "docetaxel", {}, "met"),
    ("Pembrolizumab x6 cycles, last dose 10 August.", "Pembrolizumab", "pembrolizumab", {}, "met"),
    ("Pembrolizumab x6 cycles, last dose 10 June, stopped for progression.", "Pembrolizumab", "pembrolizumab", {}, "not_met"),
    ("Keytruda, last dose 3 June.", "Keytruda", "pembrolizumab", {}, "not_met"),
    ("2023 definitive CRT (cisplatin x3).", "cisplatin", "cisplatin", {}, "not_met"),
    ("Recurrent SCC (resected 2022, adjuvant CRT with weekly cisplatin).", "cisplatin", "cisplatin", {}, "not_met"),
    ("Progressed on nivolumab.", "nivolumab", "nivolumab", {}, "not_met"),
    ("Had nivolumab Feb-Jun 2025.", "nivolumab", "nivolumab", {}, "not_met"),
    ("Nivolumab given.", "Nivolumab", "nivolumab", {"historical": True}, "not_met"),
    ("Nivolumab given.", "Nivolumab", "nivolumab", {"attributes": {"last_dose_date": "2025-06-01"}}, "not_met"),
    ("Will offer cetuximab next visit.", "cetuximab", "cetuximab", {}, "not_met"),
    ("Received pembrolizumab C3D1 today.", "pembrolizumab", "pembrolizumab", {}, "met"),
    ("Pembrolizumab, stopped today for colitis.", "Pembrolizumab", "pembrolizumab", {}, "not_met"),
    ("Hypothyroidism (post-immunotherapy).", "immunotherapy", "immunotherapy", {}, "not_met"),
    ("Imaging to assess response to immunotherapy.", "immunotherapy", "immunotherapy", {}, "unknown"),
    ("Imaging today to assess current response to immunotherapy.", "immunotherapy", "immunotherapy", {}, "unknown"),
])
def test_current_therapy_needs_evidence_of_ongoing_use(text, drug, concept, kw, expected):
    assert _current_verdict(text, drug, concept, **kw) == expected


@pytest.mark.parametrize("statement,expected", [
    ("Not on any anticancer treatment at present.", "not_met"),
    ("Off all tx since 1 Jul.", "not_met"),
    ("No systemic therapy since June.", "not_met"),
    ("No other anticancer therapy ongoing.", "unknown"),
    ("No radiation therapy since 2020.", "unknown"),
])
def test_current_therapy_statement_of_no_current_treatment_decides(statement, expected):
    text = "Imaging to assess response to immunotherapy. " + statement
    assert _current_verdict(text, "immunotherapy", "immunotherapy") == expected


def test_current_therapy_later_note_naming_it_as_past_settles_an_unclear_mention():
    n1 = note("Indication: immunotherapy response assessment.", nid="n1", date=D(2025, 8, 12), note_type="radiology")
    n2 = note("Pembrolizumab 8 cycles, last 22/07/2025; she chose to stop.", nid="n2", date=D(2025, 8, 25), note_type="clinic")
    facts = [fact(n1, "immunotherapy", "immunotherapy"), fact(n2, "Pembrolizumab", "pembrolizumab", historical=True)]
    cr = criterion("E1", "exclusion", [constraint("E1.c1", "anticancer_therapy")], text=E2_TEXT, category="prior_therapy")
    (r,) = match_trial(trial(cr), [n1, n2], facts, as_of=D(2025, 9, 1))
    assert r.criteria[0].verdict == "not_met"


def test_current_therapy_stop_word_of_another_drug_does_not_end_this_one():
    n = note("Continues pembrolizumab, cisplatin stopped.", date=D(2025, 8, 26), note_type="clinic")
    facts = [fact(n, "pembrolizumab", "pembrolizumab"), fact(n, "cisplatin", "cisplatin")]
    cr = criterion("E1", "exclusion", [constraint("E1.c1", "anticancer_therapy")], text=E2_TEXT, category="prior_therapy")
    (r,) = match_trial(trial(cr), [n], facts, as_of=D(2025, 9, 1))
    assert r.criteria[0].verdict == "met"


def _incl_current(notes: list[tuple[D, str]]) -> str:
    from pipeline.extract.criteria import parse_criteria_text
    from pipeline.extract.facts import extract
    from pipeline.match.matcher import match_trial as match_parsed

    t = parse_criteria_text("Inclusion Criteria:\n- Currently receiving treatment with an atypical antipsychotic\n")
    ns = [note(text, date=d, note_type="clinic", nid=f"n{i}") for i, (d, text) in enumerate(notes)]
    (r,) = match_parsed(t, ns, list(extract(ns)), as_of=D(2025, 12, 1))
    return r.criteria[0].verdict


@pytest.mark.parametrize("text", ["Takes risperidone every night himself.",
                                  "Recommend continuing risperidone 4 mg qHS; no change.",
                                  "- risperidone 4 mg tab at bedtime -- last fill 11/03/2025, #30"])
def test_a_drug_taken_now_is_current_in_any_of_these_words(text):
    assert _incl_current([(D(2025, 11, 20), text)]) == "met"


def test_a_first_generation_antipsychotic_is_no_atypical_one():
    assert _incl_current([(D(2025, 11, 20), "Continue haloperidol 5 mg BID.")]) == "unknown"
    assert _incl_current([(D(2025, 11, 20), "Continue aripiprazole 10 mg daily.")]) == "met"


def test_current_use_in_the_latest_note_months_ago_is_no_evidence_it_stopped():
    assert _incl_current([(D(2025, 9, 1), "Taking quetiapine 300 mg BID. Plan: continue quetiapine.")]) == "unknown"
    assert _incl_current([(D(2025, 9, 1), "Taking quetiapine 300 mg BID."),
                          (D(2025, 11, 20), "Clinic note. Meds: sertraline 50 mg daily.")]) == "not_met"


@pytest.mark.parametrize("line, note", [
    ("Currently surgically sterile or postmenopausal", "PMH: HTN. PSH: s/p hysterectomy 2009, tubal ligation 1998."),
    ("Current hysterectomy status", "PSH: s/p total abdominal hysterectomy in 2009."),
])
def test_a_procedure_with_a_lasting_status_is_the_present_state(line, note):
    from match_builders import screened
    v = screened("Inclusion", line, note)
    assert v.verdict == "met", v.reason


def test_a_past_course_of_a_drug_is_still_no_present_use():
    from match_builders import screened
    v = screened("Inclusion", "Currently receiving metformin", "Metformin 2015-2018, stopped for GI upset.")
    assert v.verdict != "met", v.reason
