"""Note styles met outside the seed trial's notes: smoking status lists, differential wording,
surveillance tests, bracketed dates in problem lists, words that name a condition rather than
qualify it, and the psychiatric vocabulary split into its own concepts."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract_text
from pipeline.lexicon import load_lexicon

DATE = dt.date(2025, 7, 22)


def fact(text: str, concept: str):
    found = [f for f in extract_text(text, date=DATE) if f.concept == concept and f.statement is None]
    assert found, f"no {concept} fact in {text!r}"
    return found[0]


def test_never_smoker_does_not_negate_the_rest_of_the_list():
    f = fact("61M, never smoker, stage IVB lung adenocarcinoma (RUL 4.0 cm).", "lung_adenocarcinoma")
    assert not f.negated


def test_rather_than_negates_the_condition_it_names():
    assert fact("The LVH is due to long-standing hypertension rather than HCM.", "hypertrophic_cardiomyopathy").negated


def test_surveillance_imaging_is_not_the_condition_it_looks_for():
    f = fact("ULTRASOUND ABDOMEN (HCC surveillance). No focal lesion identified.", "hcc")
    assert f.hypothetical or f.negated


def test_a_date_in_another_items_bracket_does_not_date_a_problem_list_item():
    text = "PMH: CAD, DM2 (A1c 7.2% 06/2025), HTN, CKD."
    assert fact(text, "hypertension").date == DATE
    assert not fact(text, "hypertension").over  # historical by its PMH heading only, not by the other date
    assert fact(text, "hba1c").date == dt.date(2025, 6, 1)


def test_a_bracket_right_after_the_mention_still_dates_it():
    assert fact("PMH: HTN (diagnosed 03/2015), CKD.", "hypertension").date == dt.date(2015, 3, 1)


@pytest.mark.parametrize("text,groups", [
    ("Major surgery within 4 weeks of the first dose", ["qualifier.significant"]),
    ("Clinically significant cardiovascular disease", ["qualifier.significant"]),
    ("Major depressive disorder", []),
])
def test_a_qualifier_word_inside_the_concept_name_is_not_a_qualifier(text, groups):
    crit = parse_criteria_text(text, kind="exclusion").criteria[0]
    ctx = [k.context for k in crit.constraints if k.context is not None]
    assert ctx and list(ctx[0].qualifier_groups) == groups


def test_a_major_depressive_disorder_note_carries_no_significance_cue():
    f = fact("Diagnosis: major depressive disorder, recurrent.", "depression")
    assert not [q for q in f.qualifier_cues if q.group == "qualifier.significant"]


@pytest.mark.parametrize("phrase,concept", [
    ("major depressive disorder", "depression"), ("schizophrenia", "schizophrenia"),
    ("bipolar disorder", "bipolar_disorder"), ("psychosis", "psychosis"),
])
def test_psychiatric_diagnoses_are_their_own_concepts_in_the_psychiatric_class(phrase, concept):
    f = fact(f"History of {phrase}.", concept)
    entry = load_lexicon().get(concept)
    assert entry is not None and "psychiatric_disorder" in entry.classes
    assert f.concept == concept


@pytest.mark.parametrize("text,concept,value", [
    ("Molecular: EGFR L858R detected by NGS.", "egfr_l858r", "positive"),
    ("NGS shows KRAS G12C.", "kras_g12c", "positive"),
    ("61M, stage IV adenocarcinoma (brain MRI neg), EGFR-mutated, on no therapy.", "egfr_mutation", "positive"),
])
def test_a_result_mention_that_names_the_finding_is_positive(text, concept, value):
    assert fact(text, concept).value == value


def test_a_not_detected_list_negates_each_item_and_stops_at_the_next_header():
    text = ("Findings:\n  EGFR exon 20 insertion (VAF 28%)\nNot detected: EGFR exon 19 deletion, EGFR L858R; KRAS.\n"
            "Interpretation: EGFR exon 20 insertions respond poorly to EGFR TKIs.")
    facts = [f for f in extract_text(text, date=DATE) if f.statement is None]
    listed = [f for f in facts if text.index("Not detected") < f.start < text.index("Interpretation")]
    assert listed and all(f.negated and f.value == "negative" for f in listed)
    assert not [f for f in facts if f.start > text.index("Interpretation") and f.negated]
    assert fact(text, "egfr_exon20_insertion").value == "positive"


@pytest.mark.parametrize("text,narrowed", [
    ("Previous significant bowel resection", "bowel"),
    ("Autonomic neuropathy", "Autonomic"),
    ("Major surgery within 4 weeks", None),
    ("Histologically confirmed active hepatitis B", None),
    ("Cardiac arrhythmia requiring treatment", None),
])
def test_criterion_words_that_narrow_a_broader_concept_are_recorded(text, narrowed):
    crit = parse_criteria_text(text, kind="exclusion").criteria[0]
    assert crit.constraints[0].context is not None
    assert crit.constraints[0].context.narrowed_by == narrowed


def test_a_qualifier_after_a_value_belongs_to_the_next_constraint_not_this_one():
    crit = parse_criteria_text("ECOG performance status of 0 or 1 with no clinically significant deterioration",
                               kind="inclusion").criteria[0]
    ecog = next(k for k in crit.constraints if k.concept == "ecog")
    assert ecog.context is not None and ecog.context.qualifier_groups == []


def test_the_age_of_the_mother_a_child_was_born_to_is_not_the_patients():
    facts = [f for f in extract_text("A 15-week-old infant seen today. He was born on 39th week to a 39-year-old woman.",
                                     date=DATE) if f.concept == "age"]
    assert facts and all(f.family for f in facts if f.value == 39)


def test_a_nyha_class_in_roman_numerals_is_read_and_never_taken_for_a_performance_score():
    assert fact("A/P: HFrEF / NICM, NYHA class III, near euvolemic.", "nyha_class").value == 3
    assert fact("ECOG PS 1, NYHA II.", "ecog").value == 1


def test_lab_table_rows_with_a_method_in_brackets_keep_their_value():
    text = "eGFR (CKD-EPI 2021)  35 mL/min/1.73m2\nWeight 64 kg\nCreatinine clearance (Cockcroft-Gault, calc.)  29 mL/min"
    values = sorted(f.value for f in extract_text(text, date=DATE) if f.concept == "creatinine_clearance")
    assert values == [29.0, 35.0]


def test_a_spaced_dash_between_words_is_a_separator_not_a_negative_result():
    assert fact("Stage IV adenocarcinoma, EGFR-mutated - exon 20 insertion A767_V769dup.", "egfr_mutation").value == "positive"
    assert fact("HIV -\nHBsAg -", "hbsag").value == "negative"


@pytest.mark.parametrize("text,years", [("A 15-week-old infant.", 0.288), ("An 8 month old girl.", 0.667),
                                        ("A 62-year-old man.", 62.0)])
def test_ages_in_weeks_and_months_are_read_in_years(text, years):
    assert fact(text, "age").value == years


def test_a_drug_that_will_be_started_is_a_plan_not_exposure():
    f = fact("Paget's disease of bone is confirmed and bisphosphonate will be started as first-line therapy.",
             "bisphosphonate")
    assert f.planned


def test_a_condition_named_as_what_an_explanation_is_for_is_not_a_condition_asked():
    crit = parse_criteria_text("No clinically apparent alternative explanation for thrombocytopenia and anemia",
                               kind="inclusion").criteria[0]
    assert all(k.context is not None and k.context.purpose for k in crit.constraints)


@pytest.mark.parametrize("text,quote", [
    ("MRI brain 7/3: no mets.", "mets"),
    ("Stage IV: multiple lytic bone mets, no brain mets on MRI.", "brain mets"),
    ("Metastases to the brain, s/p SRS.", "Metastases"),
])
def test_a_metastasis_with_a_site_of_its_own_is_that_sites_concept(text, quote):
    """The note-side mirror of the listing's 'CNS metastases': a denial on a brain MRI denies brain metastases,
    so it does not contradict the bone metastases of the same note."""
    f = next(f for f in extract_text(text, date=DATE) if f.text == quote)
    assert f.concept == "brain_metastases"


def test_a_site_in_another_clause_does_not_move_a_metastasis():
    fs = extract_text("Brain MRI showed no metastases but bone scan positive for metastatic disease.", date=DATE)
    assert [(f.concept, f.negated) for f in fs if "metasta" in f.concept] == [
        ("brain_metastases", True), ("metastatic_disease", False)]


@pytest.mark.parametrize("text,cm", [
    ("Height 5'9\".", 175.26), ("height 5 ft 9 in", 175.26), ("Height 69 in.", 175.26), ("Ht 175 cm.", 175.0),
    ("Height 1.75 m", 175.0),
])
def test_heights_in_any_unit_are_centimetres(text, cm):
    (f,) = [f for f in extract_text(text, date=DATE) if f.concept == "height"]
    assert (f.value, f.unit) == (cm, "cm")


def test_a_weight_without_a_unit_takes_no_value():
    """82 could be kg or lb: no guess."""
    (f,) = [f for f in extract_text("Weight 82.", date=DATE) if f.concept == "body_weight"]
    assert f.value is None
    (g,) = [f for f in extract_text("Wt 180 lb.", date=DATE) if f.concept == "body_weight"]
    assert round(g.value, 1) == 81.6 and g.unit == "kg"


def test_in_after_a_lab_value_is_a_preposition():
    (f,) = [f for f in extract_text("Hb 12 in March.", date=DATE) if f.concept == "hemoglobin"]
    assert f.value == 120.0


def test_bmi_is_computed_from_a_weight_and_height_written_together():
    text = "Vitals: BP 128/76, Wt 82 kg, Ht 175 cm."
    (f,) = [f for f in extract_text(text, date=DATE) if f.concept == "bmi"]
    assert (f.value, f.unit, f.text) == (26.8, "kg/m2", "Wt 82 kg, Ht 175 cm") and text[f.start:f.end] == f.text
    assert [c.category for c in f.cues] == ["DERIVED"]


def test_a_stated_bmi_is_never_recomputed():
    fs = [f for f in extract_text("Weight 180 lb, height 5'9\". BMI 26.6.", date=DATE) if f.concept == "bmi"]
    assert [f.value for f in fs] == [26.6]


@pytest.mark.parametrize("text,negated,historical", [
    ("Never smoker with EGFR-mutant adenocarcinoma.", True, False),
    ("Non-smoker. No alcohol.", True, False),
    ("Former smoker, quit 2010.", False, True),
    ("Ex-smoker (30 pack-years).", False, True),
    ("Smokes 1 ppd.", False, False),
])
def test_smoking_status_words_carry_their_assertion(text, negated, historical):
    (f,) = [f for f in extract_text(text, date=DATE) if f.concept == "nicotine_dependence"]
    assert (f.negated, f.historical) == (negated, historical)


def test_never_smoker_negates_nothing_else():
    fs = extract_text("Never smoker with EGFR-mutant adenocarcinoma.", date=DATE)
    assert not next(f for f in fs if f.concept == "egfr_mutation").negated


@pytest.mark.parametrize("text,comparator,temporal", [
    ("Non-smokers", "absent", None), ("Current smokers", "present", "current"),
    ("Ex-smokers with at least 10 pack-years", "present", "history"),
])
def test_listing_smoking_words_read_like_the_notes(text, comparator, temporal):
    (k,) = [k for k in parse_criteria_text(f"Inclusion Criteria:\n- {text}\n").criteria[0].constraints
            if k.concept == "nicotine_dependence"]
    assert (k.comparator, k.attributes.get("temporal")) == (comparator, temporal)


@pytest.mark.parametrize("text,over", [
    ("SOCIAL HISTORY: He smokes 1 ppd.", False), ("Tobacco: current smoker, 1 ppd.", False),
    ("Social history: former smoker, quit 2010.", True),
])
def test_social_history_lists_current_habits(text, over):
    """A social-history heading makes a habit historical in ConText's sense, never over by itself."""
    (f,) = [f for f in extract_text(text, date=DATE) if f.concept == "nicotine_dependence"]
    assert f.historical and f.over is over


