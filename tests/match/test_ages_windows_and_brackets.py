"""Readings found on held-out part 7 after its one measurement: infants' ages in months, past mentions with no
date of their own inside a window, sentences saying what may also count, a 'progressive' qualifier, a bare
'class' that is no NYHA class, and a bracket of narrower conditions that says which forms count."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract_text


def _verdict(section: str, criterion: str, *texts: str) -> tuple[str, str]:
    v = screened(section, criterion, *texts, start=dt.date(2026, 8, 18), as_of=dt.date(2026, 9, 1),
                 note_type="clinic letter")
    return v.verdict, v.reason


def _constraints(criterion: str, section: str = "Exclusion"):
    return parse_criteria_text(f"{section} Criteria:\n- {criterion}\n").criteria[0]


@pytest.mark.parametrize("text, age", [("Re: P01 (age 9 months)", 0.75), ("P03 - age 4 1/2 months", 0.375),
                                       ("Patient aged 62, with NSCLC.", 62.0)])
def test_an_age_in_months_is_read_in_months(text, age):
    (f,) = [f for f in extract_text(text, date=dt.date(2026, 8, 18)) if f.concept == "age"]
    assert f.value == age


def test_a_bare_m_after_an_age_limit_is_months():
    assert [(k.value, k.unit) for k in _constraints("Age <1m or > 24 months of age").constraints] == [
        (1.0, "month"), (24.0, "month")]


def test_an_infants_age_from_the_date_of_birth_counts_months():
    assert _verdict("Inclusion", "Age between 1 month and 24 months of age.",
                    "DOB 14/11/2025. Infantile spasms.")[0] == "met"


def test_a_past_mention_without_a_date_is_not_inside_a_window():
    verdict, reason = _verdict("Exclusion", "Myocardial infarction within 6 months", "PMH: h/o MI, CABG.")
    assert verdict == "unknown" and "when is not stated" in reason
    assert _verdict("Exclusion", "Myocardial infarction within 6 months", "Admitted last week with NSTEMI.")[0] == "met"


def test_what_may_also_count_is_not_required():
    crit = _constraints("Failed response to previous trial of two anti-epileptic drugs. In the case of infantile "
                        "spasms this could include a trial of corticosteroids.", "Inclusion")
    assert "corticosteroid" not in [k.concept for k in crit.constraints]


def test_progressive_is_a_qualifier_the_notes_must_state():
    assert _verdict("Exclusion", "Progressive neurological disease", "Dx: epileptic encephalopathy.")[0] == "unknown"
    assert _verdict("Exclusion", "Progressive neurological disease",
                    "Dx: motor neurone disease, progressive weakness.")[0] == "met"


def test_a_bare_class_is_the_nyha_class_only_about_the_heart():
    assert "nyha_class" not in [k.concept for k in _constraints("PVCs in Lown classes 4 or 5").constraints]
    assert [k.concept for k in _constraints("Heart failure class III").constraints] == ["nyha_class"]


def test_a_bracket_of_narrower_forms_with_grades_says_which_forms_count():
    crit = _constraints("Cardiac arrhythmias (2nd and 3rd degree heart block)")
    head = next(k for k in crit.constraints if k.concept == "arrhythmia")
    assert head.attributes.get("defined_by") == "items" and head.id not in str(crit.logic)
    plain = _constraints("Rheumatic disease (RA, SpA, SLE)")
    assert not any(k.attributes.get("defined_by") for k in plain.constraints)


def test_an_investigational_therapy_is_trial_participation_not_any_anticancer_drug():
    crit = _constraints("Patients should have been off other investigational antineoplastic therapy for one month "
                        "prior to entry in this study.", "Inclusion")
    assert [k.concept for k in crit.constraints] == ["clinical_trial_participation"]
