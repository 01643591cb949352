"""Constraint evaluation against facts: values, windows, reference limits, classes, surrogates, silence."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import AS_OF, constraint, fact, match_extracted, note, verdict_of

from pipeline.schema import Window

D = dt.date


# ----------------------------------------------------------------------------- numeric values and windows

@pytest.mark.parametrize("value,expected", [(150.0, "met"), (100.0, "met"), (85.0, "not_met")])
def test_numeric_platelets_against_threshold(value, expected):
    n = note(f"Labs: platelets {value:g} x10^9/L.")
    f = fact(n, f"platelets {value:g} x10^9/L", "platelets", value=value, unit="10^9/L")
    c = constraint("I1.c1", "platelets", comparator=">=", value=100.0, unit="10^9/L")
    assert verdict_of(c, [n], [f]).verdict == expected


def test_numeric_converts_units_when_fact_and_constraint_differ():
    n = note("Hgb 11.0 g/dL today.")
    f = fact(n, "Hgb 11.0 g/dL", "hemoglobin", value=11.0, unit="g/dL")
    c = constraint("I1.c1", "hemoglobin", comparator=">=", value=100.0, unit="g/L")
    assert verdict_of(c, [n], [f]).verdict == "met"


def test_numeric_latest_value_wins_over_older_one():
    old = note("Platelets 60.", nid="n0", date=D(2025, 6, 1))
    new = note("Platelets 180.", nid="n1", date=D(2025, 8, 28))
    facts = [fact(old, "Platelets 60", "platelets", value=60.0, unit="10^9/L"), fact(new, "Platelets 180", "platelets", value=180.0, unit="10^9/L")]
    v = verdict_of(constraint("I1.c1", "platelets", comparator=">=", value=100.0, unit="10^9/L"), [old, new], facts)
    assert v.verdict == "met" and v.evidence[0].source_id == "n1"


def test_window_value_older_than_window_is_unknown_not_not_met():
    n = note("Platelets 180.", date=D(2025, 6, 1))
    f = fact(n, "Platelets 180", "platelets", value=180.0, unit="10^9/L")
    w = Window(comparator="<=", value=2, unit="week", anchor="first_dose")
    v = verdict_of(constraint("I1.c1", "platelets", comparator=">=", value=100.0, unit="10^9/L", window=w), [n], [f])
    assert v.verdict == "unknown" and "older" in v.reason


def test_window_value_inside_window_is_decided():
    n = note("Platelets 80.", date=D(2025, 8, 25))
    f = fact(n, "Platelets 80", "platelets", value=80.0, unit="10^9/L")
    w = Window(comparator="<=", value=2, unit="week", anchor="first_dose")
    assert verdict_of(constraint("I1.c1", "platelets", comparator=">=", value=100.0, unit="10^9/L", window=w), [n], [f]).verdict == "not_met"


def test_window_anchor_is_the_first_dose_date():
    n = note("Platelets 180.", date=D(2025, 8, 25))
    f = fact(n, "Platelets 180", "platelets", value=180.0, unit="10^9/L")
    w = Window(comparator="<=", value=2, unit="week", anchor="first_dose")
    c = constraint("I1.c1", "platelets", comparator=">=", value=100.0, unit="10^9/L", window=w)
    assert verdict_of(c, [n], [f], first_dose=D(2025, 10, 1)).verdict == "unknown"


@pytest.mark.parametrize("last_dose,expected", [("2025-07-01", "met"), ("2025-08-20", "not_met")])
def test_window_at_least_weeks_since_last_dose(last_dose, expected):
    n = note("Pembrolizumab stopped for progression.", date=D(2025, 8, 25))
    f = fact(n, "Pembrolizumab", "pembrolizumab", historical=True, attributes={"last_dose_date": last_dose})
    w = Window(comparator=">=", value=4, unit="week", anchor="first_dose")
    assert verdict_of(constraint("I1.c1", "anti_pd1", window=w), [n], [f]).verdict == expected


def test_window_event_within_months_excludes_only_when_recent():
    n = note("Myocardial infarction in 2019, stable since.", date=D(2025, 8, 25))
    f = fact(n, "Myocardial infarction", "myocardial_infarction", date=D(2019, 5, 1), historical=True)
    w = Window(comparator="<=", value=6, unit="month", anchor="first_dose")
    assert verdict_of(constraint("E1.c1", "myocardial_infarction", window=w), [n], [f], kind="exclusion").verdict == "not_met"


# ----------------------------------------------------------------------------- ULN-relative thresholds

def test_uln_uses_the_reference_range_the_note_gives():
    n = note("AST 55 U/L (ref 0-35).")
    f = fact(n, "AST 55 U/L", "ast", value=55.0, unit="U/L", attributes={"uln": 35.0})
    c = constraint("I1.c1", "ast", comparator="<=", value=1.5, relative_to="ULN")
    v = verdict_of(c, [n], [f])
    assert v.verdict == "not_met" and "note reference range" in v.reason


def test_uln_falls_back_to_documented_default_without_note_range():
    n = note("AST 55 U/L.")
    f = fact(n, "AST 55 U/L", "ast", value=55.0, unit="U/L")
    c = constraint("I1.c1", "ast", comparator="<=", value=1.5, relative_to="ULN")
    v = verdict_of(c, [n], [f])
    assert v.verdict == "met" and "default ULN 40" in v.reason


def test_uln_default_converted_to_fact_unit():
    n = note("Total bilirubin 2.0 mg/dL.")
    f = fact(n, "Total bilirubin 2.0 mg/dL", "total_bilirubin", value=2.0, unit="mg/dL")
    c = constraint("I1.c1", "total_bilirubin", comparator="<=", value=1.5, relative_to="ULN")
    assert verdict_of(c, [n], [f]).verdict == "not_met"


# ----------------------------------------------------------------------------- drug classes

@pytest.mark.parametrize("drug,expected", [("nimotuzumab", "met"), ("cetuximab", "met"), ("pembrolizumab", "not_met")])
def test_drug_class_membership_decides_prior_therapy(drug, expected):
    n = note(f"Oncologic history: received {drug} in 2023.")
    f = fact(n, drug, drug, historical=True)
    v = verdict_of(constraint("E1.c1", "anti_egfr_mab"), [n], [f], kind="exclusion", category="prior_therapy",
                   text="Prior anti-EGFR antibody therapy")
    assert v.verdict == expected


@pytest.mark.parametrize("criterion_text,concept,line,expected", [
    # a drug in an exclusion with no time word asks present use
    ("Anticoagulant use (warfarin or heparin)", "anticoagulant", "Was on warfarin, stopped 2019 after the DVT.", "not_met"),
    ("Anticoagulant use (warfarin or heparin)", "anticoagulant", "Meds: warfarin 5 mg daily.", "met"),
    # an exclusion of a scheduled surgery asks for a plan
    ("Subjects scheduled for surgery", "surgery", "PSH: knee surgery 2015.", "not_met"),
    ("Subjects scheduled for surgery", "surgery", "Plan: surgery for the hernia next month.", "met"),
])
def test_an_exclusions_wording_decides_which_mentions_count(criterion_text, concept, line, expected):
    n = note(line, note_type="clinic note")
    quote = "warfarin" if "warfarin" in line else "surgery"
    v = verdict_of(constraint("E1.c1", concept), [n], [fact(n, quote, quote)], kind="exclusion",
                   category="prior_therapy", text=criterion_text)
    assert v.verdict == expected


def test_a_hypersensitivity_to_something_the_notes_never_name_is_not_the_one_excluded():
    from pipeline.extract.criteria import parse_criteria_text

    t = parse_criteria_text("Known hypersensitivity to materials of bovine origin", kind="exclusion")
    n = note("Allergies: penicillin (rash).", note_type="clinic note")
    (r,) = match_extracted(t, [n], [fact(n, "Allergies", "drug_hypersensitivity")], as_of=AS_OF)
    assert r.criteria[0].verdict == "not_met"
    for text in ("Allergies: materials of bovine origin (anaphylaxis).", "Allergies: bovine gelatin (anaphylaxis)."):
        n2 = note(text, note_type="clinic note")
        (r2,) = match_extracted(t, [n2], [fact(n2, "Allergies", "drug_hypersensitivity")], as_of=AS_OF)
        assert r2.criteria[0].verdict != "not_met", text


def test_a_drug_in_an_exclusion_with_an_exposure_word_asks_any_use():
    n = note("Was on warfarin, stopped 2019 after the DVT was treated.", note_type="clinic note")
    f = fact(n, "warfarin", "warfarin")
    v = verdict_of(constraint("E1.c1", "anticoagulant"), [n], [f], kind="exclusion", category="prior_therapy",
                   text="Patients previously treated with anticoagulants")
    assert v.verdict == "met"


def test_progression_on_anti_pd1_linked_by_attribute():
    n = note("Progressed on nivolumab (CT 2025-06).")
    drug = fact(n, "nivolumab", "nivolumab", historical=True)
    prog = fact(n, "Progressed", "disease_progression", attributes={"on_therapy": "nivolumab"})
    c = constraint("I1.c1", "disease_progression", attributes={"on_therapy": "anti_pd1"})
    assert verdict_of(c, [n], [drug, prog]).verdict == "met"


def test_progression_without_anti_pd1_exposure_is_not_linked():
    n = note("Progressed on cisplatin.")
    drug = fact(n, "cisplatin", "cisplatin", historical=True)
    prog = fact(n, "Progressed", "disease_progression", attributes={"on_therapy": "cisplatin"})
    c = constraint("I1.c1", "disease_progression", attributes={"on_therapy": "anti_pd1"})
    assert verdict_of(c, [n], [drug, prog]).verdict != "met"


# ----------------------------------------------------------------------------- results and surrogates

@pytest.mark.parametrize("value,expected", [("negative", "met"), ("positive", "not_met")])
def test_surrogate_p16_ihc_stands_in_for_hpv_by_ihc(value, expected):
    n = note(f"Pathology: p16 IHC {value}.")
    f = fact(n, f"p16 IHC {value}", "p16_status", value=value, attributes={"method": "IHC"})
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative", attributes={"method": "IHC"})
    assert verdict_of(c, [n], [f]).verdict == expected


def test_result_conflicting_hpv_and_p16_is_unknown():
    n = note("p16 IHC negative. HPV ISH positive.")
    facts = [fact(n, "p16 IHC negative", "p16_status", value="negative", attributes={"method": "IHC"}),
             fact(n, "HPV ISH positive", "hpv_status", value="positive", attributes={"method": "ISH"})]
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative", attributes={"method": "IHC"})
    v = verdict_of(c, [n], facts)
    assert v.verdict == "unknown" and len(v.evidence) == 2


def test_result_test_not_performed_is_unknown():
    n = note("HPV testing was not performed.")
    f = fact(n, "HPV testing", "hpv_status", negated=True, cue="not performed")
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative")
    assert verdict_of(c, [n], [f]).verdict == "unknown"


@pytest.mark.parametrize("value,expected", [("negative", "not_met"), ("positive", "met")])
def test_result_serology_for_exclusion(value, expected):
    n = note(f"HIV antibody {value}.")
    f = fact(n, f"HIV antibody {value}", "hiv", value=value)
    assert verdict_of(constraint("E1.c1", "hiv", comparator="==", value="positive"), [n], [f], kind="exclusion").verdict == expected


# ----------------------------------------------------------------------------- presence, negation, contradiction

def test_negated_fact_is_evidence_of_absence():
    n = note("No history of tuberculosis.")
    f = fact(n, "tuberculosis", "tuberculosis", negated=True, cue="No history of")
    v = verdict_of(constraint("E1.c1", "tuberculosis"), [n], [f], kind="exclusion")
    assert v.verdict == "not_met" and v.evidence[0].assertion == "negated" and v.evidence[0].cue.text == "No history of"


def test_contradiction_affirmed_and_negated_in_notes_of_similar_date_is_unknown():
    a = note("History of asthma.", nid="n1", date=D(2025, 8, 20))
    b = note("Denies asthma.", nid="n2", date=D(2025, 8, 25))
    facts = [fact(a, "asthma", "asthma"), fact(b, "asthma", "asthma", negated=True, cue="Denies")]
    v = verdict_of(constraint("E1.c1", "asthma"), [a, b], facts, kind="exclusion")
    assert v.verdict == "unknown" and {e.source_id for e in v.evidence} == {"n1", "n2"}


def test_family_history_does_not_count_for_the_patient():
    n = note("Past medical history: hypertension. Mother had tuberculosis.")
    facts = [fact(n, "hypertension", "hypertension", section="past_medical_history"), fact(n, "tuberculosis", "tuberculosis", family=True)]
    assert verdict_of(constraint("E1.c1", "tuberculosis"), [n], facts, kind="exclusion").verdict == "not_met"


# ----------------------------------------------------------------------------- absence policy

def test_absence_comorbidity_silent_with_past_medical_history_section_is_not_met():
    n = note("Past Medical History: hypertension, hyperlipidemia.")
    v = verdict_of(constraint("E1.c1", "interstitial_lung_disease"), [n], [], kind="exclusion")
    assert v.verdict == "not_met" and v.evidence[0].text == "Past Medical History"


def test_absence_comorbidity_silent_in_reports_only_is_unknown():
    n = note("CT chest: no nodules.", note_type="radiology")
    assert verdict_of(constraint("E1.c1", "interstitial_lung_disease"), [n], [], kind="exclusion").verdict == "unknown"


def test_absence_serious_infection_silent_stays_unknown_even_with_history_section():
    n = note("Past Medical History: hypertension.")
    v = verdict_of(constraint("E1.c1", "hbsag", comparator="==", value="positive"), [n], [], kind="exclusion")
    assert v.verdict == "unknown"


def test_absence_a_known_hiv_infection_the_medical_history_never_names_is_absent():
    n = note("Past Medical History: hypertension.")
    v = verdict_of(constraint("E1.c1", "hiv", comparator="==", value="positive"), [n], [], kind="exclusion")
    assert v.verdict == "not_met"


def test_absence_negated_inclusion_constraint_met_when_history_covers_domain():
    n = note("PMH: hypertension only.")
    c = constraint("I1.c1", "myocardial_infarction", negated=True)
    assert verdict_of(c, [n], []).verdict == "met"


# ----------------------------------------------------------------------------- open vocabulary, age, sex

def test_open_vocabulary_hit_goes_to_review_with_evidence():
    n = note("Known sarcoidosis of the lung, on steroids.")
    v = verdict_of(constraint("E1.c1", "sarcoidosis", open_vocabulary=True), [n], [], kind="exclusion")
    assert v.verdict == "unknown" and v.evidence[0].text.lower() == "sarcoidosis"


def test_open_vocabulary_miss_clears_an_exclusion_only_when_a_clinician_note_covers_the_history():
    """Like a lexicon condition: absent when a clinician note records the history and no note names it."""
    c = constraint("E1.c1", "sarcoidosis", open_vocabulary=True)
    clinic = note("Progress note. PMH: hypertension, gout.", note_type="progress note")
    report = note("CT chest: no nodules.", note_type="radiology report")
    assert verdict_of(c, [clinic], [], kind="exclusion").verdict == "not_met"
    assert verdict_of(c, [report], [], kind="exclusion").verdict == "unknown"


@pytest.mark.parametrize("age,fact_date,expected", [(74.0, D(2025, 8, 1), "met"), (75.8, D(2024, 6, 1), "not_met"), (17.9, D(2025, 1, 1), "met")])
def test_age_is_computed_at_the_as_of_date(age, fact_date, expected):
    n = note(f"{age:g}-year-old man.", date=fact_date)
    f = fact(n, f"{age:g}-year-old", "age", value=age, unit="year")
    assert verdict_of(constraint("I1.c1", "age", comparator="between", value=18.0, value_high=75.0), [n], [f]).verdict == expected


def test_sex_all_is_met_without_facts():
    assert verdict_of(constraint("I1.c1", "sex", comparator="==", value="all"), [note("x")], []).verdict == "met"


# ----------------------------------------------------------------------------- ordinal scales, surrogates, current use, judgement

@pytest.mark.parametrize("word,expected", [("negative", "met"), ("trace", "met"), ("2+", "not_met")])
def test_ordinal_urine_protein_compares_with_threshold(word, expected):
    n = note(f"Urine protein {word}.")
    f = fact(n, "Urine protein", "urine_protein", value=word)
    assert verdict_of(constraint("I1.c1", "urine_protein", comparator="<", value="+"), [n], [f]).verdict == expected


@pytest.mark.parametrize("kps,expected", [(90.0, "met"), (80.0, "met"), (60.0, "not_met")])
def test_surrogate_karnofsky_maps_to_ecog(kps, expected):
    n = note(f"KPS {kps:g}.")
    f = fact(n, "KPS", "karnofsky", value=kps)
    assert verdict_of(constraint("I1.c1", "ecog", comparator="<=", value=1.0), [n], [f]).verdict == expected


@pytest.mark.parametrize("historical,date,expected", [(False, D(2025, 8, 25), "met"), (True, D(2025, 8, 25), "not_met"),
                                                     (False, D(2025, 3, 1), "unknown")])
def test_current_therapy_requires_recent_non_historical_mention(historical, date, expected):
    """An old 'on cisplatin' in the record's latest note is no evidence either way (a person checks)."""
    n = note("On cisplatin.", date=date)
    f = fact(n, "cisplatin", "cisplatin", historical=historical)
    c = constraint("E1.c1", "anticancer_therapy")
    from match_builders import criterion, trial

    from match_builders import match_extracted as match_trial

    cr = criterion("E1", "exclusion", [c], text="Patients who are currently receiving antineoplastic therapy.", category="prior_therapy")
    (r,) = match_trial(trial(cr), [n], [f], as_of=D(2025, 9, 1))
    assert r.criteria[0].verdict == expected


