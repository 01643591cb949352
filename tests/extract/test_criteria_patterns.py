"""Criteria language beyond the seed listing: units of scores and measurements, worded comparators, score
levels and lists, ranges around a name, multiples of normal, numbers with thousands separators, values
with no lexicon concept, ages written next to persons, durations, open-vocabulary noun phrases, negation
cues and scope, and OR lists. Every case is a small hand-written criterion."""
from __future__ import annotations

import pytest

from pipeline.extract.criteria import parse_criteria_text
from pipeline.schema import LogicNode


def one(text, kind="inclusion"):
    t = parse_criteria_text(text, kind=kind)
    assert len(t.criteria) == 1, [c.text for c in t.criteria]
    return t.criteria[0]


def get(crit, concept):
    hits = [k for k in crit.constraints if k.concept == concept]
    assert hits, f"no {concept} in {[(k.concept, k.comparator, k.value) for k in crit.constraints]}"
    return hits[0]


def value_text(crit, k):
    s, e = k.spans["value"]
    return crit.text[s - crit.start:e - crit.start]


@pytest.mark.parametrize("text,concept,comparator,value,unit", [
    ("BMI >= 35 kg/m2", "bmi", ">=", 35, "kg/m2"),
    ("BMI>=35kg/m²", "bmi", ">=", 35, "kg/m2"),
    ("Body weight more than 40 Kg", "body_weight", ">", 40, "kg"),
    ("Systolic blood pressure above 160 mm Hg", "systolic_bp", ">", 160, "mmHg"),
    ("Resting heart rate below 50 bpm", "heart_rate", "<", 50, "bpm"),
    ("HbA1c ≥ 53 mmol/mol", "hba1c", ">=", 53, "mmol/mol"),
    ("Cumulative radiation dose of 30 Gy or more", "radiotherapy", ">=", 30, "Gy"),
    ("Anti-mullerian hormone (AMH) greater than (>) 1.1 ng/mL", "amh", ">", 1.1, "ng/mL"),
    ("Hemoglobin greater than or equal to 9 gm/dl", "hemoglobin", ">=", 9, "g/dL"),
])
def test_value_units_of_measurements_and_scores(text, concept, comparator, value, unit):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.unit) == (comparator, value, unit)


@pytest.mark.parametrize("text,concept,comparator,value", [
    ("EDSS score less than equals to (<=) 5.0", "edss", "<=", 5.0),
    ("IQ greater than or equal to 70", "iq", ">=", 70),
    ("Child-Pugh score <12", "child_pugh", "<", 12),
    ("MMSE of at least 24", "mmse", ">=", 24),
    ("mRS=2", "mrs", "==", 2),
    ("VAS pain not more than 3", "vas", "<=", 3),
])
def test_value_worded_and_symbolic_comparators_on_scores(text, concept, comparator, value):
    k = get(one(text), concept)
    assert (k.comparator, k.value) == (comparator, value)


@pytest.mark.parametrize("text,concept,low,high,quoted", [
    ("ASA 1-3", "asa_class", 1, 3, "1-3"),
    ("ASA class 1 to 3 patients", "asa_class", 1, 3, "1 to 3"),
    ("Eastern Cooperative Oncology Group (ECOG) 0 or 1", "ecog", 0, 1, "0 or 1"),
    ("Rutherford category 4 or 5", "rutherford_category", 4, 5, "4 or 5"),
    ("NIHSS: 4-25", "nihss", 4, 25, "4-25"),
    ("BMI 20 - 35 kg/m2", "bmi", 20, 35, "20 - 35 kg/m2"),
    ("Body mass index 18 ≤ BMI ≤ 32 kg/m²", "bmi", 18, 32, "18 ≤ BMI ≤ 32 kg/m²"),
])
def test_value_score_levels_and_ranges_cover_the_whole_range(text, concept, low, high, quoted):
    crit = one(text)
    k = get(crit, concept)
    assert (k.comparator, k.value, k.value_high) == ("between", low, high)
    assert value_text(crit, k) == quoted


