"""Values a report gives only as a bound ('eGFR >90'), values quoted with an earlier date, and drug mentions a
note says were never started."""
from __future__ import annotations

import pytest

from pipeline.extract.facts import extract
from pipeline.match.numeric import beyond

from .match_builders import note, screened


@pytest.mark.parametrize("x,bound,comparator,lo,hi,expected", [
    (90, ">", "<", 50, None, False),      # "eGFR >90" against "CrCl < 50"
    (90, ">", ">=", 60, None, True),      # ... against "eGFR >= 60"
    (90, ">", ">", 100, None, None),      # ... against "eGFR > 100": the limit lies beyond the bound
    (90, ">", ">", 90, None, True),
    (90, ">=", ">", 90, None, None),      # ">= 90" may be exactly 90
    (0.5, "<", "<=", 1.5, None, True),    # "bilirubin < 0.5" against "<= 1.5"
    (0.5, "<", "between", 0.2, 1.0, None),
    (60, ">", "between", 10, 50, False),
])
def test_a_bounded_value_decides_only_when_every_value_it_may_take_agrees(x, bound, comparator, lo, hi, expected):
    assert beyond(x, bound, comparator, lo, hi) is expected


def test_a_bounded_lab_value_clears_an_exclusion_it_lies_beyond():
    v = screened("Exclusion", "Creatinine clearance < 50 mL/min", "Labs: eGFR >90 mL/min/1.73m2")
    assert v.verdict == "not_met" and ">90" in v.reason


def test_a_bounded_lab_value_inside_the_limit_goes_to_review():
    assert screened("Inclusion", "eGFR > 100 mL/min", "Labs: eGFR >90 mL/min/1.73m2").verdict == "unknown"


def test_a_bounded_value_keeps_its_comparator_in_the_evidence():
    n = note("Labs: eGFR >90 mL/min/1.73m2")
    (f,) = [f for f in extract([n]) if f.concept == "creatinine_clearance"]
    assert f.value == 90.0 and f.reading is not None and f.reading.comparator == ">"


def test_a_goal_is_not_a_value():
    assert [f.value for f in extract([note("A1c goal < 7%.")]) if f.concept == "hba1c"] == [None]


def test_a_dxa_table_writes_the_t_score_as_t():
    text = "DXA 26/09/2025\nL1-L4       T -2.7\nFem neck    T -2.6\nTotal hip   T -2.0"
    assert [f.value for f in extract([note(text)]) if f.concept == "bmd_t_score"] == [-2.7, -2.6, -2.0]


def test_a_temperature_written_as_t_is_no_t_score():
    assert not [f for f in extract([note("Vitals: T 37.2 HR 80 BP 120/70")]) if f.concept == "bmd_t_score"]


def test_an_older_result_quoted_in_a_later_note_is_not_the_latest():
    older = "Records: the prior practice sent a 2022 DXA (LS T-score -2.4)."
    newer = "DXA: lumbar spine T-score -2.7."
    v = screened("Inclusion", "T-score according to DXA: <-2.5", newer, older)
    assert v.verdict == "met" and "-2.7" in v.reason


def test_an_equations_year_is_not_when_the_value_was_measured():
    v = screened("Inclusion", "eGFR > 30 ml/min", "eGFR 21 mL/min/1.73m2 (CKD-EPI 2021)")
    assert v.verdict == "not_met" and "2021" not in v.reason


@pytest.mark.parametrize("text", ["Meds: carvedilol 25 mg BID. Clonidine never started - BP controlled.",
                                  "Clonidine was never started.", "Clonidine: not started."])
def test_a_drug_never_started_is_no_exposure(text):
    assert screened("Exclusion", "Patients taking clonidine", text).verdict == "not_met"


def test_never_started_before_the_drug_still_negates_forward_only():
    facts = extract([note("Still on aspirin only - never started a blood thinner.")])
    assert {f.concept: f.negated for f in facts if f.concept in ("aspirin", "anticoagulant")} == {
        "aspirin": False, "anticoagulant": True}


def test_an_aspirin_dose_is_no_asa_class():
    assert not [f for f in extract([note("Meds: carvedilol 25 mg BID, ASA 81.")]) if f.concept == "asa_class"]
    assert [f.value for f in extract([note("Anesthesia: ASA III.")]) if f.concept == "asa_class"] == [3.0]


def test_a_past_course_and_no_further_antibiotics_agree_when_the_present_is_asked():
    course = "Exacerbation in January treated with doxycycline 100 mg for 7 days, completed."
    later = "Recovered; no further antibiotics since completing that course."
    v = screened("Exclusion", "Subjects receiving chronic or prophylactic antibiotic therapy", course, later)
    assert v.verdict == "not_met"


@pytest.mark.parametrize("text,verdict", [("Vitals: Temp 37.1 C, HR 80.", "not_met"),
                                          ("Vitals: temperature 39.0 °C, HR 112.", "met"),
                                          ("Temp 101.9F this morning.", "met")])
def test_a_temperature_limit_reads_either_scale(text, verdict):
    assert screened("Exclusion", "Temperature > 101.5 F", text).verdict == verdict


def test_a_temperature_never_taken_is_left_to_the_screening_visit():
    assert screened("Exclusion", "Temperature > 101.5 F", "Seen for follow-up; no complaints.").verdict == "not_computable"