def test_judgement_concept_silence_defers_to_investigator():
    v = verdict_of(constraint("I1.c1", "life_expectancy", comparator=">=", value=12.0, unit="week"), [note("Seen today.")], [])
    assert v.verdict == "not_computable"


def test_judgement_concept_documented_is_decided():
    n = note("Life expectancy > 6 months.")
    f = fact(n, "Life expectancy", "life_expectancy", value=26.0, unit="week")
    assert verdict_of(constraint("I1.c1", "life_expectancy", comparator=">=", value=12.0, unit="week"), [n], [f]).verdict == "met"


def test_notes_after_the_as_of_date_are_ignored():
    n = note("Platelets 60.", date=D(2025, 9, 10))
    f = fact(n, "Platelets 60", "platelets", value=60.0, unit="10^9/L")
    assert verdict_of(constraint("I1.c1", "platelets", comparator=">=", value=100.0), [n], [f]).verdict == "unknown"


def test_absence_comorbidity_silent_in_a_clinician_note_is_not_met():
    n = note("Seen today for follow-up. Feels well.", note_type="oncology progress note")
    v = verdict_of(constraint("E1.c1", "interstitial_lung_disease"), [n], [], kind="exclusion")
    assert v.verdict == "not_met" and v.evidence[0].text == "Seen today for follow-up. Feels well."