def test_value_level_list_keeps_every_level():
    k = get(one("Genotype 2, 3, 5 or 6 infection"), "genotype")
    assert k.attributes["levels"] == "2,3,5,6"


@pytest.mark.parametrize("text,comparator,value", [
    ("ALT > 1.4 times normal", ">", 1.4),
    ("ALT 2.5 folds the upper normal limit", "<=", 2.5),
    ("ALT more than 3 times higher than normal", ">", 3),
])
def test_value_multiples_of_normal_are_relative_to_uln(text, comparator, value):
    k = get(one(text), "alt")
    assert (k.comparator, k.value, k.relative_to) == (comparator, value, "ULN")


@pytest.mark.parametrize("text,value", [
    ("Platelets ≥ 100 000/mm3", 100000),
    ("Platelets ≥ 1,500/mm3", 1500),
])
def test_value_thousands_separators(text, value):
    assert get(one(text), "platelets").value == value


@pytest.mark.parametrize("text,concept", [
    ("Blood donation of more than 450 mL in the previous three months", "blood donation"),
    ("AFC > 10", "afc"),
    ("Power Doppler score of >=10", "power doppler score"),
])
def test_value_without_lexicon_concept_takes_the_nearest_noun_phrase(text, concept):
    k = get(one(text), concept)
    assert k.open_vocabulary and k.comparator != "present"


@pytest.mark.parametrize("text,comparator,value,high", [
    (">= 18 years", ">=", 18, None),
    ("older than 80 years", ">", 80, None),
    ("Greater than the age of 18", ">", 18, None),
    ("Under the age of 15", "<", 15, None),
    ("Male or female 18 years or older", ">=", 18, None),
    ("Men and women 30-55 years with BMI 30-40", "between", 30, 55),
    ("18years to 65years", "between", 18, 65),
])
def test_age_from_years_next_to_persons_or_alone(text, comparator, value, high):
    k = get(one(text), "age")
    assert (k.comparator, k.value, k.value_high, k.unit) == (comparator, value, high, "year")


@pytest.mark.parametrize("text,is_value", [
    ("Stable diabetes regimen for 6 weeks", False),
    ("Anticipated survival of less than 3 months", True),
    ("Chronic back pain of =3 months duration", True),
])
def test_duration_of_a_condition_is_a_value_only_when_measured(text, is_value):
    crit = one(text)
    k = next(k for k in crit.constraints if "duration" in k.attributes)
    assert "temporal" in k.spans
    assert ("value" in k.spans) is is_value


@pytest.mark.parametrize("text,concept,negated", [
    ("Non-smoker for one year or more", "nicotine_dependence", True),
    ("Non-diabetic mother", "diabetic mother", True),
    ("Non-small cell lung cancer", "nsclc", False),
    ("Non-Hodgkin lymphoma", "non_hodgkin_lymphoma", False),
    ("Females must not be pregnant", "pregnancy", True),
    ("Free of brain metastases", "brain_metastases", True),
    ("Absence of ascites", "ascites", True),
])
def test_negation_cues_and_word_level_non(text, concept, negated):
    assert get(one(text), concept).negated is negated


@pytest.mark.parametrize("text,concept", [
    ("Unable to swallow tablets", "unable to swallow tablets"),
    ("Inability to undergo MRI", "inability to undergo mri"),
])
def test_negation_inability_is_part_of_the_condition(text, concept):
    k = get(one(text), concept)
    assert not k.negated and "negation" not in k.spans


@pytest.mark.parametrize("text,negated,not_negated", [
    ("No brain metastases unless treated and stable", "brain_metastases", "stable"),
    ("No pneumonia but history of asthma", "pneumonia", "asthma"),
    ("Without hypertension, with diabetes", "hypertension", "diabetes"),
])
def test_negation_scope_stops_at_but_unless_and_commas(text, negated, not_negated):
    crit = one(text)
    assert get(crit, negated).negated
    assert all(not k.negated for k in crit.constraints if k.concept == not_negated)