@pytest.mark.parametrize("text,sex", [("The patient is a 14-year-old boy with scoliosis.", "male"),
                                      ("A 16-year-old girl with myasthenia gravis.", "female")])
def test_children_have_a_sex(text, sex):
    assert [f.value for f in extract_text(text, date=DATE) if f.concept == "sex"] == [sex]


@pytest.mark.parametrize("text", ["Has never taken any osteoporosis medication.", "No diabetes meds."])
def test_a_condition_named_as_what_a_drug_is_for_is_no_fact(text):
    assert not [f for f in extract_text(text, date=DATE) if f.concept in ("osteoporosis", "diabetes")]


def test_the_ckd_epi_equation_is_no_kidney_disease_and_its_value_is_read():
    facts = extract_text("eGFR CKD-EPI 93 mL/min/1.73m2", date=DATE)
    assert not [f for f in facts if f.concept == "ckd"]
    assert [f.value for f in facts if f.concept == "creatinine_clearance"] == [93.0]


def test_a_drug_mentioned_as_an_alternative_is_planned_not_given():
    facts = extract_text("Discussed alendronate; also mentioned denosumab as an alternative.", date=DATE)
    assert all(f.planned for f in facts if f.concept == "denosumab")


@pytest.mark.parametrize("text,state", [
    ("IS: everolimus 0.75 bid + MMF 500 bid.", "current"),
    ("Apixaban (Eliquis) 5 mg twice daily.", "current"),
    ("Everolimus was mentioned by the transplant team.", "unclear"),
])
def test_a_dose_and_frequency_after_a_drug_is_a_medication_line(text, state):
    concept = "apixaban" if "pixaban" in text else "everolimus"
    f = fact(text, concept)
    assert f.therapy is not None and f.therapy.state == state


