"""Criteria parsing: segmentation into criteria, ids, kinds, offsets, and the seed listing's content."""
from __future__ import annotations

import pytest

from pipeline.extract.criteria import parse_criteria_text, parse_listing
from pipeline.schema import LogicNode


@pytest.fixture(scope="module")
def seed(seed_path):
    return parse_listing(seed_path)


def by_id(trial, cid):
    return next(c for c in trial.criteria if c.id == cid)


def concepts(crit):
    return [k.concept for k in crit.constraints]


def constraint(crit, concept, **match):
    for k in crit.constraints:
        if k.concept == concept and all(getattr(k, a) == v for a, v in match.items()):
            return k
    raise AssertionError(f"{crit.id}: no {concept} {match} in {[(k.concept, k.comparator, k.value) for k in crit.constraints]}")


def leaf_ids(node):
    if isinstance(node, str):
        return {node}
    return set().union(*(leaf_ids(a) for a in node.args))


def find_op_with(node, ids, op):
    """True when some node with ``op`` has every id of ``ids`` among its direct leaves or subtrees."""
    if isinstance(node, str):
        return False
    if node.op == op and all(any(i in leaf_ids(a) for a in node.args) for i in ids) and len(
            {next(n for n, a in enumerate(node.args) if i in leaf_ids(a)) for i in ids}) == len(ids):
        return True
    return any(find_op_with(a, ids, op) for a in node.args)


# ----------------------------------------------------------------------------- seed listing


def test_seed_has_8_inclusion_and_15_exclusion_criteria(seed):
    assert [c.id for c in seed.criteria] == [f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)]
    assert {c.kind for c in seed.criteria if c.id.startswith("I")} == {"inclusion"}
    assert {c.kind for c in seed.criteria if c.id.startswith("E")} == {"exclusion"}


def test_seed_offsets_quote_the_text(seed):
    for c in seed.criteria:
        assert seed.text[c.start:c.end] == c.text
        for k in c.constraints:
            assert seed.text[k.start:k.end] == k.text
            assert k.id.startswith(c.id + ".c")
            for role, (s, e) in k.spans.items():
                assert 0 <= s <= e <= len(seed.text), role


def test_seed_header_gives_trial_id_title_ages_and_sex(seed):
    assert seed.trial_id == "NCT06935188"
    assert seed.title and seed.title.startswith("Dalpicilib Plus Cetuximab")
    assert (seed.min_age, seed.max_age, seed.sex) == (18, 75, "all")


def test_seed_ignores_page_furniture(seed):
    assert not any("clinical trial provides early access" in c.text or "Sign up" in c.text for c in seed.criteria)
    assert seed.criteria[-1].text.startswith("Patients with a history of other malignancies")


def test_seed_i1_age_between_18_and_75(seed):
    k = constraint(by_id(seed, "I1"), "age")
    assert (k.comparator, k.value, k.value_high, k.unit) == ("between", 18, 75, "year")


def test_seed_i2_hnscc_with_status_logic_and_measurable_lesion(seed):
    c = by_id(seed, "I2")
    assert {"hnscc", "recurrent_disease", "metastatic_disease", "locally_advanced"} <= set(concepts(c))
    lesion = constraint(c, "measurable_lesion")
    assert (lesion.comparator, lesion.value, lesion.unit) == (">=", 10, "mm")
    ids = [constraint(c, x).id for x in ("recurrent_disease", "metastatic_disease", "locally_advanced")]
    assert find_op_with(c.logic, ids, "or")
    assert c.logic.op == "and"


def test_seed_i3_prior_anti_pd1_window_and_toxicity_grade(seed):
    c = by_id(seed, "I3")
    pd1 = constraint(c, "anti_pd1")
    assert (pd1.comparator, pd1.value, pd1.unit) == (">=", 1, "cycle")
    assert pd1.window is not None
    assert (pd1.window.comparator, pd1.window.value, pd1.window.unit, pd1.window.anchor) == (">=", 4, "week", "first_dose")
    constraint(c, "disease_progression")
    tox = next(k for k in c.constraints if k.attributes.get("scale") == "CTCAE")
    assert (tox.comparator, tox.value) == ("<=", 1)
    assert c.logic.op == "and"


def test_seed_i4_hpv_negative_by_ihc(seed):
    k = constraint(by_id(seed, "I4"), "hpv_status")
    assert (k.comparator, k.value, k.negated, k.attributes.get("method")) == ("==", "negative", False, "IHC")


def test_seed_i6_ecog_0_to_1(seed):
    k = constraint(by_id(seed, "I6"), "ecog")
    assert (k.comparator, k.value, k.value_high, k.attributes["scale"]) == ("between", 0, 1, "ECOG")


def test_seed_i7_life_expectancy_at_least_12_weeks(seed):
    c = by_id(seed, "I7")
    k = constraint(c, "life_expectancy")
    assert (k.comparator, k.value, k.unit) == (">=", 12, "week")
    assert c.computable and c.reason


