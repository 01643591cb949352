"""Criteria logic that real listings use: carve-outs narrow a criterion, cohort alternatives are OR,
conditional thresholds, typed durations, hours as days, consent never asked of the notes, metastases by
site, condition qualifiers. Trees are rendered with concept names so each table reads as a specification."""
from __future__ import annotations

import json

import pytest

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.criteria_scopes import carve_rules
from pipeline.lexicon import load_lexicon
from pipeline.resources import models_path
from pipeline.schema import LogicNode


def one(text, kind="inclusion"):
    t = parse_criteria_text(text, kind=kind)
    assert len(t.criteria) == 1, [c.text for c in t.criteria]
    return t.criteria[0]


def tree(crit):
    """The criterion's and/or/not tree with each leaf shown as its concept."""
    names = {k.id: k.concept for k in crit.constraints}

    def show(node):
        if isinstance(node, str):
            return names[node]
        return node.op + "(" + ", ".join(show(a) for a in node.args) + ")"

    return show(crit.logic) if crit.logic is not None else None


def get(crit, concept):
    hits = [k for k in crit.constraints if k.concept == concept]
    assert hits, f"no {concept} in {[(k.concept, k.comparator, k.value) for k in crit.constraints]}"
    return hits[0]


def rules():
    return json.loads(models_path("rules", "criteria_patterns.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- carve-outs


@pytest.mark.parametrize("text,kind,expected", [
    ("Other malignancy within 5 years except adequately treated basal cell carcinoma or cervical carcinoma in situ", "exclusion",
     "and(other_malignancy, not(or(adequately treated basal cell carcinoma, cervical carcinoma in situ)))"),
    ("History of another malignancy, with the exception of non-melanoma skin cancer", "exclusion",
     "and(malignancy, not(non-melanoma skin cancer))"),
    ("Current use of tobacco products (except nicotine)", "exclusion", "and(tobacco products, not(nicotine))"),
    ("Use of systemic corticosteroids other than inhaled steroids", "exclusion", "and(corticosteroid, not(inhaled steroids))"),
    ("Known brain metastases. Patients with treated, stable brain metastases are eligible", "exclusion",
     "and(brain_metastases, not(treated stable brain metastases))"),
    ("Radiotherapy within 4 weeks prior to enrollment (palliative radiotherapy to bone lesions is permitted)", "exclusion",
     "and(radiotherapy, not(palliative radiotherapy))"),
    ("Active infection; other malignancy except basal cell carcinoma", "exclusion",
     "or(active_infection, and(other_malignancy, not(basal cell carcinoma)))"),
    ("Malignancies other than NSCLC, except for adequately treated carcinoma in situ of the cervix", "exclusion",
     "and(malignancy, not(or(nsclc, adequately treated carcinoma in situ of the cervix)))"),
    ("Active liver disease (except Gilbert's disease or liver metastasis)", "exclusion",
     "and(liver_disease, not(or(gilbert's disease, liver metastasis)))"),
    ("Active infection other than hepatitis B", "exclusion", "and(active_infection, not(hepatitis_b))"),
])
def test_carve_out_narrows_the_criterion_under_not(text, kind, expected):
    assert tree(one(text, kind)) == expected


@pytest.mark.parametrize("text,kind,expected", [
    ("No prior systemic chemotherapy except adjuvant chemotherapy", "inclusion", "or(chemotherapy, adjuvant chemotherapy)"),
    ("Measurable disease. Patients with non-measurable disease are eligible", "inclusion",
     "or(measurable_lesion, non-measurable disease)"),
])
def test_carve_out_of_a_negated_or_inclusion_condition_is_an_alternative(text, kind, expected):
    assert tree(one(text, kind)) == expected


@pytest.mark.parametrize("text,expected", [
    ("Resolved toxicities from prior therapy to grade 1 or less (except alopecia)", "alopecia"),
    ("Histologically confirmed solid tumor other than NSCLC", "nsclc"),
])
def test_carve_out_of_a_positive_inclusion_condition_is_never_required_absent(text, expected):
    crit = one(text)
    assert get(crit, expected).attributes.get("role") == "carve_out"
    assert expected not in tree(crit)


@pytest.mark.parametrize("text,kind,computable", [
    ("Prior anti-PD-1 therapy is allowed", "exclusion", False),
    ("Brain metastases are allowed provided they are clinically stable", "inclusion", False),
    ("Patients with stage IV NSCLC are eligible", "inclusion", True),
])
def test_carve_out_alone_is_a_permission_or_the_requirement(text, kind, computable):
    assert one(text, kind).computable is computable


@pytest.mark.parametrize("text", [
    "Other malignancy except basal cell carcinoma or cervical carcinoma in situ",
    "Current use of tobacco products (except nicotine)",
    "Autoimmune disease, unless controlled with hormone replacement",
    "Prior chemotherapy within 4 weeks; this does not apply to hormonal therapy",
    "Less than 2 years disease free from another malignancy (other than basal cell carcinoma of the skin)",
])
def test_carve_out_items_are_never_negated_triggers(text):
    crit = one(text, "exclusion")
    carved = [k for k in crit.constraints if k.attributes.get("role") == "carve_out"]
    assert carved and all(not k.negated and k.comparator == "present" for k in carved if k.concept != "treatment")
    assert isinstance(crit.logic, LogicNode) or not carved
    assert "not(" in tree(crit)  # an exclusion's carved items sit under NOT, never beside its triggers


def test_carve_out_of_a_member_of_the_main_class_keeps_its_own_words_and_concept():
    k = [k for k in one("Other malignancy except basal cell carcinoma", "exclusion").constraints][-1]
    assert (k.concept, k.open_vocabulary, k.attributes.get("lexicon_concept")) == (
        "basal cell carcinoma", True, "basal_cell_carcinoma")


def test_a_named_cancer_is_its_own_concept_and_still_another_malignancy():
    crit = one("History of breast cancer or prostate ca", "exclusion")
    assert {k.concept for k in crit.constraints} == {"breast_cancer", "prostate_cancer"}
    lex = load_lexicon()
    assert all(lex.is_a(k.concept, "other_malignancy") for k in crit.constraints)


def test_carve_out_condition_belongs_to_the_carve_out():
    crit = one("Prior systemic therapy. Inhaled or topical corticosteroids are allowed in the absence of active "
               "autoimmune disease", "exclusion")
    assert all(k.attributes.get("role") == "carve_out" for k in crit.constraints if k.concept == "autoimmune_disease")


def test_carve_out_cue_is_the_items_negation_span_while_the_item_itself_is_not_negated():
    crit = one("Current use of tobacco products (except nicotine)", "exclusion")
    k = get(crit, "nicotine")
    assert crit.text[slice(*(s - crit.start for s in k.spans["negation"]))] == "except" and not k.negated


# ----------------------------------------------------------------------------- conditional thresholds


@pytest.mark.parametrize("text,expected", [
    ("AST ≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases", "or(ast, and(ast, metastatic_disease))"),
    ("ALT ≤ 2.5 × ULN (≤ 5 x ULN in case of liver metastases)", "or(alt, and(alt, metastatic_disease))"),
    ("Total bilirubin ≤ 1.5 × ULN (≤ 3 × ULN for patients with Gilbert's syndrome)",
     "or(total_bilirubin, and(total_bilirubin, gilbert's syndrome))"),
    ("ALT ≤ 2.5 × ULN if no demonstrable liver metastases or ≤ 5 × ULN in the presence of liver metastases",
     "or(and(alt, metastatic_disease), and(alt, metastatic_disease))"),
    ("Total bilirubin ≤ 1.5 × ULN if no liver metastases or ≤ 3 × ULN in the presence of Gilbert's syndrome or liver metastases",
     "or(and(total_bilirubin, metastatic_disease), and(total_bilirubin, or(gilbert's syndrome, metastatic_disease)))"),
    ("AST and ALT ≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases",
     "and(or(ast, and(ast, metastatic_disease)), or(alt, and(alt, metastatic_disease)))"),
])
def test_conditional_threshold_applies_only_with_its_condition(text, expected):
    crit = one(text)
    assert tree(crit) == expected
    assert [k.attributes.get("role") for k in crit.constraints][-1] == "condition"


def test_conditional_threshold_condition_keeps_its_negation():
    crit = one("ALT ≤ 2.5 × ULN if no demonstrable liver metastases or ≤ 5 × ULN in the presence of liver metastases")
    assert [(k.comparator, k.attributes.get("site")) for k in crit.constraints if k.attributes.get("role") == "condition"] == [
        ("absent", "liver"), ("present", "liver")]


# ----------------------------------------------------------------------------- cohorts


@pytest.mark.parametrize("text,expected", [
    ("Cohort A: EGFR exon 19 deletion; Cohort B: KRAS G12C mutation", "or(egfr_exon19_deletion, kras_g12c)"),
    ("Part A: Patients with solid tumors. Part B: Patients with NSCLC", "or(solid_tumor, nsclc)"),
    ("Arm 1: prior platinum chemotherapy; Arm 2: no prior chemotherapy", "or(platinum, chemotherapy)"),
])
def test_cohort_labelled_clauses_are_alternatives(text, expected):
    assert tree(one(text)) == expected


@pytest.mark.parametrize("text,label", [
    ("Cohort A: EGFR mutation positive NSCLC", "cohort a"),
    ("Cohort 2: previously treated with an EGFR TKI", "cohort 2"),
    ("For the dose-escalation phase: any solid tumor", "dose-escalation phase"),
    ("(Subgroup 1) NSCLC with EGFR mutation", "subgroup 1"),
])
def test_cohort_label_is_recorded_on_every_constraint(text, label):
    crit = one(text)
    assert crit.constraints and all(k.attributes.get("cohort") == label for k in crit.constraints)


def test_cohort_label_in_parentheses_names_the_element_before_it():
    crit = one("Advanced NSCLC with EGFR mutation (Subgroup 1) or KRAS G12C mutation (Subgroup 2)")
    assert [k.attributes.get("cohort") for k in crit.constraints] == [None, "subgroup 1", "subgroup 2"]


@pytest.mark.parametrize("text,expected", [
    ("Malignancy requiring chemotherapy, surgery or radiotherapy in the previous 5 years",
     "and(malignancy, or(chemotherapy, surgery, radiotherapy))"),
    ("Past medical history of ILD, radiation pneumonitis which required steroid treatment, or any evidence of "
     "clinically active ILD", "or(interstitial_lung_disease, and(radiation_pneumonitis, corticosteroid), "
     "interstitial_lung_disease)"),
])
def test_a_list_after_requiring_is_what_the_condition_before_it_needed(text, expected):
    assert tree(one(text, "exclusion")) == expected


# ----------------------------------------------------------------------------- durations and time units


@pytest.mark.parametrize("text,kind,concept,duration", [
    ("On a stable dose of levothyroxine for at least 3 months", "inclusion", "levothyroxine", (">=", 3, "month")),
    ("HBsAg-positive for more than 6 months", "exclusion", "hbsag", (">", 6, "month")),
    ("Diabetes for at least 6 months", "inclusion", "diabetes", (">=", 6, "month")),
    ("Diarrhea for more than 72 hours", "exclusion", "diarrhea", (">", 3, "day")),
])
def test_duration_is_a_typed_field(text, kind, concept, duration):
    d = get(one(text, kind), concept).duration
    assert d is not None and (d.comparator, d.value, d.unit, d.anchor) == (*duration, "duration")


@pytest.mark.parametrize("text,kind,concept", [
    ("Myocardial infarction in 6 months", "exclusion", "myocardial_infarction"),
    ("Male or female between 18-80 years of age", "inclusion", "sex"),
])
def test_duration_field_needs_a_comparator_or_a_duration_word(text, kind, concept):
    assert get(one(text, kind), concept).duration is None


@pytest.mark.parametrize("text,concept", [("Malignancies (<5 years)", "malignancy"),
                                          ("Stroke < 6 months", "stroke")])
def test_less_than_a_time_after_a_condition_is_a_window_back_from_screening(text, concept):
    k = get(one(text, "exclusion"), concept)
    assert k.duration is None
    assert (k.window.comparator, k.window.value, k.window.anchor) == ("<=", float(text.split("<")[1].split()[0]), "as_of")


@pytest.mark.parametrize("text,concept,window", [
    ("Major surgery within 72 hours of first dose", "surgery", ("<=", 3.0, "day", "first_dose")),
    ("Radiotherapy within 48 hrs prior to first dose", "radiotherapy", ("<=", 2.0, "day", "first_dose")),
    ("Chemotherapy within 14 days prior to first dose", "chemotherapy", ("<=", 14.0, "day", "first_dose")),
    ("Surgery within 2 wk prior to first dose", "surgery", ("<=", 2.0, "week", "first_dose")),
    ("Surgery within 36 h of first dose", "surgery", ("<=", 1.5, "day", "first_dose")),
])
def test_window_hours_are_days(text, concept, window):
    w = get(one(text, "exclusion"), concept).window
    assert (w.comparator, w.value, w.unit, w.anchor) == window


# ----------------------------------------------------------------------------- consent and logistics


@pytest.mark.parametrize("text", [
    "Signed informed consent and willing to comply with study procedures",
    "Women of childbearing potential must agree to use effective contraception",
    "Willing to undergo a tumor biopsy",
    "Able to swallow oral medication",
    "Agrees to abstain from alcohol during the study",
    "Refusal to use adequate contraception",
    "Patients must agree to a mandatory tumor biopsy",
    "For women of childbearing potential: agreement to use an acceptable birth control method during the study",
    "Participants should be beneficiary of healthcare coverage under the social security system",
    "Residents at low altitude (<800 m)",
    "Assumes primary responsibility for taking medication",
    "Must agree not to donate blood or other bodily fluid while taking the study drug",
    "Hematologic laboratory values as outlined in the protocol",
])
def test_consent_and_willingness_are_not_computable(text):
    crit = one(text)
    assert (crit.category, crit.computable) == ("consent_administrative", False)


@pytest.mark.parametrize("text,kept", [
    ("Willing to use contraception and have a negative pregnancy test", ["pregnancy"]),
    ("Patients must provide written informed consent and have ECOG performance status 0-1", ["ecog"]),
])
def test_consent_mixed_with_a_checkable_condition_keeps_the_condition_only(text, kept):
    crit = one(text)
    assert crit.computable and [k.concept for k in crit.constraints] == kept


# ----------------------------------------------------------------------------- metastases by site, qualifiers


@pytest.mark.parametrize("text,concept,site", [
    ("Known CNS metastases", "brain_metastases", None),
    ("Metastases to the brain", "brain_metastases", None),
    ("Central nervous system metastases", "brain_metastases", None),
    ("Brain mets", "brain_metastases", None),
    ("Liver metastases", "metastatic_disease", "liver"),
    ("Bone metastases requiring radiotherapy", "metastatic_disease", "bone"),
])
def test_metastases_by_site_are_never_any_metastasis(text, concept, site):
    k = get(one(text, "exclusion"), concept)
    assert k.attributes.get("site") == site


@pytest.mark.parametrize("text,concept,quoted", [
    ("Symptomatic central nervous system (CNS) metastases", "brain_metastases",
     "central nervous system (CNS) metastases"),
    ("History of gastrointestinal (GI) bleeding", "gi_bleeding", "gastrointestinal (GI) bleeding"),
    ("Hepatitis C virus (HCV) infection", "hepatitis_c", "Hepatitis C virus (HCV) infection"),
])
def test_a_short_form_in_brackets_does_not_break_the_phrase_it_sits_in(text, concept, quoted):
    k = get(one(text, "exclusion"), concept)
    assert k.text == quoted


@pytest.mark.parametrize("text,concept,quoted", [
    ("Known history or present abuse of alcohol", "alcohol_use_disorder", "abuse of alcohol"),
    ("Cirrhosis of the liver", "cirrhosis", "Cirrhosis of the liver"),
    ("Moderate or severe exacerbation of COPD within 4 weeks", "copd_exacerbation", "exacerbation of COPD"),
])
def test_a_lexicon_phrase_written_head_first_with_of_is_that_phrase(text, concept, quoted):
    assert quoted in get(one(text, "exclusion"), concept).text


def test_a_phrase_after_of_that_goes_on_past_an_adjective_is_not_read_backwards():
    crit = one("No major impairment of renal or hepatic function", "inclusion")
    assert [k.concept for k in crit.constraints] == ["renal function", "hepatic function"]


def test_a_short_form_in_brackets_keeps_its_own_concept_where_the_long_form_has_none():
    assert get(one("Programmed death ligand 1 (PD-L1) expression of 50% or more", "inclusion"), "pdl1")


@pytest.mark.parametrize("text,comparator,low,high", [
    ("Pregnant women > 20 weeks gestation", ">", 20.0, None),
    ("Singleton pregnancy at 24 to 34 weeks of gestation", "between", 24.0, 34.0),
    ("Second trimester pregnancy.", "between", 14.0, 27.86),
    ("Pregnant in the third trimester", "between", 28.0, 44.0),
])
def test_the_length_of_a_pregnancy_is_its_gestational_age(text, comparator, low, high):
    crit = one(text, "inclusion")
    assert [(k.concept, k.comparator, k.value, k.value_high) for k in crit.constraints] == [
        ("gestational_age", comparator, low, high)]


def test_breastfeeding_for_months_is_no_gestational_age():
    crit = one("Female, breast feeding or nursing prior to randomization and until 6 months", "inclusion")
    assert "gestational_age" not in [k.concept for k in crit.constraints]


@pytest.mark.parametrize("text,concept,qualifiers", [
    ("Symptomatic or untreated CNS metastases", "brain_metastases", "symptomatic,untreated"),
    ("Uncontrolled hypertension", "hypertension", "uncontrolled"),
    ("Symptomatic autoimmune disease", "autoimmune_disease", "symptomatic"),
    ("Brain metastases that are untreated", "brain_metastases", "untreated"),
])
def test_condition_qualifiers_are_recorded(text, concept, qualifiers):
    assert get(one(text, "exclusion"), concept).attributes.get("qualifiers") == qualifiers


# ----------------------------------------------------------------------------- the rules as data


def test_carve_out_rules_are_valid_and_load():
    assert {r.id for r in carve_rules()} == {r["id"] for r in rules()["carve_outs"]}


@pytest.mark.parametrize("example", [ex for r in rules()["carve_outs"] for ex in r.get("examples", [])],
                         ids=lambda ex: ex["text"][:40])
def test_carve_out_rule_examples(example):
    crit = one(example["text"], example["kind"])
    carved = [k.concept for k in crit.constraints if k.attributes.get("role") == "carve_out"]
    main = [k.concept for k in crit.constraints if k.attributes.get("role") != "carve_out"]
    assert carved == example["carved"] and main == example["main"]


@pytest.mark.parametrize("example", rules()["metastasis_sites"]["examples"], ids=lambda ex: ex["text"][:40])
def test_metastasis_site_rule_examples(example):
    k = get(one(example["text"], "exclusion"), example["concept"])
    assert k.attributes.get("site") == example.get("site")


def test_a_window_after_a_with_clause_belongs_to_the_item_it_follows_not_the_score_before():
    crit = one("ECOG performance score of 0 or 1 with no clinically significant deterioration over the previous "
               "2 weeks and a minimum life expectancy of 12 weeks.")
    windows = {k.concept: k.window for k in crit.constraints}
    assert windows["ecog"] is None and windows["deterioration"] is not None


def test_a_window_covers_every_item_coordinated_before_it():
    crit = one("Prior chemotherapy or radiotherapy within 4 weeks", kind="exclusion")
    assert all(k.window is not None and k.window.value == 4 for k in crit.constraints)


def test_labelled_subgroups_joined_by_or_are_alternatives_whatever_the_words_inside():
    crit = one("HBsAg-positive for more than 6 months and HBV DNA < 2000 IU/ml (Subgroup 1)or HBsAg-negative but "
               "anti-HBc positive with HBV DNA < 2000 IU/ml (Subgroup 2).")
    assert tree(crit) == "or(and(hbsag, hbv_dna), and(hbsag, hbcab, hbv_dna))"


def test_a_head_noun_right_after_a_concept_completes_it_and_a_bracket_of_samples_is_a_purpose():
    crit = one("The tumor harbors an Ex19del or Ex21-L858R substitution (based on tumor tissue or plasma [ctDNA] "
               "assessment).")
    concepts = {k.concept: k for k in crit.constraints}
    assert "substitution" not in concepts
    assert concepts["tumor_tissue_available"].context.purpose and concepts["ctdna"].context.purpose
    assert not concepts["egfr_l858r"].context.purpose


def test_a_non_prefix_negates_its_own_word_not_the_next_concept():
    crit = one("Are males or non-pregnant females age 18 and older, inclusive.")
    age = next(k for k in crit.constraints if k.concept == "age")
    assert not age.negated and age.comparator == ">=" and age.value == 18


@pytest.mark.parametrize("text,concept", [
    ("Chemotherapy-naive patients", "chemotherapy"), ("Osimertinib treatment-naïve for NSCLC", "osimertinib"),
    ("EGFR-TKI naive", "egfr_tki"), ("Patients naive to chemotherapy", "chemotherapy"),
])
def test_naive_means_never_received_the_therapy_it_follows(text, concept):
    k = next(k for k in one(text).constraints if k.concept == concept)
    assert k.negated or k.comparator == "absent"


@pytest.mark.parametrize("text,concept,comparator,value,high", [
    ("creatinine > 2,5 mg/dl", "creatinine", ">", 2.5, None),
    ("platelets >= 100,000/mm3", "platelets", ">=", 100000.0, None),
    ("a minimum life expectancy of 12 weeks", "life_expectancy", ">=", 12.0, None),
    ("heart failure NYHA II-IV", "nyha_class", "between", 2.0, 4.0),
    ("NYHA III or IV heart failure", "nyha_class", "between", 3.0, 4.0),
])
def test_values_written_the_ways_listings_write_them(text, concept, comparator, value, high):
    k = next(k for k in one(text).constraints if k.concept == concept)
    assert (k.comparator, k.value, k.value_high) == (comparator, value, high)


def test_a_decimal_comma_is_read_only_after_a_comparator():
    crit = one("ECOG 0,1 or 2")
    assert [(k.concept, k.comparator, k.value, k.value_high) for k in crit.constraints] == [("ecog", "between", 0.0, 2.0)]


@pytest.mark.parametrize("text,expected", [
    ("Rheumatic disease (RA, SpA, SLE)", "or(rheumatic_disease, rheumatoid_arthritis, ankylosing_spondylitis, sle)"),
    ("Rheumatic disease (RA, SLE)", "or(rheumatic_disease, rheumatoid_arthritis, sle)"),
])
def test_a_parenthesised_list_of_names_gives_examples_of_its_head(text, expected):
    # only some items are known concepts, yet any one of them (or the head itself) excludes
    assert tree(one(text, "exclusion")) == expected


def test_a_parenthesis_with_a_level_narrows_its_head_instead_of_listing_examples():
    assert tree(one("Cirrhosis (Child B or higher)", "exclusion")).startswith("and(cirrhosis")


@pytest.mark.parametrize("text,concept", [
    ("Malignancies (<5 years)", "malignancy"),
    ("History of strokes", "stroke"),
    ("Prior myocardial infarctions", "myocardial_infarction"),
])
def test_a_plural_names_the_same_concept(text, concept):
    assert concept in {k.concept for k in one(text, "exclusion").constraints}


def test_a_plural_never_turns_a_demographic_word_into_a_concept():
    assert "sex" not in {k.concept for k in one("Are males or non-pregnant females age 18 and older.").constraints}


def test_a_permission_after_a_closing_parenthesis_carves_out_only_its_own_sentence():
    # the listing lost the period between the two sentences
    crit = one("bone-specific pretreatment (denosumab, teriparatide, SERMs) Bisphosphonate treatment is allowed",
               "exclusion")
    carved = {k.concept for k in crit.constraints if k.attributes.get("role") == "carve_out"}
    assert carved == {"bisphosphonate"}
    assert "denosumab" in tree(crit) and "not(bisphosphonate)" in tree(crit)


def test_according_to_guidelines_is_no_condition_to_find():
    crit = one("indication for osteoporosis therapy according to international guidelines")
    assert [k.concept for k in crit.constraints] == ["osteoporosis"]


def test_a_stray_closing_bracket_keeps_the_rest_of_the_list_inside_the_group():
    crit = one("Age over 65 with one additional risk factor (hypertension, diabetes or heart failure), previous stroke "
               "or transient ischemic attack).")
    assert "or(" in tree(crit) and tree(crit).endswith("stroke, tia))")


def test_a_judgement_of_a_conditions_effect_is_no_condition_of_its_own():
    crit = one("Patients with orthopedic or neuromuscular disorders that preclude participation in exercise.",
               "exclusion")
    assert [k.concept for k in crit.constraints] == ["orthopedic disorders", "neuromuscular disorders"]


def test_what_follows_regardless_of_is_no_requirement():
    crit = one("Adequate hepatic function: serum bilirubin <= 2 x ULN, regardless of whether patients have liver "
               "involvement secondary to tumor.", "inclusion")
    assert [k.concept for k in crit.constraints] == ["total_bilirubin"]


def test_not_yet_developed_is_a_negation():
    crit = one("Prostate cancer patients who have not yet developed bone metastases", "inclusion")
    assert [(k.concept, k.comparator) for k in crit.constraints] == [("prostate_cancer", "present"),
                                                                      ("metastatic_disease", "absent")]


def test_a_list_ending_in_or_then_and_keeps_its_or():
    crit = one("Diabetes, hypertension, COPD or asthma, and age over 18", "inclusion")
    assert tree(crit) == "and(or(diabetes, hypertension, copd, asthma), age)"


def test_a_washout_period_is_a_window_back_from_screening():
    crit = one("Ongoing psoriasis treatment. The following washout periods will be required: 12 weeks for biologic "
               "therapies; 4 weeks for other systemic therapies", "exclusion")
    windows = {k.concept: (k.window.comparator, k.window.value, k.window.unit) for k in crit.constraints if k.window}
    assert windows.get("biologic_dmard") == ("<=", 12.0, "week")
    assert all(k.duration is None for k in crit.constraints)


def test_a_clause_that_opens_with_and_or_is_an_alternative_to_the_one_before():
    crit = parse_criteria_text("Inclusion Criteria:\n- Active disease: (i) at least one relapse within 6 months; "
                               "(ii) AND/OR at least one new lesion on brain MRI within 3 months\n").criteria[0]
    assert crit.logic is not None and crit.logic.op == "or"


def test_who_a_limit_is_for_is_no_condition():
    crit = parse_criteria_text("Exclusion Criteria:\n- Excess alcohol intake (males: >= 28 units/week, "
                               "females: >= 21 units/week)\n").criteria[0]
    assert not any(k.concept in ("males", "females") for k in crit.constraints)


def test_a_heading_that_names_only_a_measure_asks_nothing_of_its_own():
    crit = one("PSA criteria:")
    assert not crit.computable and crit.constraints == [] and crit.reason.startswith("a heading")


def test_an_unknown_phrase_before_a_colon_is_still_asked():
    crit = one("Airflow obstruction:")
    assert crit.constraints


@pytest.mark.parametrize("text", [
    "For patients with liver metastases: AST <= 5 x ULN",
    "Patients who have undergone prostatectomy: PSA > 0.2 ng/mL",
])
def test_a_lead_in_naming_who_a_requirement_is_for_makes_it_conditional(text):
    crit = one(text)
    assert crit.logic is not None and crit.logic.op == "or"
    first = crit.logic.args[0]
    assert not isinstance(first, str) and first.op == "not"


def test_a_bare_number_far_after_age_is_no_age():
    crit = one("Adults (= 18 years of age) with World Health Organization Group 2 Pulmonary Hypertension")
    assert [(k.comparator, k.value) for k in crit.constraints if k.concept == "age"] == [(">=", 18.0)]


def test_a_bare_condition_label_asks_what_follows_only_of_patients_with_that_condition():
    crit = one("COPD: FEV1/FVC < 0.70 after bronchodilator")
    assert tree(crit) == "or(not(copd), and(fev1_fvc_ratio, bronchodilator))"


def test_a_plain_patients_with_lead_in_is_a_requirement():
    crit = one("Patients with NSCLC: stage IV")
    assert crit.logic is None or crit.logic.op == "and"


def test_the_trials_own_drug_in_a_time_anchor_is_no_item():
    crit = one("The most recent tumor tissue sample prior to the first dose of the study drug demonstrated PD-L1 "
               "TPS <1%")
    assert "clinical_trial_participation" not in [k.concept for k in crit.constraints]
    assert "pdl1_tps" in [k.concept for k in crit.constraints]


def test_another_investigational_drug_is_still_an_item():
    crit = one("Use of any investigational drug within 30 days prior to the first dose of study drug", "exclusion")
    assert [k.concept for k in crit.constraints] == ["clinical_trial_participation"]


@pytest.mark.parametrize("text,low,high", [("NYHA class I-II", 1.0, 2.0), ("NYHA class III or IV", 3.0, 4.0)])
def test_a_criterion_opening_with_a_scale_keeps_the_scale_and_its_range(text, low, high):
    crit = one(text)
    k = get(crit, "nyha_class")
    assert (k.comparator, k.value, k.value_high) == ("between", low, high)


def test_items_a_bracket_says_were_excluded_are_not_required():
    crit = one("Lymphoma confirmed by histopathology (Burkitt lymphoma was excluded)")
    assert "burkitt lymphoma" not in str(crit.logic)


@pytest.mark.parametrize("text,op", [
    ("Prior therapy with VEGFR inhibitors such as sorafenib and sunitinib", "or"),
    ("Chronic diarrheal illness such as irritable bowel syndrome or inflammatory bowel disease", "and"),
])
def test_named_members_of_a_class_are_examples_of_it_not_a_second_condition(text, op):
    assert one(text, "exclusion").logic.op == op


def test_items_an_exclusion_says_were_excluded_are_the_exclusion_itself():
    crit = one("Patients of American Society of Anesthesiologists (ASA) classes III and IV were excluded.", "exclusion")
    assert [k.concept for k in crit.constraints] == ["asa_class"]
    assert crit.constraints[0].attributes.get("role") is None


def test_an_uncontrolled_qualifier_after_a_gloss_still_applies():
    crit = one("Hypertension (high blood pressure) that can not be controlled by drugs;", "exclusion")
    assert get(crit, "hypertension").context.qualifier_groups == ["qualifier.uncontrolled"]


def test_meets_criteria_for_asks_the_present_state_in_an_exclusion_only():
    exc = one("Meets criteria for Major Depressive Episode", "exclusion")
    assert all(k.context.current for k in exc.constraints if k.concept == "depression")
    inc = one("Meets NINCDS criteria for probable Alzheimer's disease")
    assert not any(k.context.current for k in inc.constraints)


def test_verbs_of_a_relative_clause_are_no_condition():
    crit = one("Treatment with a medication that would prohibit the safe concurrent use of methylphenidate such as "
               "monoamine oxidase inhibitors and tricyclic antidepressants", "exclusion")
    assert [k.concept for k in crit.constraints] == ["maoi", "tca"]


def test_drugs_after_hypersensitivity_to_are_its_objects_not_exposures():
    crit = one("Known hypersensitivity to tranexamic acid, rivaroxaban or the excipients", "exclusion")
    assert crit.logic.op == "and" and crit.logic.args[0] == get(crit, "drug_hypersensitivity").id
    assert all(k.open_vocabulary for k in crit.constraints if k.concept != "drug_hypersensitivity")


def test_a_drug_naming_a_measures_condition_is_no_item():
    crit = one("An IIEF-5 tadalafil-alone baseline score >= 18")
    assert "tadalafil" not in [k.concept for k in crit.constraints]


@pytest.mark.parametrize("text, kept", [
    ("Chronic non-cancer and cancer pain", {"pain"}),
    ("Adults with chronic non-cancer and cancer pain for at least 3 months", {"adults", "pain"}),
    ("Chronic non-cancer pain", {"non-cancer pain"}),
])
def test_a_name_and_its_non_form_joined_admit_either(text, kept):
    crit = parse_criteria_text(f"Inclusion Criteria:\n- {text}\n").criteria[0]
    by_id = {k.id: k.concept for k in crit.constraints}
    leaves = _leaves(crit.logic) if crit.logic is not None else set(by_id)
    assert {by_id[i] for i in leaves} == kept


def _leaves(node) -> set[str]:
    return {node} if isinstance(node, str) else {x for a in node.args for x in _leaves(a)}


@pytest.mark.parametrize("text, expected", [
    ("Patients receiving opioids should have a stable dose for the last 15 days",
     "or(not(opioid), opioid)"),
    ("Subjects on warfarin must have an INR below 3", "or(not(warfarin), inr)"),
])
def test_a_lead_naming_what_patients_take_asks_its_requirement_only_of_them(text, expected):
    crit = one(text)
    assert tree(crit) == expected


def test_the_same_lead_with_an_unreadable_requirement_stays_asked():
    crit = one("Patients receiving warfarin must keep a written home diary")
    assert not (tree(crit) or "").startswith("or(not(")


def test_the_event_a_change_is_counted_from_is_no_item():
    crit = one("At least one measurable lesion with progression since the radiation therapy")
    assert "radiotherapy" not in [k.concept for k in crit.constraints]
    assert "disease_progression" in [k.concept for k in crit.constraints]


def test_a_window_since_an_earlier_therapy_still_asks_it():
    crit = one("At least 4 weeks since prior radiotherapy", kind="exclusion")
    assert "radiotherapy" in [k.concept for k in crit.constraints]


@pytest.mark.parametrize("text, drug", [
    ("Known hypersensitivity or contraindication to any of the following medications: Heparin, aspirin", "aspirin"),
    ("Has known intolerance or documented adverse reaction to acetaminophen or naproxen", "naproxen"),
    ("History of hypersensitivity reaction or intolerability to ACE inh or ARB", "ace_inhibitor"),
])
def test_the_drugs_a_hypersensitivity_is_to_are_its_object_not_exposures(text, drug):
    crit = one(text, kind="exclusion")
    objects = [k for k in crit.constraints if k.attributes.get("lexicon_concept") == drug]
    assert objects and all(k.open_vocabulary for k in objects), [(k.concept, k.attributes) for k in crit.constraints]


@pytest.mark.parametrize("text, concept", [("Type I DM", "type1_diabetes"), ("type 2 DM", "type2_diabetes")])
def test_diabetes_written_with_its_type_is_that_type(text, concept):
    assert [k.concept for k in one(text, kind="exclusion").constraints] == [concept]


@pytest.mark.parametrize("text, drug", [
    ("Known contact with an INH or rifampin resistant case", "rifampin"),
    ("History of vancomycin-resistant enterococcus infection", "vancomycin"),
])
def test_a_drug_an_organism_resists_is_no_exposure_of_the_patient(text, drug):
    assert drug not in [k.concept for k in one(text, kind="exclusion").constraints]


def test_a_drug_taken_is_still_an_exposure():
    assert "rifampin" in [k.concept for k in one("Prior rifampin within 30 days", kind="exclusion").constraints]


def test_an_alternative_of_being_able_to_stop_a_drug_is_left_to_screening():
    crit = one("no antidepressant medications or clinically able to discontinue medications")
    assert not crit.computable and "ability" in (crit.reason or "")


@pytest.mark.parametrize("text, expected", [
    ("creatinine level of 1,5 mg/dL or more", (">=", 1.5)),
    ("hemoglobin 9,5 g/dL or higher", (">=", 9.5)),
    ("platelets < 50,000/mm3", ("<", 50000.0)),
])
def test_a_decimal_comma_before_a_unit_is_a_decimal_not_a_list(text, expected):
    (k,) = [k for k in one(text, kind="exclusion").constraints]
    assert (k.comparator, k.value) == expected