@pytest.mark.parametrize("text,negated", [
    ("Thrombosis: denies any hx of clots.", True),
    ("Infection: none current.", True),
    ("Hypertension: no meds, diet only.", False),
    ("Last week: denies fever. Hypertension on amlodipine.", False),
])
def test_a_line_opening_label_answered_by_a_denial_is_negated(text, negated):
    concept = {"Thro": "thromboembolism", "Infe": "infection", "Hype": "hypertension", "Last": "hypertension"}[text[:4]]
    assert fact(text, concept).negated is negated


@pytest.mark.parametrize("phrase,concept", [
    ("HbSS", "sickle_cell_anemia"), ("HbSC disease", "sickle_hemoglobin_c_disease"),
    ("HbS/β0 thalassemia", "sickle_beta_zero_thalassemia"), ("sickle beta-plus thalassemia", "sickle_beta_plus_thalassemia"),
])
def test_sickle_cell_genotypes_are_siblings_under_sickle_cell_disease(phrase, concept):
    f = fact(f"Diagnosis: {phrase}, followed in clinic.", concept)
    lex = load_lexicon()
    assert lex.is_a(f.concept, "sickle_cell_disease")
    others = {"sickle_cell_anemia", "sickle_hemoglobin_c_disease", "sickle_beta_zero_thalassemia",
              "sickle_beta_plus_thalassemia"} - {concept}
    assert not any(lex.is_a(f.concept, o) for o in others)