@pytest.mark.parametrize("note_type,expected", [("oncology progress note", "not_met"), ("radiology", "unknown")])
def test_absence_prior_therapy_needs_a_clinician_treatment_history(note_type, expected):
    n = note("Treated with nivolumab 12/2024-06/2025.", note_type=note_type)
    v = verdict_of(constraint("E1.c1", "anti_egfr_mab"), [n], [fact(n, "nivolumab", "nivolumab", historical=True)], kind="exclusion")
    assert v.verdict == expected


@pytest.mark.parametrize("concept,test,value,expected", [
    ("hepatitis_b", "hbsag", "negative", "not_met"), ("hepatitis_b", "hbsag", "positive", "unknown"),
    ("hcv_rna", "hcv_ab", "negative", "not_met"), ("hepatitis_c", "hiv", "negative", "unknown"),
])
def test_absence_condition_ruled_out_by_negative_screening_test(concept, test, value, expected):
    n = note(f"{test} {value}.", note_type="lab report")
    v = verdict_of(constraint("E1.c1", concept), [n], [fact(n, test, test, value=value)], kind="exclusion", category="infection")
    assert v.verdict == expected


def test_open_vocabulary_miss_does_not_hide_a_decided_sibling():
    from match_builders import criterion, trial

    from match_builders import match_extracted as match_trial
    from pipeline.schema import LogicNode

    n = note("Platelets 60.")
    cr = criterion("I1", "inclusion", [constraint("I1.c1", "platelets", comparator=">=", value=100.0),
                                        constraint("I1.c2", "toxic events", open_vocabulary=True)],
                   logic=LogicNode(op="and", args=["I1.c1", "I1.c2"]))
    (r,) = match_trial(trial(cr), [n], [fact(n, "Platelets 60", "platelets", value=60.0)], as_of=D(2025, 9, 1))
    assert r.criteria[0].verdict == "not_met"


