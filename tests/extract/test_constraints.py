"""Constraint extraction from single criteria: comparators, values and units, ULN, grades, scales, ages,
windows, negation, logic, concepts (lexicon, abbreviations, spelling variants, open vocabulary), spans,
category and computability."""
from __future__ import annotations

import pytest

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.criteria_values import clean_unit
from pipeline.schema import LogicNode


def one(text, kind="inclusion"):
    t = parse_criteria_text(text, kind=kind)
    assert len(t.criteria) == 1, [c.text for c in t.criteria]
    return t.criteria[0]


def get(crit, concept):
    hits = [k for k in crit.constraints if k.concept == concept]
    assert hits, f"no {concept} in {[(k.concept, k.comparator, k.value) for k in crit.constraints]}"
    return hits[0]


@pytest.mark.parametrize("text,concept,comparator,value,unit", [
    ("Hemoglobin at least 9 g/dL", "hemoglobin", ">=", 9, "g/dL"),
    ("Platelets no more than 400 x 10^9/L", "platelets", "<=", 400, "10^9/L"),
    ("Hemoglobin ≥ 100 g/L", "hemoglobin", ">=", 100, "g/L"),
    ("Hemoglobin => 10 g/dL", "hemoglobin", ">=", 10, "g/dL"),
    ("Hemoglobin >or= 10 g/dL", "hemoglobin", ">=", 10, "g/dL"),
    ("Hemoglobin >= 10 g/dL", "hemoglobin", ">=", 10, "g/dL"),
    ("Creatinine clearance less than 30 mL/min", "creatinine_clearance", "<", 30, "mL/min"),
    ("Creatinine clearance below 30 ml/min", "creatinine_clearance", "<", 30, "mL/min"),
    ("Albumin above 30 g/L", "albumin", ">", 30, "g/L"),
    ("QTc exceeding 470 ms", "qtc", ">", 470, "ms"),
    ("White blood cell count ≥ 4.010^9/L", "wbc", ">=", 4.0, "10^9/L"),
    ("Platelet count ≥ 100*10^9/L", "platelets", ">=", 100, "10^9/L"),
    ("Absolute neutrophil count ≥1.5 x 109 cells/L", "anc", ">=", 1.5, "10^9/L"),
    ("Age\\>18 years old", "age", ">", 18, "year"),
    ("Aged 6 months or older", "age", ">=", 6, "month"),
    ("Received ≥ 2 lines of chemotherapy", "chemotherapy", ">=", 2, "line"),
    ("LVEF of 50% or more", "lvef", ">=", 50, "%"),
])
def test_value_comparators_numbers_and_units(text, concept, comparator, value, unit):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.unit) == (comparator, value, unit)


@pytest.mark.parametrize("text,concept,low,high,unit", [
    ("Age between 18 and 70 years", "age", 18, 70, "year"),
    ("Age 18–70 years", "age", 18, 70, "year"),
    ("ECOG performance status 0-2", "ecog", 0, 2, None),
    ("ECOG score of 0 or 1", "ecog", 0, 1, None),
])
def test_value_ranges_are_between(text, concept, low, high, unit):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.value_high, k.unit) == ("between", low, high, unit)


@pytest.mark.parametrize("text,concept,comparator,value,ref", [
    ("Total bilirubin ≤ 1.5 times the upper limit of normal", "total_bilirubin", "<=", 1.5, "ULN"),
    ("AST ≤ 2.5 × ULN", "ast", "<=", 2.5, "ULN"),
    ("Serum creatinine < 1.5 x ULN", "creatinine", "<", 1.5, "ULN"),
    ("ALT above the upper limit of normal", "alt", ">", 1, "ULN"),
    ("Albumin ≥ 1.0 x LLN", "albumin", ">=", 1.0, "LLN"),
])
def test_value_uln_and_lln_multiples(text, concept, comparator, value, ref):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.relative_to, k.unit) == (comparator, value, ref, None)


def test_value_uln_alternative_in_case_of_liver_metastases_is_an_or():
    c = one("ALT ≤ 2.5 × ULN (≤ 5 x ULN in case of liver metastases)")
    alts = [k for k in c.constraints if k.concept == "alt"]
    assert [(k.comparator, k.value, k.relative_to) for k in alts] == [("<=", 2.5, "ULN"), ("<=", 5, "ULN")]
    assert isinstance(c.logic, LogicNode) and any(
        isinstance(a, LogicNode) and a.op == "or" for a in [c.logic] + list(c.logic.args))