def test_a_negation_of_an_earlier_list_item_does_not_reach_a_stated_score():
    f = fact("Cardiac status: no dyspnea, exercise tolerance unlimited, NYHA class I.", "nyha_class")
    assert not f.negated and f.value == 1.0


def test_a_negation_before_an_arrow_does_not_reach_the_conclusion_after_it():
    f = fact("Mild DOE on 2 flights of stairs, no orthopnea, no edema -> NYHA II.", "nyha_class")
    assert not f.negated and f.value == 2.0


@pytest.mark.parametrize("text,concept,state", [
    ("Pembrolizumab (anti-PD-1) C2D1 today, tolerating well.", "pembrolizumab", "current"),
    ("A: Idiopathic PD, stable on levodopa; no change.", "levodopa", "current"),
    ("PD on pembrolizumab per CT 6/2025.", "pembrolizumab", "past"),
])
def test_pd_is_progression_only_when_it_is_not_pd1_or_parkinsons(text, concept, state):
    f = fact(text, concept)
    assert f.therapy is not None and f.therapy.state == state


@pytest.mark.parametrize("phrase,concept,cls", [
    ("celecoxib", "celecoxib", "nsaid"), ("ropinirole", "ropinirole", "dopamine_agonist"),
    ("tadalafil", "tadalafil", "pde5_inhibitor"), ("isosorbide mononitrate", "isosorbide_mononitrate", "nitrate"),
    ("tamsulosin", "tamsulosin", "alpha_blocker"), ("donepezil", "donepezil", "cholinesterase_inhibitor"),
])
def test_common_drug_classes_of_trial_exclusions_are_in_the_vocabulary(phrase, concept, cls):
    f = fact(f"Meds: {phrase} daily.", concept)
    assert load_lexicon().is_a(f.concept, cls)