@pytest.mark.parametrize("negated_concept,expected", [("anticancer_therapy", "not_met"), ("chemotherapy", "met")])
def test_current_therapy_negation_of_a_covering_class_wins(negated_concept, expected):
    from match_builders import criterion, trial

    from match_builders import match_extracted as match_trial

    n = note("Continues pembrolizumab. No systemic therapy otherwise.", date=D(2025, 8, 26))
    facts = [fact(n, "pembrolizumab", "pembrolizumab"), fact(n, "systemic therapy", negated_concept, negated=True)]
    cr = criterion("E1", "exclusion", [constraint("E1.c1", "anticancer_therapy")], text="Currently receiving antineoplastic therapy.")
    (r,) = match_trial(trial(cr), [n], facts, as_of=D(2025, 9, 1))
    assert r.criteria[0].verdict == expected


def test_fact_dated_after_as_of_is_a_plan():
    n = note("Will start docetaxel on 2025-09-10.", date=D(2025, 8, 26))
    f = fact(n, "docetaxel", "docetaxel", date=D(2025, 9, 10))
    v = verdict_of(constraint("E1.c1", "chemotherapy"), [n], [f], kind="exclusion", category="prior_therapy")
    assert v.verdict == "not_met"


@pytest.mark.parametrize("text,expected", [("HPV-negative by PCR.", "unknown"), ("HPV negative.", "unknown"), ("HPV positive.", "not_met")])
def test_result_method_unstated_or_other_cannot_qualify_but_can_exclude(text, expected):
    n = note(text)
    f = fact(n, "HPV", "hpv_status", value="positive" if "positive" in text else "negative")
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative", attributes={"method": "IHC"})
    assert verdict_of(c, [n], [f]).verdict == expected