@pytest.mark.parametrize("text,comparator,value,high", [
    ("Peripheral neuropathy grade ≤ 1", "<=", 1, None),
    ("Peripheral neuropathy ≥ grade 2", ">=", 2, None),
    ("Toxicity grade I or less per CTCAE", "<=", 1, None),
    ("Diarrhea grade 3-4", "between", 3, 4),
])
def test_value_ctcae_grades(text, comparator, value, high):
    c = one(text)
    k = next(k for k in c.constraints if k.attributes.get("scale") == "CTCAE")
    assert (k.comparator, k.value, k.value_high) == (comparator, value, high)


@pytest.mark.parametrize("text,concept,scale,comparator,value", [
    ("Karnofsky performance status ≥ 70%", "karnofsky", "Karnofsky", ">=", 70),
    ("Lansky score ≥ 50", "lansky", "Lansky", ">=", 50),
    ("ECOG ≤ 1", "ecog", "ECOG", "<=", 1),
])
def test_value_performance_scales(text, concept, scale, comparator, value):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.attributes["scale"]) == (comparator, value, scale)


def test_value_nyha_class_on_heart_failure_is_a_constraint_on_the_class():
    k = get(one("Class III/IV congestive heart failure (New York Heart Association)", "exclusion"), "nyha_class")
    assert (k.comparator, k.value, k.value_high, k.attributes["scale"]) == ("between", 3, 4, "NYHA")


@pytest.mark.parametrize("text,concept,window", [
    ("Major surgery within 28 days before randomisation", "surgery", ("<=", 28, "day", "randomization")),
    ("Myocardial infarction in the past 6 months", "myocardial_infarction", ("<=", 6, "month", "as_of")),
    ("Radiotherapy at least 4 weeks since the last dose", "radiotherapy", (">=", 4, "week", "last_dose")),
    ("Chemotherapy within 3 weeks prior to the first dose of study treatment", "chemotherapy", ("<=", 3, "week", "first_dose")),
    ("Investigational drug within 30 days of enrollment", "clinical_trial_participation", ("<=", 30, "day", "enrollment")),
    ("Transfusion within 2 weeks before screening", "transfusion", ("<=", 2, "week", "screening")),
    ("Stroke within the past year", "stroke", ("<=", 1, "year", "as_of")),
    ("Other malignancy within five years", "other_malignancy", ("<=", 5, "year", "as_of")),
])
def test_window_with_anchor(text, concept, window):
    k = get(one(text, "exclusion"), concept)
    assert (k.window.comparator, k.window.value, k.window.unit, k.window.anchor) == window
    s, e = k.spans["window"]
    assert any(w in parse_criteria_text(text).text[s:e] for w in ("within", "past", "since", "at least"))


@pytest.mark.parametrize("text,concept", [
    ("No history of myocardial infarction", "myocardial_infarction"),
    ("Without active infection", "active_infection"),
    ("Must not have received cetuximab", "cetuximab"),
    ("No prior radiotherapy", "radiotherapy"),
])
def test_negation_marks_constraint_absent(text, concept):
    k = get(one(text), concept)
    assert k.negated and k.comparator == "absent" and "negation" in k.spans


def test_negation_without_a_or_b_negates_both_and_joins_with_and():
    c = one("Hemoglobin ≥ 9 g/dL without transfusion or growth factor support")
    tr, gf = get(c, "transfusion"), get(c, "hematopoietic_growth_factor")
    assert tr.negated and gf.negated and not get(c, "hemoglobin").negated
    assert c.logic == LogicNode(op="and", args=[k.id for k in c.constraints])


def test_negation_does_not_cross_a_new_coordinated_phrase():
    c = one("History of substance abuse and unable to abstain or a history of psychiatric disorder", "exclusion")
    assert not get(c, "psychiatric_disorder").negated and not get(c, "substance_abuse").negated


@pytest.mark.parametrize("text,op", [
    ("Either cisplatin or carboplatin", "or"),
    ("Hypertension and/or diabetes", "or"),
    ("Prior cisplatin and docetaxel", "and"),
])
def test_logic_from_connectors(text, op):
    c = one(text)
    assert c.logic == LogicNode(op=op, args=[k.id for k in c.constraints])


def test_logic_parenthesised_list_after_head_is_or_of_members():
    c = one("Active lung disease (interstitial pneumonia, pneumonia, obstructive lung disease, asthma)", "exclusion")
    ids = {k.concept: k.id for k in c.constraints}
    assert {"interstitial_lung_disease", "pneumonia", "copd", "asthma"} <= set(ids)
    assert c.logic.op == "or"