@pytest.mark.parametrize("text", [
    "Behaviour: depression, agitation and delusions absent.",
    "NPI domains - Depression, agitation, delusions, hallucinations: absent.",
])
def test_absent_after_a_list_negates_its_items(text):
    assert fact(text, "depression").negated


def test_absent_does_not_reach_past_a_semicolon():
    assert not fact("Hypertension; seizure activity absent.", "hypertension").negated


def test_a_candidacy_assessment_is_hypothetical():
    from pipeline.extract.phrase_assertion import phrase_assertion

    text = "Audiology evaluated him for cochlear implant candidacy in 2019; he did not meet criteria."
    start = text.index("cochlear implant")
    assert phrase_assertion(text, start, start + len("cochlear implant"))[0] == "hypothetical"


@pytest.mark.parametrize("text,points", [
    ("Cirrhosis, Child-Pugh A6 (bili 1, alb 2, INR 1).", 6.0),
    ("Impression: Child-Pugh class B (8 points).", 8.0),
    ("CTP score: 10 (class C).", 10.0),
])
def test_a_child_pugh_class_letter_before_its_points_leaves_the_points(text, points):
    assert fact(text, "child_pugh").value == points


@pytest.mark.parametrize("text,rate", [
    ("Vitals: BP 118/74, HR 78 regular, SpO2 97%.", 78.0),
    ("Obs: Pulse 64, T 36.8.", 64.0),
    ("Resting heart rate 52 bpm on bisoprolol.", 52.0),
])
def test_a_heart_rate_is_read_from_its_vital_sign_shorthand(text, rate):
    assert fact(text, "heart_rate").value == rate


@pytest.mark.parametrize("text", [
    "HR+ HER2- breast cancer on letrozole.",
    "Peripheral pulses palpable; pulse oximetry 96%.",
])
def test_hr_or_pulse_without_a_rate_is_no_heart_rate(text):
    assert not [f for f in extract_text(text, date=DATE) if f.concept == "heart_rate"]


@pytest.mark.parametrize("text,concept", [
    ("High bleeding risk (HAS-BLED 3).", "bleeding"),
    ("Stroke risk: CHA2DS2-VASc 4.", "stroke"),
])
def test_a_condition_named_as_a_risk_is_hypothetical(text, concept):
    assert fact(text, concept).hypothetical


def test_a_therapy_previously_deferred_was_not_given():
    assert fact("A/P: AF, anticoagulation previously deferred by PCP.", "anticoagulant").negated


def test_a_function_word_never_starts_a_spelling_variant_of_a_lexicon_phrase():
    trial = parse_criteria_text("Exclusion Criteria:\n- Severe cognitive impairment (defined as score = 5 on the "
                                "Short Portable Mental Status Questionnaire)\n")
    assert "asa_class" not in {k.concept for c in trial.criteria for k in c.constraints}


def test_anxiety_about_a_disease_is_not_the_disease():
    assert fact("Anxiety about cancer because of a colleague - no psychiatric diagnosis.", "malignancy").hypothetical


@pytest.mark.parametrize("line,computable", [
    ("Allergy/intolerance to any of the components of medications used in the treatment.", False),
    ("Known hypersensitivity to any component of the study drug", False),
    ("Known hypersensitivity to any component of the investigational medications, monoamine oxidase inhibitors", True),
    ("Known hypersensitivity to any component of trastuzumab", True),
])
def test_an_allergy_to_the_study_treatments_components_is_for_the_investigator(line, computable):
    (c,) = parse_criteria_text(f"Exclusion Criteria:\n- {line}\n").criteria
    assert c.computable is computable


@pytest.mark.parametrize("line,computable", [
    ("Women of child-bearing potential must be surgically sterile, postmenopausal, or agree to use two methods of "
     "contraception", False),
    ("A male volunteer whose partner could become pregnant must be surgically sterile or agrees to use an accepted "
     "contraceptive regimen", False),
    ("Female patients of childbearing potential must have a negative pregnancy test and agree to use contraception",
     True),
])
def test_an_alternative_the_patient_can_meet_by_agreeing_leaves_nothing_for_the_notes(line, computable):
    (c,) = parse_criteria_text(f"Inclusion Criteria:\n- {line}\n").criteria
    assert c.computable is computable


def test_unwilling_is_no_agreement_alternative():
    (c,) = parse_criteria_text("Exclusion Criteria:\n- Women who are pregnant or unwilling to use contraception\n"
                               ).criteria
    assert c.computable and "pregnancy" in {k.concept for k in c.constraints}


