"""Ineligible needs firm evidence; the trial's own context (its index condition) is never held against the patient."""
from __future__ import annotations

import datetime as dt

import pytest

from match_builders import AS_OF, constraint, criterion, fact, match_extracted, note, trial


def _verdict(t, notes, facts) -> str:
    (r,) = [r for r in match_extracted(t, notes, facts, as_of=AS_OF) if r.patient_id == "p1"]
    return r.criteria[0].verdict


def test_firm_silence_never_fails_an_inclusion():
    """A prior therapy the clinician notes never mention: unknown for an inclusion (review), not ineligible."""
    n = note("Progress note. PMH: hypertension. Treatment history: surgery 2023.", note_type="progress note")
    t = trial(criterion("I1", "inclusion", [constraint("I1.c1", "cetuximab")], category="prior_therapy"))
    assert _verdict(t, [n], []) == "unknown"


def test_firm_silence_still_clears_an_exclusion():
    n = note("Progress note. PMH: hypertension. Treatment history: surgery 2023.", note_type="progress note")
    t = trial(criterion("E1", "exclusion", [constraint("E1.c1", "cetuximab")], category="prior_therapy"))
    assert _verdict(t, [n], []) == "not_met"


def test_firm_absent_target_condition_goes_to_review_ranked_last(monkeypatch):
    from pipeline.match import rules

    n = note("Seen for knee pain. PMH: hypertension.", note_type="progress note")
    t = trial(criterion("I1", "inclusion", [constraint("I1.c1", "nsclc")], category="diagnosis"), targets=("nsclc",))
    (r,) = match_extracted(t, [n], [], as_of=AS_OF)
    assert r.criteria[0].verdict == "unknown" and r.score < 25
    firm = rules.settings().model_copy(update={"prescreen_absent_target_is_firm": True})
    monkeypatch.setattr(rules, "settings", lambda: firm)
    monkeypatch.setattr("pipeline.match.constraints.settings", lambda: firm)
    monkeypatch.setattr("pipeline.match.unnamed.settings", lambda: firm)
    assert _verdict(t, [n], []) == "not_met"


def test_firm_target_named_in_words_outside_the_lexicon_goes_to_review():
    n = note("Known non-small cell lung cancer, stage IV.", note_type="progress note")
    t = trial(criterion("I1", "inclusion", [constraint("I1.c1", "nsclc")], category="diagnosis"), targets=("nsclc",))
    assert _verdict(t, [n], []) == "unknown"


def test_firm_trial_index_condition_is_not_another_malignancy():
    n = note("Metastatic NSCLC, adenocarcinoma, diagnosed 2025-06-01.", note_type="progress note")
    facts = [fact(n, "NSCLC", "nsclc"), fact(n, "adenocarcinoma", "adenocarcinoma")]
    t = trial(criterion("E1", "exclusion", [constraint("E1.c1", "other_malignancy")], category="comorbidity"), targets=("nsclc",))
    assert _verdict(t, [n], facts) != "met"


def test_firm_a_different_cancer_is_another_malignancy():
    n = note("Prostate cancer treated with radiotherapy in 2024.", note_type="progress note")
    facts = [fact(n, "Prostate cancer", "other_malignancy", date=dt.date(2024, 3, 1), site="prostate")]
    t = trial(criterion("E1", "exclusion", [constraint("E1.c1", "other_malignancy")], category="comorbidity"), targets=("nsclc",))
    assert _verdict(t, [n], facts) == "met"


@pytest.mark.parametrize("quote,concept,expected", [
    ("Classical Hodgkin lymphoma", "hodgkin_lymphoma", "not_met"),   # the same family as an NHL trial's
    ("Chronic lymphocytic leukemia", "cll", "met"),                  # another blood cancer
])
def test_firm_a_sibling_in_the_targets_own_family_is_not_another_malignancy(quote, concept, expected):
    n = note(f"{quote}, diagnosed 2025-06-01.", note_type="progress note")
    facts = [fact(n, quote, concept, date=dt.date(2025, 6, 1))]
    t = trial(criterion("E1", "exclusion", [constraint("E1.c1", "other_malignancy")], category="comorbidity"),
              targets=("non_hodgkin_lymphoma",))
    assert _verdict(t, [n], facts) == expected