def test_logic_drug_class_alternatives():
    c = one("Prior cetuximab or other anti-EGFR monoclonal antibodies or small molecule tyrosine kinase inhibitors", "exclusion")
    assert [k.concept for k in c.constraints] == ["cetuximab", "anti_egfr_mab", "egfr_tki"]
    assert c.logic.op == "or"


@pytest.mark.parametrize("text,concept,value,method", [
    ("HPV testing negative, using the IHC method", "hpv_status", "negative", "IHC"),
    ("p16 positive by immunohistochemistry", "p16_status", "positive", "IHC"),
    ("Positive HIV antibody", "hiv", "positive", None),
    ("HBsAg positive", "hbsag", "positive", None),
])
def test_result_criteria_have_polarity_value_and_method(text, concept, value, method):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.negated, k.attributes.get("method")) == ("==", value, False, method)


def test_result_polarity_shared_across_or():
    c = one("Positive HIV antibody or syphilis spirochete antibody test results", "exclusion")
    assert [(k.concept, k.value) for k in c.constraints] == [("hiv", "positive"), ("syphilis", "positive")]


def test_concept_from_abbreviation_defined_in_listing():
    t = parse_criteria_text("Inclusion Criteria:\n- Oral mucositis grading system (OMGS) documented\n- OMGS score ≥ 2\n")
    k = t.criteria[1].constraints[0]
    assert k.concept == "oral mucositis grading system" and k.open_vocabulary


def test_concept_abbreviation_of_lexicon_long_form():
    t = parse_criteria_text("- Recurrent head and neck squamous cell carcinoma (HNSCCA)\n- HNSCCA of the larynx\n")
    k = t.criteria[1].constraints[0]
    assert (k.concept, k.open_vocabulary, k.text) == ("hnscc", False, "HNSCCA")


def test_concept_spelling_variant_by_fuzzy_match():
    k = get(one("Prior treatment with pembrolizumabb"), "pembrolizumab")
    assert k.attributes.get("matched_phrase") == "pembrolizumab"


def test_concept_outside_lexicon_is_open_vocabulary():
    c = one("Documented Fabry disease", "exclusion")
    assert [(k.concept, k.open_vocabulary) for k in c.constraints] == [("fabry disease", True)]
    assert c.computable is False and c.reason


@pytest.mark.parametrize("text,word", [
    ("Current tuberculosis", "Current"),
    ("Prior tuberculosis", "Prior"),
    ("Active tuberculosis", "Active"),
    ("Currently receiving chemotherapy", "Currently"),
])
def test_temporal_words_recorded_as_temporal_span_without_window(text, word):
    k = one(text, "exclusion").constraints[0]
    assert text[slice(*k.spans["temporal"])] == word
    assert k.window is None


@pytest.mark.parametrize("text,word,role", [
    ("History of tuberculosis", "History of", "history"),
    ("Chronic hepatitis B", "Chronic", "qualifier"),
    ("Acute pancreatitis", "Acute", "qualifier"),
])
def test_temporal_history_and_course_words_are_qualifier_spans_not_time(text, word, role):
    k = one(text, "exclusion").constraints[0]
    assert text[slice(*k.spans[role])] == word and "temporal" not in k.spans
    assert k.attributes["temporal"] in ("history", "course")


def test_spans_value_covers_comparator_number_and_unit():
    text = "Hemoglobin ≥ 100 g/L"
    k = get(one(text), "hemoglobin")
    s, e = k.spans["value"]
    assert text[s:e] == "≥ 100 g/L"
    assert text[slice(*k.spans["concept"])] == "Hemoglobin"


@pytest.mark.parametrize("text,category,computable", [
    ("Patients who, in the judgment of the investigator, are unsuitable for the study", "investigator_judgement", False),
    ("Signed written informed consent", "consent_administrative", False),
    ("Hemoglobin ≥ 9 g/dL", "laboratory", True),
    ("Life expectancy of at least 3 months", "disease_status", True),
])
def test_category_and_computability(text, category, computable):
    c = one(text)
    assert (c.category, c.computable) == (category, computable)


def test_life_expectancy_gives_a_reason():
    assert one("Life expectancy ≥ 12 weeks").reason


@pytest.mark.parametrize("raw,clean", [
    ("x 10^9/L", "10^9/L"), ("×10^9/L", "10^9/L"), ("10*9/L", "10^9/L"), ("ml/min", "mL/min"), ("mg/dl", "mg/dL"),
    ("weeks", "week"), ("cycles", "cycle"), ("U/L", "U/L"),
])
def test_clean_unit_surface_forms(raw, clean):
    assert clean_unit(raw)[0] == clean