@pytest.mark.parametrize("line,asks_trials", [
    ("Availability of a signed Informed Consent form for participation in the clinical trial.", False),
    ("Participation in another clinical trial within 30 days", True),
])
def test_the_trial_itself_is_no_earlier_trial_participation(line, asks_trials):
    (c,) = parse_criteria_text(f"Exclusion Criteria:\n- {line}\n").criteria
    assert ("clinical_trial_participation" in {k.concept for k in c.constraints}) is asks_trials


def test_fh_before_a_condition_is_a_relatives():
    assert fact("Indication: postprandial fullness, early satiety, FH gastric ca.", "gastric_cancer").family


@pytest.mark.parametrize("text,flag", [
    ("Pregnancy: not pregnant, IUS in situ.", "negated"),
    ("Pregnancy: on OCP daily, also uses condoms.", "hypothetical"),
    ("Pregnancy: yes, 12 weeks by dates.", None),
])
def test_a_pregnancy_label_asserts_only_what_its_answer_says(text, flag):
    f = fact(text, "pregnancy")
    assert [k for k in ("negated", "hypothetical") if getattr(f, k)] == ([flag] if flag else [])


def test_immune_to_a_disease_is_not_having_it():
    assert fact("Interpretation: Immune to hepatitis B due to vaccination.", "hepatitis_b").negated


def test_a_vaccine_series_named_by_its_disease_is_no_disease():
    found = {f.concept for f in extract_text("Immunizations: hepatitis B series completed 2010.", date=DATE)}
    assert "hepatitis_b" not in found


@pytest.mark.parametrize("text,concept", [
    ("Reason: referred by family MD for TB screening.", "tuberculosis"),
    ("TB CLINIC - NURSING", "tuberculosis"),
    ("Seen in the diabetes clinic for foot review.", "diabetes"),
])
def test_a_condition_naming_a_screening_or_a_clinic_is_not_asserted(text, concept):
    assert fact(text, concept).hypothetical


def test_a_question_mark_before_a_modifier_still_queries_the_mention():
    assert fact("2. Bibasilar reticulation on CT ?early ILD. HRCT planned.", "interstitial_lung_disease").uncertain


@pytest.mark.parametrize("text,is_hf", [
    ("HF history: Dx 2021, hospitalized with PND.", True),
    ("Exam: R HF 4-/5, ADF 3/5. Walks with AFO.", False),
])
def test_hf_is_heart_failure_except_as_a_muscle_grade(text, is_hf):
    assert any(f.concept == "heart_failure" for f in extract_text(text, date=DATE)) is is_hf


@pytest.mark.parametrize("text", [
    "MEDICATION RECONCILIATION - HD UNIT\n\nCatapres-TTS-2 (clonidine transdermal 0.2 mg/24 h) - apply 1 patch weekly",
    "Progress note. Clonidine transdermal 0.1 mg/24h patch weekly; BP better.",
])
def test_a_drug_on_a_medication_list_or_with_a_patch_dose_is_taken_now(text):
    f = fact(text, "clonidine")
    assert f.therapy is not None and f.therapy.state == "current"


@pytest.mark.parametrize("line,concepts", [
    ("recurrent severe hypoglycemic episodes or high glucose variability", {"hypoglycemia"}),
    ("Recurrent or metastatic HNSCC", {"recurrent_disease", "hnscc"}),
])
def test_recurrent_before_another_condition_is_an_adjective_in_a_listing(line, concepts):
    (c,) = parse_criteria_text(f"Inclusion Criteria:\n- {line}\n").criteria
    found = {k.concept for k in c.constraints}
    assert concepts <= found and ("recurrent_disease" in found) is ("recurrent_disease" in concepts)


def test_an_insulin_pump_is_a_device_not_the_insulin():
    (c,) = parse_criteria_text("Exclusion Criteria:\n- previous use of insulin pump\n").criteria
    assert [k.concept for k in c.constraints] == ["insulin_pump"]


def test_from_n_years_is_a_lower_age_limit():
    (c,) = parse_criteria_text("Inclusion Criteria:\n- Individuals of both sexes from 18 years with pneumonia\n"
                               ).criteria
    age = next(k for k in c.constraints if k.concept == "age")
    assert (age.comparator, age.value) == (">=", 18.0)