@pytest.mark.parametrize("concept,comparator,value,unit,relative_to", [
    ("hemoglobin", ">=", 100, "g/L", None),
    ("wbc", ">=", 4.0, "10^9/L", None),
    ("anc", ">=", 2.0, "10^9/L", None),
    ("platelets", ">=", 100, "10^9/L", None),
    ("total_bilirubin", "<=", 1.5, None, "ULN"),
    ("ast", "<=", 1.5, None, "ULN"),
    ("alt", "<=", 1.5, None, "ULN"),
    ("creatinine", "<", 1.5, None, "ULN"),
    ("creatinine_clearance", ">=", 60, "mL/min", None),
    ("urea_nitrogen", "<=", 200, "mg/L", None),
    ("urine_protein_24h", "<", 500, "mg", None),
    ("fev1", ">=", 2, "L", None),
])
def test_seed_i8_lab_thresholds(seed, concept, comparator, value, unit, relative_to):
    k = constraint(by_id(seed, "I8"), concept, comparator=comparator)
    assert (k.value, k.unit, k.relative_to) == (value, unit, relative_to)


def test_seed_i8_labs_carry_the_two_week_window(seed):
    k = constraint(by_id(seed, "I8"), "hemoglobin")
    assert (k.window.comparator, k.window.value, k.window.unit, k.window.anchor) == ("<=", 2, "week", "first_dose")


def test_seed_i8_logic_wbc_or_anc_and_creatinine_or_clearance(seed):
    c = by_id(seed, "I8")
    assert c.logic.op == "and"
    assert find_op_with(c.logic, [constraint(c, "wbc").id, constraint(c, "anc").id], "or")
    assert find_op_with(c.logic, [constraint(c, "creatinine").id, constraint(c, "creatinine_clearance").id], "or")


@pytest.mark.parametrize("concept", ["myocardial_infarction", "unstable_angina", "arrhythmia", "heart_failure"])
def test_seed_i8_cardiac_function_is_negated(seed, concept):
    k = constraint(by_id(seed, "I8"), concept)
    assert k.negated and k.comparator == "absent"


def test_seed_i8_myocardial_infarction_within_one_year(seed):
    k = constraint(by_id(seed, "I8"), "myocardial_infarction")
    assert (k.window.value, k.window.unit) == (1, "year")


def test_seed_e1_or_of_anti_egfr_drugs(seed):
    c = by_id(seed, "E1")
    assert concepts(c) == ["cetuximab", "anti_egfr_mab", "egfr_tki"]
    assert c.logic == LogicNode(op="or", args=[k.id for k in c.constraints])


@pytest.mark.parametrize("cid,concept,value,unit", [
    ("E3", "clinical_trial_participation", 4, "week"),
    ("E4", "hematopoietic_growth_factor", 1, "week"),
])
def test_seed_exclusion_windows_before_first_dose(seed, cid, concept, value, unit):
    k = constraint(by_id(seed, cid), concept)
    assert (k.window.comparator, k.window.value, k.window.unit, k.window.anchor) == ("<=", value, unit, "first_dose")


def test_seed_e5_hiv_or_syphilis_positive(seed):
    c = by_id(seed, "E5")
    hiv, syph = constraint(c, "hiv"), constraint(c, "syphilis")
    assert (hiv.comparator, hiv.value, syph.value) == ("==", "positive", "positive")
    assert c.logic == LogicNode(op="or", args=[hiv.id, syph.id])


def test_seed_e6_hepatitis_serology_with_viral_load_above_uln(seed):
    c = by_id(seed, "E6")
    for x in ("hbsag", "hbcab", "hcv_ab"):
        assert constraint(c, x).value == "positive"
    for x in ("hbv_dna", "hcv_rna"):
        k = constraint(c, x)
        assert (k.comparator, k.value, k.relative_to) == (">", 1, "ULN")
    assert find_op_with(c.logic, [constraint(c, "hbsag").id, constraint(c, "hbv_dna").id], "and")
    assert find_op_with(c.logic, [constraint(c, "hcv_ab").id, constraint(c, "hcv_rna").id], "and")


def test_seed_e9_lung_disease_members_or_tuberculosis(seed):
    c = by_id(seed, "E9")
    assert {"interstitial_lung_disease", "pneumonia", "copd", "asthma", "tuberculosis"} <= set(concepts(c))
    assert c.logic.op == "or"


def test_seed_e10_cerebrovascular_items_within_6_months(seed):
    c = by_id(seed, "E10")
    assert c.logic.op == "or"
    for x in ("stroke", "tia", "cerebral_embolism"):
        w = constraint(c, x).window
        assert (w.value, w.unit, w.anchor) == (6, "month", "first_dose")
    assert constraint(c, "myocardial_infarction").window is None


def test_seed_e11_stem_cell_or_organ_transplant(seed):
    c = by_id(seed, "E11")
    assert concepts(c) == ["stem_cell_transplant", "organ_transplant"] and c.logic.op == "or"