def test_presence_hedged_in_the_latest_note_is_unknown():
    a = note("CT: progression.", nid="n1", date=D(2025, 8, 20))
    b = note("Unclear whether this is true progression.", nid="n2", date=D(2025, 8, 26))
    facts = [fact(a, "progression", "disease_progression"), fact(b, "progression", "disease_progression", uncertain=True)]
    assert verdict_of(constraint("I1.c1", "disease_progression"), [a, b], facts).verdict == "unknown"


def test_result_later_mention_without_result_is_pending():
    n = note("p16 IHC negative on biopsy. Will repeat p16 IHC on block A2.", date=D(2025, 8, 22))
    facts = [fact(n, "p16 IHC negative", "p16_status", value="negative", attributes={"method": "IHC"}),
             fact(n, "p16 IHC", "p16_status", occurrence=1, attributes={"method": "IHC"})]
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative", attributes={"method": "IHC"})
    assert verdict_of(c, [n], facts).verdict == "unknown"


@pytest.mark.parametrize("text,expected", [
    ("Other malignancy: papillary thyroid cancer 2014, treated.", "not_met"),
    ("Skin SCCs excised x2 (2019, 2021).", "met"),
    ("Breast cancer 03/2023, on letrozole.", "met"),
])
def test_window_event_date_read_next_to_the_mention(text, expected):
    n = note(text, date=D(2025, 8, 22))
    quote = text.split(":")[-1].split(" 20")[0].split(" 0")[0].strip()
    f = fact(n, quote, "other_malignancy", historical=True)
    w = Window(comparator="<=", value=5, unit="year", anchor="as_of")
    assert verdict_of(constraint("E1.c1", "other_malignancy", window=w), [n], [f], kind="exclusion").verdict == expected