def test_a_negative_result_of_a_pregnancy_test_asks_no_pregnancy():
    (c,) = parse_criteria_text("Inclusion Criteria:\n- For women of childbearing age is a negative result of a "
                               "pregnancy test\n").criteria
    assert {(k.concept, k.comparator) for k in c.constraints if not k.open_vocabulary} == {("pregnancy", "absent")}


@pytest.mark.parametrize("text,flag", [
    ("H. pylori stool antigen: POSITIVE (10/11/2026).", None),
    ("H. pylori immunostain: NEGATIVE.", "negated"),
    ("Helicobacter pylori antigen, faeces\n  Status: IN PROGRESS", "hypothetical"),
    ("Biopsies: none taken; H. pylori to be tested noninvasively.", "hypothetical"),
])
def test_a_test_for_an_infection_asserts_only_its_result(text, flag):
    f = fact(text, "h_pylori_infection")
    assert [k for k in ("negated", "hypothetical") if getattr(f, k)] == ([flag] if flag else [])


def test_h_pylori_positive_is_an_infection_the_listing_asks():
    (c,) = parse_criteria_text("Inclusion Criteria:\n- H-pylori positive cases.\n").criteria
    assert c.computable and [k.concept for k in c.constraints] == ["h_pylori_infection"]


@pytest.mark.parametrize("line,limit", [
    ("19 years of age or greater", 19.0),
    ("18 years of age or above", 18.0),
])
def test_an_age_followed_by_or_greater_is_a_lower_limit(line, limit):
    (c,) = parse_criteria_text(f"Inclusion Criteria:\n- {line}\n").criteria
    (age,) = [k for k in c.constraints if k.concept == "age"]
    assert (age.comparator, age.value) == (">=", limit)


@pytest.mark.parametrize("line,is_allergy", [
    ("RA cohort: Previous intolerance to MTX", True),
    ("Known intolerance or hypersensitivity to eplerenone", True),
    ("previous intolerance to moderate altitude (<2600m).", False),
])
def test_intolerance_is_a_drug_reaction_only_beside_a_drug_in_a_listing(line, is_allergy):
    (c,) = parse_criteria_text(f"Exclusion Criteria:\n- {line}\n").criteria
    assert ("drug_hypersensitivity" in {k.concept for k in c.constraints}) is is_allergy


@pytest.mark.parametrize("text,is_allergy", [
    ("Methotrexate intolerance (nausea, mouth ulcers) - switched to leflunomide 2021.", True),
    ("Lactose intolerant, avoids milk.", False),
])
def test_intolerance_is_a_drug_reaction_only_beside_a_drug_in_a_note(text, is_allergy):
    assert any(f.concept == "drug_hypersensitivity" for f in extract_text(text, date=DATE)) is is_allergy


def test_black_stools_are_a_gi_bleed():
    assert fact("In 2020 she was admitted with black stools and received 2 units of blood.", "gi_bleeding")


@pytest.mark.parametrize("text", [
    "Still breastfeeding at night to 8 mo old.",
    "OB: G2P2, youngest born 02/2025, weaned at 6 months.",
    "Lives with her son 14 yo and partner.",
])
def test_an_age_or_birth_date_of_someone_else_is_not_the_patients(text):
    assert [f for f in extract_text("31 yo woman. " + text, date=DATE) if f.concept == "age"] == [
        f for f in extract_text("31 yo woman.", date=DATE) if f.concept == "age"]


def test_a_negative_biopsy_written_neg_for_negates_the_finding():
    assert fact("Gastric biopsies neg for H. pylori.", "h_pylori_infection").negated


def test_a_therapy_only_talked_about_is_a_plan_not_exposure():
    assert fact("We talked at length about insulin pump therapy.", "insulin_pump").planned


@pytest.mark.parametrize("text, value", [("VAS (100 mm) today: 30 mm.", 30.0), ("ECOG (1).", 1.0), ("VAS 45 mm", 45.0)])
def test_a_scales_length_in_brackets_is_not_its_value(text, value):
    assert fact(text, "ecog" if "ECOG" in text else "vas").value == value


def test_a_drug_last_taken_on_a_date_stopped_then():
    f = fact("Pre-op note: meloxicam last taken 18/06/2025 (per patient).", "meloxicam")
    assert f.therapy is not None and f.therapy.last_dose_date == dt.date(2025, 6, 18)
    assert f.therapy.state == "past"


