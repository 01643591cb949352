"""Signed scores (bone density T-scores), a window written as '(<5 years)', a prior-treatment list with an allowed
class, and an older value that a newer, unreadable report supersedes."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract, extract_text
from pipeline.match.matcher import match_trial
from pipeline.schema import Note

AS_OF = dt.date(2025, 11, 1)


def _verdict(criterion: str, *notes: tuple[str, str], kind: str = "Inclusion") -> str:
    trial = parse_criteria_text(f"{kind} Criteria:\n- {criterion}\n")
    ns = [Note(patient_id="p", note_id=f"n{i}", date=dt.date.fromisoformat(d), note_type="clinic note", text=t)
          for i, (d, t) in enumerate(notes)]
    (r,) = match_trial(trial, ns, list(extract(ns)), as_of=AS_OF)
    return r.criteria[0].verdict


@pytest.mark.parametrize("text,value", [("DXA: femoral neck T-score -2.6.", -2.6), ("T score: −3.1 (lumbar spine)", -3.1),
                                        ("T-score at the hip -1.8, Z-score -0.9", -1.8)])
def test_a_t_score_keeps_its_sign(text, value):
    assert [f.value for f in extract_text(text, date=AS_OF) if f.concept == "bmd_t_score"] == [value]


def test_one_site_below_the_limit_is_enough():
    note = ("2025-06-01", "DXA report. Lumbar spine T-score -1.9. Femoral neck T-score -2.8.")
    assert _verdict("T-score according to DXA: <-2.5", note) == "met"


def test_a_malignancy_older_than_the_parenthesised_window_does_not_exclude():
    note = ("2025-06-01", "PMH: breast cancer 2012, lumpectomy and radiotherapy, no recurrence.")
    assert _verdict("Malignancies (<5 years)", note, kind="Exclusion") == "not_met"


def test_past_exposure_to_a_listed_prior_treatment_excludes_even_with_an_allowed_class_beside_it():
    note = ("2025-06-01", "Osteoporosis. Prolia 60 mg every 6 months 2018-2021, then alendronate since 2022.")
    crit = "bone-specific pretreatment (denosumab, teriparatide, SERMs) Bisphosphonate treatment is allowed"
    assert _verdict(crit, note, kind="Exclusion") == "met"


def test_the_allowed_class_alone_does_not_exclude():
    note = ("2025-06-01", "Osteoporosis on alendronate since 2022. Never received denosumab or teriparatide.")
    crit = "bone-specific pretreatment (denosumab, teriparatide, SERMs) Bisphosphonate treatment is allowed"
    assert _verdict(crit, note, kind="Exclusion") == "not_met"


def test_an_older_value_is_no_firm_evidence_when_a_newer_report_names_the_measure_unreadably():
    old = ("2022-06-14", "DXA: femoral neck T-score -2.4.")
    new = ("2025-05-20", "DXA report.\nSite    BMD    T-score    Z-score\nL1-L4   1.021  see comment")
    assert _verdict("T-score according to DXA: <-2.5", old) == "not_met"
    assert _verdict("T-score according to DXA: <-2.5", old, new) == "unknown"


def test_a_broader_class_named_in_the_notes_does_not_clear_an_exclusion_by_silence():
    note = ("2025-06-01", "PMH: asthma. Pneumococcal vaccine 03/2023 at the pharmacy, product unknown.")
    assert _verdict("History of PCV-13 vaccination", note, kind="Exclusion") == "unknown"
    assert _verdict("History of PCV-13 vaccination", ("2025-06-01", "PMH: asthma. Prevnar 13 in 2019."),
                    kind="Exclusion") == "met"
    assert _verdict("History of PCV-13 vaccination", ("2025-06-01", "PMH: asthma. Flu shot yearly."),
                    kind="Exclusion") == "not_met"


def test_a_class_word_after_a_member_completes_it():
    crit = parse_criteria_text("Exclusion Criteria:\n- History of PCV-13 vaccination\n").criteria[0]
    assert [k.concept for k in crit.constraints] == ["pcv13"]


@pytest.mark.parametrize("text", ["34-year-old woman. Urine pregnancy test negative.",
                                  "34-year-old woman. Negative pregnancy test today.",
                                  "34-year-old woman. POC urine hCG: NEGATIVE."])
def test_a_negative_pregnancy_test_clears_pregnancy(text):
    assert _verdict("Pregnant or breastfeeding women", ("2025-10-20", text), kind="Exclusion") == "not_met"


@pytest.mark.parametrize("text,verdict", [("45-year-old woman. PMH: hysterectomy 2019 for fibroids.", "not_met"),
                                          ("48-year-old woman, postmenopausal since 2022.", "not_met"),
                                          ("45-year-old woman. Tubal ligation 2012.", "unknown")])
def test_a_hysterectomy_or_the_menopause_rules_out_pregnancy_and_a_tubal_ligation_does_not(text, verdict):
    assert _verdict("Pregnant or breastfeeding women", ("2025-10-20", text), kind="Exclusion") == verdict


def test_a_positive_pregnancy_test_is_pregnancy():
    assert _verdict("Pregnant women", ("2025-10-20", "29-year-old woman. Urine pregnancy test positive."),
                    kind="Exclusion") == "met"


def test_a_denied_hiv_history_clears_an_hiv_exclusion():
    note = ("2025-10-20", "PMH: asthma. No h/o DM, CHF, CKD, HIV, immune deficiency.")
    assert _verdict("Human Immunodeficiency Virus (HIV)", note, kind="Exclusion") == "not_met"


def test_an_exception_in_words_elsewhere_in_the_notes_does_not_doubt_the_main_condition():
    note = ("2025-08-04", "Axis I: MDD, recurrent; 303.90 Alcohol dependence; 305.1 Nicotine dependence.")
    assert _verdict("DSM-IV-TR substance-related disorders (except nicotine)", note, kind="Exclusion") == "met"


@pytest.mark.parametrize("text,verdict", [("PMH: prostate cancer on active surveillance, never treated.", "met"),
                                          ("PMH: colon cancer, resected 2017, no recurrence.", "not_met"),
                                          ("PMH: melanoma.", "unknown")])
def test_an_untreated_condition_needs_words_saying_it_was_not_treated(text, verdict):
    assert _verdict("Untreated malignancy", ("2025-10-20", text), kind="Exclusion") == verdict


def test_menopause_dated_years_ago_is_still_menopause():
    facts = extract_text("Postmenopausal since 2015.", date=AS_OF)
    assert [f.over for f in facts if f.concept == "postmenopausal"] == [False]


def test_a_history_of_an_untreated_condition_still_asks_for_it_untreated():
    crit = "Patients with a history of an untreated malignancy (except local skin cancers)"
    assert _verdict(crit, ("2025-10-20", "PMH: colon cancer 2017, resected, no recurrence."), kind="Exclusion") \
        == "not_met"
    assert _verdict(crit, ("2025-10-20", "Prostate cancer on active surveillance, never treated."),
                    kind="Exclusion") == "met"


def test_a_condition_judged_by_its_effect_is_no_firm_exclusion():
    note = ("2025-10-20", "PMH: major depressive disorder, stable on sertraline.")
    assert _verdict("Patients with psychiatric disorders that would interfere with consent or follow-up", note,
                    kind="Exclusion") == "unknown"


def test_a_lasting_state_needs_no_word_saying_it_is_current():
    note = ("2025-10-20", "Postmenopausal since 2016 (LMP at 52). Currently on anastrozole.")
    assert _verdict("Post menopausal women who are currently receiving aromatase inhibitors", note) == "met"


@pytest.mark.parametrize("text,verdict", [("Breast cancer, stage IIA, on tamoxifen.", "not_met"),
                                          ("Left breast IDC pT1c N0 M0, ER positive.", "not_met"),
                                          ("Breast cancer, on tamoxifen.", "unknown"),
                                          ("Breast cancer with new bone metastases.", "met")])
def test_a_stated_stage_or_m0_rules_out_metastatic_disease(text, verdict):
    assert _verdict("Metastatic disease", ("2025-10-20", text), kind="Exclusion") == verdict


@pytest.mark.parametrize("text,verdict", [("Pneumonia 02/2024, treated and resolved. Afebrile today.", "not_met"),
                                          ("Pneumonia 02/2024. Afebrile today.", "not_met"),
                                          ("Admitted today with pneumonia, T 101.9, on antibiotics.", "met")])
def test_acute_asks_for_a_current_infection(text, verdict):
    assert _verdict("Acute infection", ("2025-10-20", text), kind="Exclusion") == verdict


def test_acute_in_a_diseases_own_name_asks_nothing_more():
    note = ("2025-10-20", "NSTEMI on 2025-09-02 treated with PCI.")
    assert _verdict("Acute coronary syndrome", note, kind="Exclusion") == "met"


@pytest.mark.parametrize("text,verdict", [("Platelets 142 x10^9/L.", "not_met"), ("Platelets 38 K/uL.", "met")])
def test_a_count_threshold_written_per_microlitre_decides(text, verdict):
    assert _verdict("Platelet count < 50,000", ("2025-10-20", text)) == verdict


@pytest.mark.parametrize("age,verdict", [("72", "met"), ("60", "unknown")])
def test_an_age_with_a_lost_comparator_is_read_as_a_lower_limit_that_never_excludes(age, verdict):
    assert _verdict("Age = 65 years", ("2025-10-20", f"{age}-year-old man.")) == verdict


def test_dates_of_birth_give_the_age_that_rules_out_pregnancy():
    assert _verdict("Pregnant or lactating women", ("2025-10-01", "Clinic note. DOB: 03.09.1959. Female."),
                    kind="Exclusion") == "not_met"
    assert _verdict("Pregnant or lactating women", ("2025-10-01", "63-year-old woman. LMP age 52."),
                    kind="Exclusion") == "not_met"


@pytest.mark.parametrize("text,verdict", [("No prior chemotherapy or radiotherapy.", "met"),
                                          ("Docetaxel x6, completed 2024-03-01.", "met"),
                                          ("Docetaxel x6, last dose 2025-10-15.", "not_met")])
def test_a_time_limit_on_a_prior_therapy_is_met_by_a_patient_who_never_had_one(text, verdict):
    crit = "Previous chemotherapy must have been completed >= 8 weeks prior to study entry"
    assert _verdict(crit, ("2025-10-20", text)) == verdict


def test_each_prior_therapy_a_time_limit_names_must_keep_it():
    crit = "Previous chemotherapy or radiotherapy must have been performed >= 8 weeks prior to study entry"
    text = "Docetaxel x6, last dose 2025-10-15. No prior radiotherapy."
    assert _verdict(crit, ("2025-10-20", text)) == "not_met"


def test_a_listing_that_asks_for_the_prior_therapy_is_not_met_by_its_absence_alone():
    crit = "Must have received prior chemotherapy, completed at least 8 weeks before study entry"
    assert _verdict(crit, ("2025-10-20", "No prior chemotherapy.")) != "met"


def test_brain_metastases_a_clinician_history_never_names_do_not_exclude():
    history = "Clinic note. PMH: prostate cancer s/p prostatectomy 2019, hypertension. No other history."
    assert _verdict("Clinically symptomatic brain metastases", ("2025-10-01", history), kind="Exclusion") == "not_met"
    brain = "Clinic note. New headaches; MRI brain shows two brain metastases, symptomatic."
    assert _verdict("Clinically symptomatic brain metastases", ("2025-10-01", brain), kind="Exclusion") == "met"


@pytest.mark.parametrize("note,verdict", [("BMP: Na 139, K 4.3, Cr 0.9 mg/dL", "not_met"),
                                          ("BMP: Na 139, K 6.4 H, Cr 0.9 mg/dL", "unknown")])
def test_a_threshold_in_an_implausible_unit_is_read_in_the_labs_own_unit_only_for_the_patient(note, verdict):
    # 'potassium > 6 mg/dl' is 1.5 mmol/L, below what potassium can measure: 6 mmol/L was meant
    assert _verdict("potassium > 6 mg/dl", ("2025-10-01", note), kind="Exclusion") == verdict


@pytest.mark.parametrize("note,verdict", [
    ("Neurology clinic. MS relapse (optic neuritis) 14/07/2025, treated with IV methylprednisolone.", "met"),
    ("Neurology clinic. Last MS relapse 03/2023. Stable since.", "unknown"),  # an older one shows no recent one
])
def test_a_relapse_the_window_asks_for(note, verdict):
    assert _verdict("At least one clinical relapse over a 6-month period prior to screening",
                    ("2025-10-01", note)) == verdict


def test_a_pseudo_relapse_is_no_relapse():
    note = "Neurology clinic. UTI with Uhthoff-type worsening, pseudo-relapse of MS likely."
    assert [f.negated for f in extract_text(note) if f.concept == "recurrent_disease"] == [True]


def test_two_relapses_need_two_stated_dates():
    crit = "At least two relapses within the past 12 months"
    two = "Relapse 03/02/2025 (optic neuritis). Second relapse 10/07/2025, treated with steroids."
    assert _verdict(crit, ("2025-09-01", two)) == "met"
    assert _verdict(crit, ("2025-09-01", "Relapse 10/07/2025, treated with steroids.")) == "unknown"


def test_metastatic_disease_is_absent_from_a_history_that_names_no_cancer():
    history = "Clinic note. PMH: type 2 diabetes, hypertension, CKD G3a. Meds: metformin, lisinopril."
    assert _verdict("Metastatic disease", ("2025-10-01", history), kind="Exclusion") == "not_met"
    cancer = "Clinic note. PMH: type 2 diabetes; breast cancer 2019 treated with surgery and tamoxifen."
    assert _verdict("Metastatic disease", ("2025-10-01", cancer), kind="Exclusion") == "unknown"


def test_a_monoclonal_gammopathy_leaves_a_myeloma_exclusion_to_a_person():
    note = "Clinic note. PMH: diabetes. SPEP shows an IgG kappa monoclonal gammopathy; hematology referral."
    assert _verdict("History of multiple myeloma", ("2025-10-01", note), kind="Exclusion") == "unknown"


@pytest.mark.parametrize("note,verdict", [("Clinic note. Ex-smoker since 2018, 40 pack-years.", "not_met"),
                                          ("Clinic note. Active smoker, ~10 cigarettes/day.", "not_met"),
                                          ("Clinic note. Smokes 30 cigarettes a day.", "met")])
def test_current_heavy_smoking(note, verdict):
    assert _verdict("Current heavy smoking (>20 cigarettes per day)", ("2025-10-01", note), kind="Exclusion") == verdict


def test_a_sibling_explains_the_broader_word_beside_it():
    note = "Clinic note. PMH: nonischemic cardiomyopathy; echo: dilated cardiomyopathy, EF 30%."
    assert _verdict("Hypertrophic cardiomyopathy", ("2025-10-01", note), kind="Exclusion") == "not_met"
    assert _verdict("Hypertrophic cardiomyopathy", ("2025-10-01", "Clinic note. PMH: cardiomyopathy."),
                    kind="Exclusion") == "unknown"


def test_a_relative_who_is_the_subject_of_a_long_sentence_keeps_it_all():
    note = ("Family history is relevant: her brother has end-stage kidney disease from polycystic kidney disease and "
            "received a kidney transplant in 2018.")
    assert [f.family for f in extract_text(note) if f.concept == "kidney_transplant"] == [True]


def test_a_pregnancy_years_ago_is_not_the_present_state():
    note = "Clinic note. G2P2, last delivery 2023 (uncomplicated pregnancy 2023). LMP 2 weeks ago."
    assert _verdict("Pregnant or breast feeding women", ("2025-10-01", note), kind="Exclusion") != "met"


def test_a_laboratory_name_without_a_limit_is_no_condition():
    note = "Clinic note. Sickle cell disease HbSS. Hemoglobin 8.1 g/dL."
    assert _verdict("Subjects with hemoglobin SC", ("2025-10-01", note), kind="Exclusion") != "met"


@pytest.mark.parametrize("criterion,kind", [("Hepatocellular carcinoma after liver transplantation", "Exclusion")])
def test_a_condition_dated_against_the_trials_own_is_no_form_of_it(criterion, kind):
    note = "Transplant clinic. OLT 2021 for HCV cirrhosis with HCC (explant: 2 HCC nodules). Recurrent HCV."
    trial = parse_criteria_text(f"Inclusion Criteria:\n- Previous liver transplantation\n{kind} Criteria:\n- {criterion}\n")
    n = Note(patient_id="p", note_id="n0", date=dt.date(2025, 10, 1), note_type="clinic note", text=note)
    (r,) = match_trial(trial, [n], list(extract([n])), as_of=AS_OF)
    assert r.criteria[-1].verdict != "met"


def test_current_or_ex_smokers_asks_no_present_smoking():
    crit = "Current or ex-smokers with a smoking history of at least 10 pack years"
    assert _verdict(crit, ("2025-10-01", "Clinic note. Ex-smoker, quit 2015, 40 pack-years.")) == "met"


@pytest.mark.parametrize("text,verdict", [("KPS 70.", "met"), ("KPS 40.", "not_met"), ("Doing well.", "unknown")])
def test_the_scale_the_notes_use_decides_between_alternative_scales(text, verdict):
    from .match_builders import screened

    assert screened("Inclusion", "Karnofsky/Lansky score 50 or greater", text).verdict == verdict