@pytest.mark.parametrize("cid", ["E13", "E14"])
def test_seed_investigator_judgement_is_not_computable(seed, cid):
    c = by_id(seed, cid)
    assert (c.computable, c.category) == (False, "investigator_judgement") and c.reason


def test_seed_e15_other_malignancy_within_5_years(seed):
    k = constraint(by_id(seed, "E15"), "other_malignancy")
    assert (k.window.comparator, k.window.value, k.window.unit) == ("<=", 5, "year")


# ----------------------------------------------------------------------------- segmentation


def texts(trial):
    return [(c.id, c.text) for c in trial.criteria]


@pytest.mark.parametrize("listing", [
    "Inclusion Criteria:\n1. Age >= 18 years\n2. ECOG 0-1\nExclusion Criteria:\n1. Pregnancy\n",
    "INCLUSION:\n- Age >= 18 years\n- ECOG 0-1\n\nEXCLUSION:\n- Pregnancy\n",
    "Key inclusion criteria\n• Age >= 18 years\n• ECOG 0-1\nKey exclusion criteria\n• Pregnancy\n",
    "Inclusion criteria:\na) Age >= 18 years\nb) ECOG 0-1\nExclusion criteria include:\na) Pregnancy\n",
    "Inclusion Criteria:\r\n\r\n* Age >= 18 years\r\n* ECOG 0-1\r\n\r\nExclusion Criteria:\r\n\r\n* Pregnancy\r\n",
    "Patients must meet all of the following criteria:\n· Age >= 18 years\n· ECOG 0-1\nPatients meeting any of the following will be excluded:\n· Pregnancy\n",
])
def test_segment_headings_and_bullet_styles(listing):
    t = parse_criteria_text(listing)
    assert texts(t) == [("I1", "Age >= 18 years"), ("I2", "ECOG 0-1"), ("E1", "Pregnancy")]


def test_segment_line_break_inside_a_criterion_continues_it():
    t = parse_criteria_text("Inclusion Criteria:\n- Adequate bone marrow function with\n  hemoglobin >= 9 g/dL\n- ECOG 0-1\n")
    assert [c.text for c in t.criteria] == ["Adequate bone marrow function with\n  hemoglobin >= 9 g/dL", "ECOG 0-1"]


def test_segment_sub_bullets_fold_into_an_any_of_parent():
    text = ("Inclusion Criteria:\n* One of the following:\n  * hemoglobin >= 9 g/dL\n  * platelets >= 100 x 10^9/L\n"
            "* ECOG 0-1\n")
    t = parse_criteria_text(text)
    assert len(t.criteria) == 2
    c = t.criteria[0]
    assert c.text.startswith("One of the following:") and c.text.endswith("10^9/L")
    assert c.logic == LogicNode(op="or", args=[k.id for k in c.constraints])


def test_segment_without_headings_uses_cues_and_defaults_to_inclusion():
    t = parse_criteria_text("- Age 18 or older\n- Patients with active infection are excluded\n")
    assert [c.kind for c in t.criteria] == ["inclusion", "exclusion"]


def test_segment_crlf_offsets_stay_exact():
    text = "Inclusion Criteria:\r\n\r\n* Hemoglobin >= 9 g/dL\r\n* Platelets >= 100 x 10^9/L\r\n"
    t = parse_criteria_text(text)
    for c in t.criteria:
        assert text[c.start:c.end] == c.text and "\r" not in c.text


def test_segment_one_criterion_per_line_with_known_kind():
    t = parse_criteria_text("Pregnant or lactating.\nActive infection requiring antibiotics.\n", kind="exclusion")
    assert [c.id for c in t.criteria] == ["E1", "E2"]


def test_parse_criteria_text_blank_block_has_no_criteria():
    assert parse_criteria_text("   \n").criteria == []


def test_plain_inclusion_lines_stay_one_per_line_when_the_exclusions_have_a_numbered_sub_list():
    listing = ("Inclusion Criteria:\nAge between 18 and 78 year-old.\nPrevious liver transplantation.\n"
               "Genotype 1 infection.\n\nExclusion Criteria:\nGenotype 3 infection.\nHIV infection.\n"
               "Intake of disallowed medications:\n1. Antibiotics: clarithromycin\n2. Antifungals: ketoconazole\n")
    texts = [(c.kind, c.text) for c in parse_criteria_text(listing).criteria]
    assert texts[:3] == [("inclusion", "Age between 18 and 78 year-old."),
                         ("inclusion", "Previous liver transplantation."), ("inclusion", "Genotype 1 infection.")]
    assert ("exclusion", "Genotype 3 infection.") in texts and ("exclusion", "HIV infection.") in texts


def test_a_wrapped_line_still_continues_its_criterion():
    listing = "Inclusion Criteria:\n- Adequate organ function defined as\nbilirubin <= 1.5 x ULN\n- ECOG 0-1\n"
    assert len(parse_criteria_text(listing).criteria) == 2