@pytest.mark.parametrize("text,junk", [
    ("Patients willingly participating in the trial", "willingly"),
    ("Laboratory findings obtained before enrolment", "laboratory findings obtained"),
])
def test_open_vocabulary_concepts_are_noun_phrases(text, junk):
    assert all(k.concept != junk for k in one(text).constraints)


@pytest.mark.parametrize("text,concept", [
    ("Laboratory findings obtained before enrolment", "laboratory findings"),
    ("Immunocompromised patients", "immunodeficiency"),
    ("Family history of sudden death", "sudden death"),  # a relative's (attributes["family"]), see test_family_history
])
def test_open_vocabulary_keeps_clinical_states_and_nouns(text, concept):
    assert any(k.concept.startswith(concept) for k in one(text).constraints)


def or_groups(crit):
    """Sets of concepts that sit in different arguments of one or-node."""
    by_id = {k.id: k.concept for k in crit.constraints}

    def leaves(n):
        return [by_id[n]] if isinstance(n, str) else [x for a in n.args for x in leaves(a)]

    out = []

    def walk(n):
        if isinstance(n, LogicNode):
            if n.op == "or":
                out.append([set(leaves(a)) for a in n.args])
            for a in n.args:
                walk(a)
    walk(crit.logic)
    return out


def alternatives(crit, a, b):
    return any(any(a in x for x in args) and any(b in x for x in args) and
               not any(a in x and b in x for x in args) for args in or_groups(crit))


@pytest.mark.parametrize("text,kind,a,b", [
    ("CYP3A inducers such as efavirenz and oxcarbazepine", "exclusion", "efavirenz", "oxcarbazepine"),
    ("Drug allergy (skin rash, urticaria and other allergic reactions)", "exclusion", "skin rash", "urticaria"),
    ("Current medication which interacts with either aspirin or atorvastatin", "exclusion", "aspirin", "atorvastatin"),
    ("Has ever taken Xyrem / GHB", "exclusion", "xyrem", "ghb"),
    ("Prematurity (<37 weeks)/low birthweight", "exclusion", "prematurity", "low birthweight"),
    ("Acute infection/inflammation (temperature > 38 C or WBC > 15,000/mm3)", "exclusion", "infection", "inflammation"),
    ("Has received ECT or MECT within 3 months", "exclusion", "ect", "mect"),
])
def test_logic_or_lists_and_examples(text, kind, a, b):
    assert alternatives(one(text, kind), a, b)


def test_logic_including_in_an_inclusion_criterion_keeps_and():
    crit = one("Adequate organ function including hemoglobin ≥ 9 g/dL and platelets ≥ 100 x 10^9/L")
    assert not alternatives(crit, "hemoglobin", "platelets")


@pytest.mark.parametrize("text,phrase", [
    ("Fever on the day of vaccination", "on the day of vaccination"),
    ("Use of antibiotics in the following month", "in the following month"),
    ("Stroke at any time during the study", "at any time during the study"),
    ("Investigational drug within 5 half-lives of the study drug", "within 5 half-lives of the study drug"),
    ("Intercurrent infection", "Intercurrent"),
])
def test_temporal_phrases_without_numbers_or_with_half_lives(text, phrase):
    crit = one(text, "exclusion")
    found = [crit.text[slice(*k.spans[r])] for k in crit.constraints for r in ("temporal", "window") if r in k.spans]
    assert phrase in found


@pytest.mark.parametrize("text,op", [
    ("Either hypertension or diabetes", "or"),
    ("Hypertension and/or diabetes", "or"),
    ("Asthma, COPD or pneumonia", "or"),
    ("Asthma, COPD, or pneumonia", "or"),
    ("Asthma, COPD and pneumonia", "and"),
])
def test_logic_lists_take_their_final_conjunction(text, op):
    logic = one(text).logic
    assert logic.op == op and len(logic.args) == len(one(text).constraints)


def test_logic_and_then_or_groups_the_nearest_alternatives():
    """'A and B or C' reads 'A and (B or C)'."""
    crit = one("HIV and hepatitis B or hepatitis C")
    assert crit.logic.op == "and"
    assert alternatives(crit, "hepatitis_b", "hepatitis_c") and not alternatives(crit, "hiv", "hepatitis_b")