def test_firm_sex_qualifying_an_exclusion_item_is_no_trigger():
    n = note("68-year-old man with type 2 diabetes.", note_type="progress note")
    c = constraint("E1.c1", "sex", value="all", attributes={"applies_to": "male"})
    t = trial(criterion("E1", "exclusion", [c], category="demographic"))
    assert _verdict(t, [n], [fact(n, "man", "sex", value="male")]) != "met"


def test_prescreen_condition_outside_the_lexicon_is_looked_up_by_its_words():
    from pipeline.extract.trial_context import condition_phrase

    assert condition_phrase("Kidney Failure, Acute") == "acute kidney failure"
    assert condition_phrase("Healthy") == ""
    c = constraint("T1.c1", "carpal tunnel syndrome", open_vocabulary=True, attributes={"prescreen": "text"})
    named = note("Progress note. Numbness of the hand; carpal tunnel syndrome confirmed by EMG.", note_type="progress note")
    silent = note("Progress note. Knee pain for 2 months.", note_type="progress note")
    t = trial(criterion("T1", "inclusion", [c], category="diagnosis"))
    assert _verdict(t, [named], []) == "met"
    # not named: never ineligible on words alone, but ranked low among those to review
    (r,) = match_extracted(t, [silent], [], as_of=AS_OF)
    assert r.criteria[0].verdict == "unknown" and r.status == "needs_review" and r.score < 25  # one cheap unknown scores about 63


def test_firm_pregnancy_items_do_not_apply_to_men_whatever_the_criterion_kind():
    n = note("Progress note. 61-year-old man with COPD.", note_type="progress note")
    facts = [fact(n, "man", "sex", value="male"), fact(n, "61-year-old", "age", value=61.0, unit="year")]
    excl = trial(criterion("E1", "exclusion", [constraint("E1.c1", "pregnancy")], category="reproductive"))
    incl = trial(criterion("I1", "inclusion", [constraint("I1.c1", "contraception")], category="reproductive"))
    assert _verdict(excl, [n], facts) == "not_met" and _verdict(incl, [n], facts) == "met"


def test_firm_consent_is_never_asked_of_the_notes():
    n = note("Progress note. 61-year-old man.", note_type="progress note")
    c = criterion("I1", "inclusion", [constraint("I1.c1", "age", comparator=">=", value=18.0, unit="year"),
                                      constraint("I1.c2", "informed_consent")], category="demographic")
    assert _verdict(trial(c), [n], [fact(n, "61-year-old", "age", value=61.0, unit="year")]) == "met"


def test_firm_a_broader_concept_than_the_exclusion_names_goes_to_review():
    """'bowel resection' is read as surgery; a documented lumpectomy is surgery, not a bowel resection."""
    n = note("Progress note. PSH: lumpectomy 2023.", note_type="progress note")
    f = fact(n, "lumpectomy", "surgery")
    c = constraint("E1.c1", "surgery", text="resection")
    narrowed = trial(criterion("E1", "exclusion", [c], text="Previous bowel resection"))
    plain = trial(criterion("E1", "exclusion", [c], text="Previous resection"))
    assert narrowed.criteria[0].constraints[0].context.narrowed_by == "bowel"
    assert _verdict(narrowed, [n], [f]) == "unknown"
    assert _verdict(plain, [n], [f]) == "met"


def test_firm_another_cancer_the_exclusion_names_is_cleared_by_a_medical_history_that_never_names_it():
    n = note("Progress note. PMH: hypertension, gout. Meds: amlodipine.", note_type="progress note")
    excl = trial(criterion("E1", "exclusion", [constraint("E1.c1", "hcc", text="HCC")], text="HCC within 3 years"))
    incl = trial(criterion("I1", "inclusion", [constraint("I1.c1", "hcc", text="HCC")], text="Confirmed HCC"))
    assert _verdict(excl, [n], []) == "not_met"
    assert _verdict(incl, [n], []) == "unknown"