def test_deferred_secondary_test_uses_latest_value_even_outside_window():
    n = note("PFTs: FEV1 1.1 L.", date=D(2025, 4, 9))
    f = fact(n, "FEV1 1.1 L", "fev1", value=1.1, unit="L")
    w = Window(comparator="<=", value=2, unit="week", anchor="first_dose")
    assert verdict_of(constraint("I1.c1", "fev1", comparator=">=", value=2.0, unit="L", window=w), [n], [f]).verdict == "not_met"


def test_viral_load_not_detected_counts_as_below_limit():
    n = note("HBcAb (+), HBV DNA not detected.", note_type="lab report")
    f = fact(n, "HBV DNA", "hbv_dna", negated=True, cue="not detected")
    c = constraint("E1.c1", "hbv_dna", comparator=">", value=1.0, relative_to="ULN")
    assert verdict_of(c, [n], [f], kind="exclusion").verdict == "not_met"


@pytest.mark.parametrize("text,expected", [
    ("Refer to the dalpiciclib + cetuximab trial.", "not_met"),
    ("Plan: 2L docetaxel vs cetuximab.", "not_met"),
    ("Received cetuximab 400 mg/m2 loading dose.", "met"),
])
def test_drug_named_in_a_plan_is_not_an_exposure(text, expected):
    n = note(text, note_type="oncology progress note")
    f = fact(n, "cetuximab", "cetuximab")
    assert verdict_of(constraint("E1.c1", "anti_egfr_mab"), [n], [f], kind="exclusion", category="prior_therapy",
                      text="Prior treatment with an anti-EGFR antibody").verdict == expected