@pytest.mark.parametrize("text,modifier,concept", [
    ("Patients with a medical or psychiatric illness", "medical", "medical illness"),
    ("Renal or hepatic impairment", "Renal", "kidney_disease"),
])
def test_concept_elliptical_coordination_shares_the_head(text, modifier, concept):
    crit = one(text, "exclusion")
    k = get(crit, concept)
    assert crit.text[slice(*k.spans["concept"])] == modifier


@pytest.mark.parametrize("text,concept,low,high", [
    ("ECOG (Eastern Cooperative Oncology Group) score: 0-2", "ecog", 0, 2),
    ("BMI 18-35", "bmi", 18, 35),
    ("Between the ages of 21-60", "age", 21, 60),
    ("Men and women with age ranging 40-80", "age", 40, 80),
    ("ASA Physical Status Class 1, 2, or 3", "asa_class", 1, 3),
])
def test_value_unitless_ranges_after_score_words_abbreviations_and_age(text, concept, low, high):
    k = get(one(text), concept)
    assert (k.comparator, k.value, k.value_high) == ("between", low, high)


def test_age_implied_by_a_value_has_no_concept_span():
    crit = one(">= 18 years")
    k = get(crit, "age")
    assert "concept" not in k.spans and crit.text[slice(*k.spans["value"])] == ">= 18 years"


@pytest.mark.parametrize("text,junk", [
    ("Participation in another study during the study period", "period"),
    ("Subjects who started the treatment frequently'", "frequently'"),
])
def test_open_vocabulary_drops_administrative_fillers(text, junk):
    assert all(k.concept != junk for k in one(text, "exclusion").constraints)


def test_logic_list_with_trailing_phrase_keeps_the_final_conjunction():
    crit = one("Diagnosis of hypertension, asthma or COPD as confirmed by a physician", "exclusion")
    assert alternatives(crit, "hypertension", "copd")


@pytest.mark.parametrize("kind,op", [("exclusion", "or"), ("inclusion", "and")])
def test_logic_exclusion_condition_lists_with_and_exclude_any_member(kind, op):
    crit = one("Severe cardiovascular disease, liver disease, and kidney disease", kind)
    assert crit.logic.op == op


@pytest.mark.parametrize("text,concept,comparator,result", [
    ("Female patients must have a negative serum pregnancy test", "pregnancy", "absent", "negative"),
    ("Positive urine drug screen", "urine drug screen", "present", "positive"),
    ("Urine drug screen positive for cocaine", "urine drug screen", "present", "positive"),
])
def test_value_test_outcome_of_a_condition_is_presence(text, concept, comparator, result):
    k = get(one(text), concept)
    assert (k.comparator, k.attributes["result"], k.negated) == (comparator, result, False)


def test_value_result_concepts_keep_their_polarity_value():
    k = get(one("HIV positive"), "hiv")
    assert (k.comparator, k.value) == ("==", "positive")


@pytest.mark.parametrize("text,concepts", [
    ("Age 18-75 years, both sexes", ["age", "sex"]),
    ("Class III/IV congestive heart failure as defined by the New York Heart Association", ["nyha_class"]),
    ("Heart failure NYHA class III or IV", ["nyha_class"]),
    ("Unable to abstain from alcohol or a history of psychiatric disorders", ["unable to abstain from alcohol", "psychiatric_disorder"]),
])
def test_concepts_no_duplicate_age_or_scale_reference(text, concepts):
    assert [k.concept for k in one(text, "exclusion").constraints] == concepts


def test_carve_out_list_covers_every_listed_item():
    crit = one("Other malignancies within 5 years, except for basal cell carcinoma, cervical cancer in situ "
               "or localized prostate cancer", "exclusion")
    carved = crit.constraints[1:]
    assert carved and all(k.attributes.get("role") == "carve_out" and not k.negated for k in carved)
    assert all(k.concept != "situ" for k in crit.constraints)