def test_an_expected_date_after_the_note_does_not_date_a_condition():
    f = fact("33 year old G3P2 with an uncomplicated pregnancy, EDD 18/01/2026.", "pregnancy")
    assert f.date == DATE and f.event_date is None


@pytest.mark.parametrize("text, concept, amount", [
    ("Meds: OxyContin 10 mg bd.", "oxycodone", 20.0),
    ("Meds: methotrexate 15 mg weekly, folic acid.", "methotrexate", 15.0),
    ("Meds: metformin XR 1 g BD.", "metformin", 2.0),
    ("Meds: prednisone 7.5 mg/day.", "prednisone", 7.5),
])
def test_a_medication_line_gives_the_amount_a_day(text, concept, amount):
    assert fact(text, concept).value == amount


@pytest.mark.parametrize("text, concept", [
    ("Meds: oxycodone 5 mg q4h PRN.", "oxycodone"),
    ("Meds: prednisone 40 mg.", "prednisone"),
    ("Prednisone 40 mg daily for 5 days in 2019, stopped.", "prednisone"),
])
def test_no_daily_amount_without_a_frequency_as_needed_or_for_a_past_course(text, concept):
    assert fact(text, concept).value is None


@pytest.mark.parametrize("text, concept, flag", [
    ("Pancreatitis and biliary cause considered and excluded (lipase 32 U/L).", "pancreatitis", "negated"),
    ("Nausea completely gone since about 14 wks.", "nausea", "historical"),
    ("Anti-HAV IgG positive (past infection / immunity).", "infection", "historical"),
    ("H. pylori: serology + stool antigen.", "h_pylori_infection", "hypothetical"),
])
def test_note_wordings_that_set_a_conditions_assertion(text, concept, flag):
    assert getattr(fact(text, concept), flag)


@pytest.mark.parametrize("text, concept, value", [
    ("chronic HBV (HBsAg+ since 1998)", "hbsag", "positive"),
    ("HIV +", "hiv", "positive"),
    ("H. pylori: serology + stool antigen.", "h_pylori_infection", None),
])
def test_a_plus_is_a_positive_result_unless_it_joins_two_tests(text, concept, value):
    assert fact(text, concept).value == value


@pytest.mark.parametrize("text, concept, negated", [
    ("Labs: hepatitis B/C and HIV negative.", "hepatitis_b", True),
    ("HBV, HCV, HIV all negative", "hepatitis_b", True),
    ("Hepatitis B, on tenofovir, HIV negative", "hepatitis_b", False),
    ("Hepatitis B and diabetes", "hepatitis_b", False),
])
def test_one_negative_result_for_a_short_list_negates_each_condition_of_it(text, concept, negated):
    assert fact(text, concept).negated is negated


@pytest.mark.parametrize("text, concept, flag, expected", [
    ("* Sleep apnoea: no (PSG 2018 AHI 2.1)", "sleep_apnea", "negated", True),
    ("Sex: M - pregnancy N/A.", "pregnancy", "negated", True),
    ("Bone scan: no osseous metastases; degenerative changes.", "metastatic_disease", "negated", True),
    ("POC urine hCG: NEGATIVE.", "beta_hcg", "negated", False),
    ("Indication: research screening - exclude OSA (family history)", "sleep_apnea", "uncertain", True),
])
def test_checklist_answers_and_test_purposes_set_the_assertion(text, concept, flag, expected):
    assert getattr(fact(text, concept), flag) is expected


@pytest.mark.parametrize("text, concept", [
    ("Previous myocardial infarction, stroke and DVT.", "dvt"),
    ("Prior breast cancer treated with surgery.", "surgery"),
])
def test_a_past_word_before_a_list_makes_every_item_historical(text, concept):
    assert fact(text, concept).historical


@pytest.mark.parametrize("text, concept, found", [
    ("Deployed a 3.0 x 28 mm sirolimus-eluting stent to the LAD.", "sirolimus", False),
    ("Angioplasty with a paclitaxel-coated balloon.", "paclitaxel", False),
    ("Meds: sirolimus 2 mg daily.", "sirolimus", True),
])
def test_a_drug_a_device_carries_is_no_drug_fact(text, concept, found):
    assert any(f.concept == concept for f in extract_text(text, date=DATE)) is found