def test_result_required_method_result_against_the_patient_wins_over_other_methods():
    n = note("p16 IHC positive. HPV PCR negative.")
    facts = [fact(n, "p16 IHC positive", "p16_status", value="positive", attributes={"method": "IHC"}),
             fact(n, "HPV PCR negative", "hpv_status", value="negative", attributes={"method": "PCR"})]
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative", attributes={"method": "IHC"})
    assert verdict_of(c, [n], facts).verdict == "not_met"


def test_result_exclusion_positive_among_conflicting_results_excludes():
    a = note("HIV Ab negative.", nid="n1", date=D(2025, 8, 1))
    b = note("HIV Ab positive (confirmed).", nid="n2", date=D(2025, 8, 2))
    facts = [fact(a, "HIV Ab negative", "hiv", value="negative"), fact(b, "HIV Ab positive", "hiv", value="positive")]
    v = verdict_of(constraint("E1.c1", "hiv", comparator="==", value="positive"), [a, b], facts, kind="exclusion")
    assert v.verdict == "met"


def test_window_event_date_from_relative_phrase():
    n = note("Remote MI (6 years ago), stable.", date=D(2025, 6, 30))
    f = fact(n, "MI", "myocardial_infarction", historical=True)
    w = Window(comparator="<=", value=1, unit="year", anchor="as_of")
    assert verdict_of(constraint("I1.c1", "myocardial_infarction", comparator="absent", negated=True, window=w), [n], [f]).verdict == "met"