def test_carve_out_stops_at_a_second_exception():
    crit = one("Malignancies other than NSCLC, except for carcinoma in situ", "exclusion")
    assert get(crit, "nsclc").attributes.get("role") == "carve_out"


@pytest.mark.parametrize("text,concept,comparator,value,unit,quoted", [
    ("Received ≥ 2 prior lines of chemotherapy", "chemotherapy", ">=", 2, "line", "≥ 2 prior lines"),
    ("AST ≤ 3xULN", "ast", "<=", 3, None, "≤ 3xULN"),
    ("MMSE score 15 or greater", "mmse", ">=", 15, None, "15 or greater"),
    ("Neuropathy grade 2 or higher", "peripheral_neuropathy", ">=", 2, None, "grade 2 or higher"),
    ("LVEF ≥ 50%", "lvef", ">=", 50, "%", "≥ 50%"),
    ("Smoking history of at least 10 pack-years", "pack_years", ">=", 10, "pack-years", "at least 10 pack-years"),
])
def test_value_spans_cover_comparator_number_and_unit(text, concept, comparator, value, unit, quoted):
    crit = one(text)
    k = get(crit, concept)
    assert (k.comparator, k.value, k.unit) == (comparator, value, unit)
    assert value_text(crit, k) == quoted


@pytest.mark.parametrize("text,concept", [
    ("Disorders of lipid metabolism characterized by hypertriglyceridemia", "hyperlipidemia"),
    ("Medications that affect thyroid function (L-T4, carbimazole)", "l-t4"),
    ("Already on medications for epilepsy", "epilepsy"),
])
def test_open_vocabulary_phrases_after_participles_and_short_drug_codes(text, concept):
    assert any(k.concept == concept for k in one(text, "exclusion").constraints)


@pytest.mark.parametrize("text,concept", [
    ("Renal failure not due to LAL", "lal"),
])
def test_negation_reaches_the_cues_object(text, concept):
    k = next(k for k in one(text, "exclusion").constraints if k.concept.startswith(concept))
    assert k.negated


@pytest.mark.parametrize("text,phrase", [
    ("History of substance abuse (except painkillers)", "painkillers"),
    ("History of another malignancy except: basal cell carcinoma of the skin", "basal cell carcinoma of the skin"),
])
def test_carve_out_reaches_the_cues_object(text, phrase):
    k = next(k for k in one(text, "exclusion").constraints if k.concept.startswith(phrase))
    assert k.attributes.get("role") == "carve_out" and not k.negated


@pytest.mark.parametrize("text,word,role", [
    ("Adequate pulmonary function", "Adequate", "qualifier"),  # organ systems with usual limits: test_composites
    ("Histologically confirmed adenocarcinoma", "confirmed", "qualifier"),
    ("Elevated bilirubin", "Elevated", "value"),
])
def test_qualitative_words_are_values_only_when_they_state_a_level(text, word, role):
    crit = one(text)
    assert any(r in k.spans and crit.text[slice(*k.spans[r])] == word and k.attributes.get("qualifier") == word.lower()
               for k in crit.constraints for r in (role,))


@pytest.mark.parametrize("text", ["Non-pregnant women", "non-lactating females"])
def test_non_prefix_negates_a_listed_state(text):
    (k,) = [k for k in one(text).constraints if k.concept == "pregnancy"]
    assert k.comparator == "absent" and not k.open_vocabulary


def test_non_prefix_never_negates_a_disease_name():
    assert [(k.concept, k.comparator) for k in one("Non-small cell lung cancer").constraints] == [("nsclc", "present")]


@pytest.mark.parametrize("text", ["Other protocol-defined inclusion criteria may apply.",
                                  "Other protocol-specified exclusion criteria could apply"])
def test_protocol_defined_criteria_are_never_asked_of_the_notes(text):
    crit = one(text)
    assert not crit.computable and crit.category == "consent_administrative"