def test_pulse_oximetry_is_the_oxygen_saturation_the_notes_write():
    v = screened("Inclusion", "Pulse oximetry of 90% or greater on room air", "Vitals: BP 120/70, SpO2 97% on RA.")
    assert v.verdict == "met"


@pytest.mark.parametrize("text,verdict", [("Labs: Hb 11.8 g/dL", "not_met"), ("Labs: Hb 9.8 g/dL", "unknown")])
def test_a_limit_with_a_slipped_decimal_point_may_clear_a_patient_never_exclude_one(text, verdict):
    # 'Hemoglobin <1.05 g/dl' can measure no patient; read as 10.5 g/dL it clears 11.8 and sends 9.8 to review
    v = screened("Exclusion", "Hemoglobin <1.05 g/dl at the time of initiation of therapy", text)
    assert v.verdict == verdict and "decimal point" in v.reason


@pytest.mark.parametrize("text", ["PMH: cholecystectomy 2015.", "Underwent nephrectomy on 2025-08-10."])
def test_no_older_than_a_month_reads_as_within_that_month(text):
    older = screened("Exclusion", "Major surgery no older than 30 days", text)
    within = screened("Exclusion", "Major surgery within 30 days", text)
    assert older.verdict == within.verdict and older.reason == within.reason


def test_a_named_procedure_is_its_own_concept_with_its_code():
    from pipeline.lexicon import load_lexicon

    lex = load_lexicon()
    assert lex.is_a("nephrectomy", "surgery") and lex.get("nephrectomy").codes == {"icd10cm": "Z90.5"}
    assert screened("Exclusion", "Patients with unilateral or bilateral nephrectomy",
                    "PMH: RCC s/p left radical nephrectomy 2017.").verdict != "not_met"


def test_a_percent_of_predicted_written_beside_a_volume_answers_a_limit_in_percent():
    v = screened("Inclusion", "a baseline post-bronchodilator FEV1 < 50% of predicted normal",
                 "Spirometry: post-BD FEV1 1.12 L (41% predicted), FEV1/FVC 0.52.")
    assert v.verdict == "met" and "41" in v.reason


def test_the_ratio_is_not_the_volume():
    from pipeline.extract.mentions import find_mentions

    text = "FEV1/FVC 0.52, FEV1 1.2 L"
    assert [(text[m.start:m.end], m.concept) for m in find_mentions(text)] == [
        ("FEV1/FVC", "fev1_fvc_ratio"), ("FEV1", "fev1")]
    assert screened("Inclusion", "post-bronchodilator FEV1/FVC < 70%", text).verdict == "met"


def test_a_declined_drug_is_no_exposure_and_a_worry_no_event():
    text = "Patient declines anticoagulation - worried about bleeding. Concerned about weight gain on olanzapine."
    facts = {f.concept: f for f in extract([note(text)])}
    assert facts["anticoagulant"].negated
    assert facts["body_weight"].hypothetical
    assert facts["olanzapine"].affirmed  # the worry is the weight gain, not the drug she takes


def test_one_result_given_for_a_list_of_tests_is_each_tests_result():
    facts = extract([note("Anti-HCV, HIV and anti-HDV all negative. HBsAg: negative.")])
    assert {f.concept: f.value for f in facts if f.concept in ("hcv_ab", "hiv", "hbsag")} == {
        "hcv_ab": "negative", "hiv": "negative", "hbsag": "negative"}


def test_dot_leaders_join_a_test_to_its_result():
    text = "SEROLOGY REPORT\nAnti-HCV ................ Nonreactive\nHIV-1/2 Ag/Ab combo ..... Nonreactive\n"
    facts = extract([note(text, note_type="lab report")])
    assert [(f.concept, f.value) for f in facts if f.concept in ("hcv_ab", "hiv")] == [
        ("hcv_ab", "negative"), ("hiv", "negative")]


def test_a_status_written_after_the_drugs_that_treat_a_condition_is_the_conditions():
    text = "- Hypertension - amlodipine 10 mg + losartan 100 mg, well controlled (today 132/80)."
    assert screened("Inclusion", "normal blood pressure or controlled hypertension", text).verdict == "met"
    # another condition between them still keeps its own words
    facts = extract([note("COPD on tiotropium, childhood asthma (inactive).")])
    assert [q.group for f in facts if f.concept == "copd" for q in f.qualifier_cues if q.scope == "context"] == []


@pytest.mark.parametrize("text,verdict", [
    ("Meds: atorvastatin 20 mg. Celecoxib held since 08/10/25.", "met"),       # stopped three weeks before the start
    ("Meds: atorvastatin 20 mg. Celecoxib held since 08/29/25.", "unknown"),   # three days: too late to tell
    ("Meds: celecoxib 200 mg daily.", "unknown"),                              # may still be stopped in time
])
def test_a_drug_stopped_long_enough_before_the_start_is_no_use_in_that_time(text, verdict):
    v = screened("Inclusion", "No use of non-steroid anti-inflammatory agent one week before operation", text)
    assert v.verdict == verdict


@pytest.mark.parametrize("text,verdict", [("Labs: eGFR 75 mL/min/1.73m2. PMH: HTN.", "not_met"),
                                          ("PMH: CKD. eGFR 38 mL/min.", "met")])
def test_a_chronic_kidney_disease_stage_is_the_egfrs_kdigo_category(text, verdict):
    v = screened("Exclusion", "chronic kidney disease stage III-V", text)
    assert v.verdict == verdict and "mL/min on" not in v.reason  # a stage, not a clearance