@pytest.mark.parametrize("negated,kind,expected", [(True, "inclusion", "not_computable"), (False, "exclusion", "unknown")])
def test_absence_support_qualifier_deferred_only_when_absence_is_required(negated, kind, expected):
    n = note("CT chest.", note_type="radiology")
    v = verdict_of(constraint("X1.c1", "transfusion", negated=negated), [n], [], kind=kind)
    assert v.verdict == expected


@pytest.mark.parametrize("later,expected", [(D(2025, 8, 25), "not_met"), (D(2025, 7, 30), "unknown")])
def test_exposure_denied_later_wins_unless_close_in_time(later, expected):
    a = note("Has received a PD-1 inhibitor.", nid="n1", date=D(2025, 7, 24))
    b = note("No prior anti-PD-1 therapy.", nid="n2", date=later)
    facts = [fact(a, "PD-1 inhibitor", "anti_pd1", historical=True), fact(b, "anti-PD-1 therapy", "anti_pd1", negated=True)]
    assert verdict_of(constraint("I1.c1", "anti_pd1"), [a, b], facts).verdict == expected


@pytest.mark.parametrize("text,expected", [
    ("Pneumonitis less likely more than 2 months after the last anti-PD-1 dose.", "not_met"),
    ("Continues pembrolizumab q3w.", "met"),
])
def test_current_therapy_clause_in_the_past_is_not_current(text, expected):
    from match_builders import criterion, trial

    from match_builders import match_extracted as match_trial

    n = note(text, date=D(2025, 8, 29), note_type="oncology progress note")
    quote = "anti-PD-1" if "anti-PD-1" in text else "pembrolizumab"
    f = fact(n, quote, "anti_pd1" if quote == "anti-PD-1" else "pembrolizumab")
    cr = criterion("E1", "exclusion", [constraint("E1.c1", "anticancer_therapy")], text="Currently receiving antineoplastic therapy.")
    (r,) = match_trial(trial(cr), [n], [f], as_of=D(2025, 9, 1))
    assert r.criteria[0].verdict == expected


def test_surrogate_method_is_fixed_by_the_surrogate_rule():
    n = note("p16 neg, HPV ISH neg.")
    f = fact(n, "p16", "p16_status", value="negative", attributes={"method": "ISH"})
    c = constraint("I1.c1", "hpv_status", comparator="==", value="negative", attributes={"method": "IHC"})
    assert verdict_of(c, [n], [f]).verdict == "met"


def test_a_drug_taken_today_may_still_be_stopped_before_the_start():
    from pipeline.extract.criteria import parse_criteria_text

    t = parse_criteria_text("No use of non-steroid anti-inflammatory agent one week before operation")
    n = note("MEDS: celecoxib 200 mg qd. Must stop celecoxib 10 days before surgery.", note_type="clinic note")
    (r,) = match_extracted(t, [n], [fact(n, "celecoxib", "celecoxib")], as_of=AS_OF)
    assert r.criteria[0].verdict == "unknown"


@pytest.mark.parametrize("notes, verdict", [
    (["Allergies: penicillin - hives.\nMeds: aspirin 100 mg daily, atorvastatin 40 mg nocte."], "not_met"),
    (["Allergies: penicillin - hives; aspirin - angioedema.\nMeds: clopidogrel 75 mg daily."], "unknown"),
])
def test_a_drug_the_patient_takes_and_never_reacted_to_is_no_object_of_a_hypersensitivity(notes, verdict):
    from match_builders import screened
    v = screened("Exclusion", "Known hypersensitivity or contraindication to any of the following medications: "
                 "heparin, aspirin, clopidogrel", *notes)
    assert v.verdict in ((verdict,) if verdict == "not_met" else ("unknown", "met")), v.reason


@pytest.mark.parametrize("line, verdict", [
    ("Any cases giving clinical symptoms of gastritis e.g. nausea, vomiting", "unknown"),
    ("Nausea or vomiting", "met"),
])
def test_an_example_symptom_of_a_named_cause_is_no_firm_evidence_of_that_cause(line, verdict):
    from match_builders import screened
    v = screened("Exclusion", line, "28 weeks pregnant. Morning nausea most days.")
    assert v.verdict == verdict, v.reason