@pytest.mark.parametrize("text", ["Boys and girls aged 6-12 years", "Women and men aged 18-65", "Female or male patients"])
def test_both_sexes_in_any_order_admit_everyone(text):
    assert [k.value for k in one(text).constraints if k.concept == "sex"] == ["all"]


@pytest.mark.parametrize("text,concept", [("Diabetes mellitus type 1", "type1_diabetes"),
                                          ("Type 2 diabetes", "type2_diabetes"), ("Diabetes Mellitus (DM)", "diabetes")])
def test_diabetes_types_are_their_own_concepts(text, concept):
    assert [k.concept for k in one(text).constraints] == [concept]


def test_a_bare_equals_sign_is_recorded():
    (k,) = [k for k in one("Age = 65 years").constraints if k.concept == "age"]
    assert k.attributes.get("bare_equals") == "true"
    (k,) = [k for k in one("Age: 65 years").constraints if k.concept == "age"]
    assert "bare_equals" not in k.attributes


@pytest.mark.parametrize("text,narrowed", [("Renal insufficiency III-V", "III-V"), ("Chronic Kidney Disease (CKD)", None),
                                           ("Hypertension, a history of stroke", None)])
def test_a_level_range_after_a_condition_narrows_it(text, narrowed):
    k = one(text, "exclusion").constraints[0]
    assert k.context is not None and k.context.narrowed_by == narrowed


@pytest.mark.parametrize("text,concept,purpose", [
    ("Age over 65 with one additional stroke risk factor", "stroke", True),
    ("Patients receiving DVT prophylaxis", "dvt", True),
    ("History of stroke", "stroke", False),
])
def test_a_condition_named_as_what_a_risk_is_for_is_not_asked(text, concept, purpose):
    (k,) = [k for k in one(text).constraints if k.concept == concept]
    assert k.context is not None and k.context.purpose is purpose


@pytest.mark.parametrize("text,concept,unit", [
    ("Platelets < 50,000", "platelets", "/uL"),
    ("Platelets >= 100 x 10^9/L", "platelets", "10^9/L"),
    ("ANC >= 1500", "anc", "/uL"),
    ("Hemoglobin >= 9", "hemoglobin", "g/dL"),
    ("Creatinine < 1.5", "creatinine", "mg/dL"),
])
def test_a_lab_threshold_without_a_unit_takes_the_unit_its_magnitude_has_in_notes(text, concept, unit):
    assert get(one(text), concept).unit == unit


def test_a_bare_equals_on_an_age_is_a_lost_lower_limit_flagged_as_a_guess():
    k = get(one("Age = 65 years with hypertension"), "age")
    assert (k.comparator, k.value, k.attributes.get("bare_equals")) == (">=", 65.0, "true")


def test_a_limit_restated_in_another_unit_in_brackets_is_no_limit_of_its_own():
    crit = one("Corrected serum calcium < 8.0 mg/dl (2.00 mmol/L) or >= 12.0 mg/dl (3.00 mmol/L)", "exclusion")
    assert [(k.comparator, k.value, k.unit) for k in crit.constraints] == [("<", 8.0, "mg/dL"), (">=", 12.0, "mg/dL")]


def test_a_clearance_in_ml_per_minute_has_the_canonical_unit():
    k = get(one("Calculated creatinine clearance < 30 ml/minute", "exclusion"), "creatinine_clearance")
    assert (k.comparator, k.value, k.unit) == ("<", 30.0, "mL/min")


@pytest.mark.parametrize("text,concept", [
    ("Elevated liver enzyme (AST/ALT level are more than twice normal range)", "ast"),
    ("Creatinine more than double the upper limit of normal", "creatinine"),
])
def test_a_multiplier_word_is_a_multiple_of_the_upper_limit(text, concept):
    k = get(one(text, "exclusion"), concept)
    assert (k.comparator, k.value, k.relative_to) == (">", 2.0, "ULN")


def test_a_name_defined_by_the_values_in_its_brackets_is_no_second_condition():
    crit = one("Renal function deficiency (GFR <30 ml/min/1.73m2)", "exclusion")
    assert [k.concept for k in crit.constraints] == ["creatinine_clearance"]