def test_a_criterion_asking_for_a_planned_treatment_is_met_by_the_documented_plan():
    n = note("Rheumatology clinic. Plan: start adalimumab 40 mg SC q2wk after hepatology review.", note_type="clinic")
    f = fact(n, "adalimumab", "adalimumab")
    asked = constraint("I1.c1", "adalimumab", text="Humira")
    t = trial(criterion("I1", "inclusion", [asked], text="Patients who plan to treat with Humira"))
    assert t.criteria[0].constraints[0].context.planned
    (r,) = [r for r in match_extracted(t, [n], [f], as_of=AS_OF) if r.patient_id == "p1"]
    assert r.criteria[0].verdict == "met" and "planned" in r.criteria[0].reason


def test_firm_a_drug_named_without_administration_does_not_fail_a_naive_inclusion():
    """'Osimertinib treatment-naive': a note naming osimertinib only as an option goes to review; one saying it
    was given fails the patient."""
    from pipeline.schema import Therapy

    n = note("Clinic note. Options reviewed: carboplatin/pemetrexed; osimertinib.", note_type="clinic")
    named = fact(n, "osimertinib", "osimertinib").model_copy(update={"therapy": Therapy(state="unclear")})
    given = named.model_copy(update={"therapy": Therapy(state="past", cycles=3)})
    c = constraint("I1.c1", "osimertinib", text="Osimertinib", negated=True, comparator="absent")
    t = trial(criterion("I1", "inclusion", [c], text="Osimertinib treatment-naive"))
    assert _verdict(t, [n], [named]) == "unknown"
    assert _verdict(t, [n], [given]) == "not_met"


def test_firm_a_condition_class_the_history_never_names_clears_an_exclusion_unless_the_condition_is_documented():
    c = constraint("E1.c1", "nyha_class", comparator="between", value=3.0, value_high=4.0, text="Class III/IV heart failure")
    t = trial(criterion("E1", "exclusion", [c], text="Class III/IV heart failure"))
    quiet = note("Progress note. PMH: hypertension, gout.", note_type="progress note")
    hf = note("Progress note. PMH: heart failure, gout.", note_type="progress note")
    assert _verdict(t, [quiet], []) == "not_met"
    assert _verdict(t, [hf], [fact(hf, "heart failure", "heart_failure")]) == "unknown"


def test_firm_a_psychiatric_intake_is_a_clinician_note_that_covers_the_history():
    n = note("PSYCHIATRIC INTAKE\nPMH: hypertension. No other illness.", note_type="psychiatric intake")
    t = trial(criterion("E1", "exclusion", [constraint("E1.c1", "epilepsy", text="epilepsy")], text="epilepsy"))
    assert _verdict(t, [n], []) == "not_met"


def test_firm_an_inclusion_in_words_outside_the_lexicon_is_open_not_passed():
    """Nothing could check 'drug-naive or drug-free': the patient is not eligible until someone does."""
    n = note("Progress note. PMH: hypertension.", note_type="progress note")
    ov = constraint("I1.c1", "drug-free", text="drug-free", open_vocabulary=True)
    incl = trial(criterion("I1", "inclusion", [ov], computable=False, text="drug-naive or drug-free"))
    excl = trial(criterion("E1", "exclusion", [ov.model_copy(update={"id": "E1.c1"})], computable=False,
                           text="drug-free"))
    assert _verdict(incl, [n], []) == "unknown"
    assert _verdict(excl, [n], []) == "not_computable"


def test_a_possible_stroke_is_no_silence_about_an_ischemic_stroke():
    from test_scores_and_windows import _verdict

    note = ("2025-10-12", "Clinic note. PMH: HTN. Possible prior subcortical stroke vs TIA - referred to neurology.")
    assert _verdict("Ischemic stroke", note, kind="Exclusion") == "unknown"
    assert _verdict("Ischemic stroke", ("2025-10-12", "MRI: chronic lacunar infarct, left internal capsule."),
                    kind="Exclusion") == "met"