def test_the_method_of_a_measurement_is_no_condition_of_the_patient():
    crit = one("Corrected (adjusted for serum albumin) serum calcium < 8.0 mg/dl", "exclusion")
    assert "albumin" not in [k.concept for k in crit.constraints]
    assert "corrected" in [k.concept for k in crit.constraints]  # what is measured stays: the value is corrected


@pytest.mark.parametrize("text,word", [
    ("At least one new T2 lesion on MRI with no change of treatment compared to a previous MRI", "compared"),
    ("Vulnerable patients (patients referred to in Articles L. 1121-5)", "referred"),
])
def test_a_lone_participle_left_over_names_no_condition(text, word):
    crit = one(text)
    assert word not in [k.concept for k in crit.constraints]


def test_a_time_limit_on_prior_therapies_marks_each_as_a_limit_that_all_must_keep():
    crit = one("Previous chemotherapy or radiotherapy must have been performed ≥ 8 weeks prior to study entry.")
    assert all(k.attributes.get("limit_only") for k in crit.constraints)
    assert crit.logic is None or crit.logic.op == "and"
    asked = one("Must have received prior platinum chemotherapy, completed at least 4 weeks before enrollment")
    assert not any(k.attributes.get("limit_only") for k in asked.constraints)


def test_at_least_one_event_of_a_condition_is_its_presence_in_the_window():
    k = get(one("At least one clinical relapse over a 6-month period prior to screening"), "recurrent_disease")
    assert (k.comparator, k.value, k.window.value, k.window.unit) == ("present", None, 6.0, "month")


def test_two_events_set_a_minimum_count_and_a_number_of_something_else_counts_nothing():
    k = get(one("At least two relapses within the past 12 months"), "recurrent_disease")
    assert (k.comparator, k.attributes.get("min_count")) == ("present", "2")
    hf = get(one("Two or more hospitalizations for heart failure in the past year", "exclusion"), "heart_failure")
    assert hf.comparator != "present"  # the number counts hospitalizations


def test_a_unit_that_names_the_measure_moves_the_value_to_it_and_current_or_ex_asks_no_time():
    crit = one("Current or ex-smokers with a smoking history of at least 10 pack years")
    assert (get(crit, "pack_years").comparator, get(crit, "pack_years").value) == (">=", 10.0)
    assert get(crit, "nicotine_dependence").attributes.get("temporal") is None


def test_a_condition_before_agents_is_what_the_drugs_are_for():
    crit = one("Diabetes agents: glibenclamide, glyburide", "exclusion")
    k = get(crit, "diabetes")
    assert k.context is not None and k.context.purpose


def test_a_listing_line_that_only_allows_treatments_asks_nothing():
    crit = one("Subjects can be treated with all relevant COPD medication, including inhaled steroids.")
    assert not crit.computable


def test_a_window_in_a_lead_in_applies_to_every_listed_condition():
    crit = one("Any of the following within the 12 months prior to study drug administration: myocardial "
               "infarction, unstable angina, pulmonary embolism, deep vein thrombosis.", "exclusion")
    assert all(k.window is not None and (k.window.value, k.window.unit) == (12.0, "month") for k in crit.constraints)


def test_a_sentence_listing_what_an_allowance_covers_is_allowed_too():
    crit = one("Are ambulatory. Subjects can be treated with all relevant COPD medication. This includes vaccines, "
               "theophylline and long term oxygen therapy.")
    asked = [k.concept for k in crit.constraints if k.attributes.get("role") != "carve_out"]
    assert asked == ["ambulatory"]


def test_a_negative_pregnancy_test_keeps_its_result_beside_a_time_limit():
    crit = one("Women of child-bearing potential must have a negative serum pregnancy test 72 hours or less prior "
               "to starting treatment")
    k = get(crit, "pregnancy")
    assert (k.comparator, k.attributes.get("result")) == ("absent", "negative")
    assert k.window is not None and (k.window.value, k.window.unit) == (3.0, "day")
