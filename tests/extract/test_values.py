"""Values: lab values with unit conversion and reference ranges, scores, sizes, ages, therapy details."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.facts import extract_text
from pipeline.extract.scores import karnofsky_to_ecog

DATE = dt.date(2025, 6, 1)


def one(text: str, concept: str):
    found = [f for f in extract_text(text, date=DATE) if f.concept == concept]
    assert found, f"no {concept} in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    "text,concept,value,unit",
    [
        ("Hb 112 g/L", "hemoglobin", 112.0, "g/L"),
        ("Creatinine ......................... 0.71 mg/dL   [0.50-0.90]", "creatinine", 62.7652, "umol/L"),
        ("AST \u2026\u2026 17 U/L", "ast", 17.0, "U/L"),
        ("Hct 0.37 L/L (0.36-0.46)", "hematocrit", 37.0, "%"),
        ("Hct 0.41", "hematocrit", 41.0, "%"),
        ("Hb 11.2 g/dL", "hemoglobin", 112.0, "g/L"),
        ("platelets 180 K/uL", "platelets", 180.0, "10^9/L"),
        ("PLT 231 x10^9/L", "platelets", 231.0, "10^9/L"),
        ("Cr 1.1 mg/dL (0.6-1.2)", "creatinine", 97.2419, "umol/L"),
        ("total bilirubin 1.0 mg/dL", "total_bilirubin", 17.1037, "umol/L"),
        ("ANC 1500 /uL", "anc", 1.5, "10^9/L"),
        ("BUN 15 mg/dL", "urea_nitrogen", 150.0, "mg/L"),
        ("FEV1 2.1 L", "fev1", 2.1, "L"),
    ],
)
def test_lab_value_is_converted_to_canonical_unit(text, concept, value, unit):
    f = one(text, concept)
    assert f.value == pytest.approx(value, rel=1e-3) and f.unit == unit
    assert f.reading.raw_value in text


def test_lab_value_keeps_raw_value_and_unit():
    f = one("Hb 11.2 g/dL", "hemoglobin")
    assert f.reading.raw_value == "11.2" and f.reading.raw_unit == "g/dL"


def test_lab_value_reference_range_in_canonical_unit():
    f = one("Cr 1.1 mg/dL (0.6-1.2)", "creatinine")
    assert f.reading.ref_low == pytest.approx(53.04, rel=1e-3)
    assert f.reading.uln == pytest.approx(106.08, rel=1e-3)


def test_lab_value_from_table_row():
    text = "Test      Result   Unit   Range\nALT       32       U/L    7-40\nAST       30       U/L    0-40"
    f = one(text, "alt")
    assert f.value == 32.0 and f.reading.ref_high == 40.0


@pytest.mark.parametrize("text", ["WBC normal range 3.5-9.5.", "If CRP > 30 or ANC < 1.0, hold the dose."])
def test_lab_value_not_taken_from_reference_range_or_threshold(text):
    facts = [f for f in extract_text(text, date=DATE) if f.concept in ("wbc", "anc")]
    assert facts and all(f.value is None for f in facts)


@pytest.mark.parametrize(
    "text,value",
    [("HBV DNA < 20 IU/mL", "undetectable"), ("HBV DNA not detected", "undetectable"), ("HBV DNA 3.2 x 10^4 IU/mL", 32000.0)],
)
def test_viral_load_value(text, value):
    assert one(text, "hbv_dna").value == value


@pytest.mark.parametrize("text,value", [("ECOG 1.", 1), ("ECOG PS 0-1", 1), ("ECOG performance status of 2", 2)])
def test_ecog_value(text, value):
    assert one(text, "ecog").value == value


def test_karnofsky_maps_to_ecog():
    f = one("KPS 80%.", "karnofsky")
    assert f.value == 80.0 and f.reading.ecog == 1


@pytest.mark.parametrize("kps,ecog", [(100, 0), (90, 0), (70, 1), (50, 2), (30, 3), (10, 4), (0, 5)])
def test_karnofsky_to_ecog_table(kps, ecog):
    assert karnofsky_to_ecog(kps) == ecog


@pytest.mark.parametrize(
    "text,span,mm",
    [
        ("CT: 3.2 x 2.1 cm mass in the neck.", "3.2 x 2.1 cm", 32.0),
        ("Lung nodule measuring 18 mm.", "18 mm", 18.0),
        ("Right level II node 1.6 cm short axis.", "1.6 cm", 16.0),
    ],
)
def test_measurable_lesion_longest_diameter_in_mm(text, span, mm):
    f = one(text, "measurable_lesion")
    assert f.text == span and f.value == mm and f.unit == "mm"


def test_size_threshold_is_not_a_lesion():
    assert not [f for f in extract_text("Requires lesions >= 10 mm.", date=DATE) if f.concept == "measurable_lesion" and f.value]


@pytest.mark.parametrize(
    "text,age,sex",
    [("62-year-old male.", 62.0, "male"), ("Onc clinic - 69 F, recurrent SCC.", 69.0, "female"), ("58 yo M with HNSCC.", 58.0, "male"),
     ("Follow-up 9 Sept 2025\n63 y F, COPD GOLD 3.", 63.0, "female"),
     ("Patient: Jamal A., M, 23\nPresenting complaint: hypoglycaemia.", 23.0, "male"),
     ("PATIENT: NAIR, Priya   F   45y   MRN 0093321", 45.0, "female")],
)
def test_age_and_sex(text, age, sex):
    assert one(text, "age").value == age and one(text, "sex").value == sex


@pytest.mark.parametrize("text", ["Fever 101 F overnight.", "Grade F 45 mm lesion.", "Staged T2N0M, 1 node sampled."])
def test_numbers_near_a_capital_letter_are_not_an_age(text):
    assert not [f for f in extract_text(text, date=DATE) if f.concept == "age"]


def test_therapy_cycles_response_and_classes():
    f = one("Progressed on pembrolizumab x 4 cycles.", "pembrolizumab")
    assert f.therapy.cycles == 4 and f.therapy.response == "progression"
    assert "anti_pd1" in f.classes


def test_therapy_cycle_day_notation():
    assert one("Nivolumab C3D1 given today.", "nivolumab").therapy.cycles == 3


def test_progression_records_the_drug():
    assert one("Disease progression on nivolumab.", "disease_progression").on_therapy == ["nivolumab"]


@pytest.mark.parametrize("text,method", [("p16 positive by IHC.", "IHC"), ("HPV ISH negative.", "ISH"), ("HPV PCR negative.", "PCR")])
def test_result_method(text, method):
    concept = "p16_status" if text.startswith("p16") else "hpv_status"
    assert one(text, concept).method == method


@pytest.mark.parametrize("text,drug", [("1L pembrolizumb + carboplatin.", "pembrolizumab"), ("Given cisplatn weekly.", "cisplatin")])
def test_misspelled_drug_names_are_found(text, drug):
    assert one(text, drug)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Labs: AST/ALT 30/28, Tbili 0.6.", {"ast": 30.0, "alt": 28.0}),
        ("AST/ALT 30/28 U/L.", {"ast": 30.0, "alt": 28.0}),
        ("ALT / AST: 45/38 U/L", {"alt": 45.0, "ast": 38.0}),
        ("BUN/Cr 14/0.9.", {"urea_nitrogen": 140.0, "creatinine": 79.5615}),
        ("BUN/Cr 14/0.9 mg/dL", {"urea_nitrogen": 140.0, "creatinine": 79.5615}),
    ],
)
def test_lab_value_paired_analytes_take_one_value_each(text, expected):
    got = {f.concept: f.value for f in extract_text(text, date=DATE) if f.concept in expected}
    assert got == expected


def test_lab_value_paired_values_quote_their_own_number():
    text = "AST/ALT 30/28 U/L"
    f = one(text, "alt")
    assert f.reading.raw_value == "28" and f.value == 28.0


@pytest.mark.parametrize(
    "text,weeks,comparator",
    [
        ("Life expectancy > 3 months.", 13.04, ">"),
        ("Expected survival of about 2 months.", 8.7, None),
        ("Estimated life expectancy of at least 12 weeks.", 12.0, ">="),
        ("Life expectancy judged > 6 months.", 26.09, ">"),
        ("Life expectancy is greater than one year.", 52.18, ">"),
    ],
)
def test_life_expectancy_value_in_weeks(text, weeks, comparator):
    f = one(text, "life_expectancy")
    assert (round(f.value, 2), f.unit, (f.reading.comparator if f.reading else None)) == (weeks, "week", comparator)


def test_life_expectancy_without_a_duration_has_no_value():
    assert one("Life expectancy was discussed with the family.", "life_expectancy").value is None


@pytest.mark.parametrize(
    "text,value",
    [
        ("HPV-associated oropharyngeal carcinoma.", None),
        ("Prognosis differs from HPV-related disease.", None),
        ("History of HPV-associated cervical dysplasia.", None),
        ("HPV-positive oropharyngeal SCC.", "positive"),
        ("HPV ISH positive; findings support HPV-associated carcinoma.", "positive"),
    ],
)
def test_result_value_needs_a_result_word(text, value):
    assert one(text, "hpv_status").value == value


@pytest.mark.parametrize("text,value", [("Calculated CrCl (Cockcroft-Gault, actual wt 73.5 kg): 92 mL/min", 92.0),
                                        ("CrCl (Cockcroft-Gault, actual body wt, female): 139 mL/min", 139.0)])
def test_a_method_in_brackets_between_a_lab_and_its_value_is_skipped_with_its_numbers(text, value):
    assert one(text, "creatinine_clearance").value == value


@pytest.mark.parametrize("text,value", [("72-year-old man. Wt 80 kg. Labs: creatinine 1.2 mg/dL (0.6-1.2).", 63.0),
                                        ("DOB 14/02/1950. Female. Weight 60 kg. Creatinine 90 umol/L.", 45.2)])
def test_creatinine_clearance_is_computed_by_cockcroft_gault_from_one_notes_values(text, value):
    f = one(text, "creatinine_clearance")
    assert (f.value, f.unit, [c.category for c in f.cues]) == (value, "mL/min", ["DERIVED"])
    assert text[f.start:f.end].lower().startswith("creatinine")


def test_a_stated_clearance_is_never_replaced_by_a_computed_one():
    f = one("72M. Wt 80 kg. Creatinine 1.2 mg/dL. eGFR 58 mL/min.", "creatinine_clearance")
    assert f.value == 58.0 and not f.cues


@pytest.mark.parametrize("text,concept,value,unit", [
    ("Calcium                  7.9       L      mg/dL      8.5-10.2\n", "calcium", 1.9712, "mmol/L"),
    ("Potassium 5.9 (H) mmol/L 3.5-5.1\n", "potassium", 5.9, "mmol/L"),
])
def test_a_laboratory_flag_between_value_and_unit_is_skipped(text, concept, value, unit):
    (f,) = [f for f in extract_text(text) if f.concept == concept]
    assert (round(f.value, 4), f.unit) == (value, unit)


@pytest.mark.parametrize("text,found", [("BMP: Na 139, K 4.7, Cr 1.1", True), ("Vitamin K 10 mg given", False),
                                        ("K-ras wild type", False)])
def test_k_is_potassium_only_among_laboratory_words(text, found):
    assert any(f.concept == "potassium" and f.value == 4.7 for f in extract_text(text)) is found


@pytest.mark.parametrize("text,concept,value", [
    ("Ex-smoker since 2018, approx. 40 pack-years.", "pack_years", 40.0),
    ("Active smoker ~10 cigarettes/day, 45 pack-years.", "nicotine_dependence", 10.0),
    ("Still smokes about 1 ppd.", "nicotine_dependence", 20.0),
])
def test_smoking_amounts_are_read_in_pack_years_and_cigarettes_a_day(text, concept, value):
    assert [f.value for f in extract_text(text) if f.concept == concept] == [value]


def test_a_date_written_before_a_lab_value_is_no_value():
    assert [f.value for f in extract_text("Prior eGFR: 03/2025 44.") if f.concept == "creatinine_clearance"] == [44.0]


@pytest.mark.parametrize("text,weeks", [("ANC - SHO note\nGA 21+0 (by dating scan).", 21.0),
                                        ("14/12/26 ANC\n23+6/40, G3P2. Seen re bloods.", 23.86),
                                        ("Reviewed today at 18+3 weeks; well.", 18.43),
                                        ("She is 28 weeks pregnant.", 28.0)])
def test_a_gestational_age_is_read_in_the_notation_notes_write_it(text, weeks):
    assert one(text, "gestational_age").value == weeks


@pytest.mark.parametrize("text", ["Anomaly scan ~20/40. Routine follow-up 16/40.", "Procedure under GA today.",
                                  "Vision 20/40 right eye."])
def test_a_planned_week_or_a_visual_acuity_is_no_gestational_age(text):
    assert not [f for f in extract_text(text, date=DATE) if f.concept == "gestational_age"]


@pytest.mark.parametrize("text", ["NPI (caregiver): Depression 0, apathy F4 S2.", "HAM-D item 1 (depression) 0; anxiety 2."])
def test_a_condition_scored_zero_is_absent(text):
    assert one(text, "depression").negated


def test_a_score_of_zero_is_a_value_not_a_denial():
    f = one("Clinic review. ECOG 0, walks 5 km daily.", "ecog")
    assert f.value == 0 and not f.negated


@pytest.mark.parametrize("text,concept,value", [("PD-L1 (22C3): TPS 60%, CPS 70.", "pdl1_tps", 60.0),
                                               ("PD-L1 (22C3): TPS 60%, CPS 70.", "pdl1_cps", 70.0),
                                               ("PD-L1 (28-8) TPS <1%.", "pdl1_tps", 1.0)])
def test_a_pd_l1_score_is_read_on_its_own_scale(text, concept, value):
    assert one(text, concept).value == value


@pytest.mark.parametrize("text,concept,affirmed", [
    ("Retired nurse (worked 35 years in nursing). Not pregnant.", "pregnancy", []),
    ("Postpartum 3 months, currently nursing her baby.", "pregnancy", [True]),
    ("FibroScan 21/10/2026: 5.2 kPa, CAP 212 dB/m.", "pneumonia", []),
    ("Admitted with CAP, treated with amoxicillin.", "pneumonia", [True]),
    ("SHx: never smoker, no EtOH or drugs in pregnancy.", "pregnancy", [True]),
    ("No nausea during chemotherapy.", "chemotherapy", [True]),
])
def test_a_word_with_another_sense_or_a_time_frame_is_read_in_its_context(text, concept, affirmed):
    facts = [f for f in extract_text(text, date=DATE) if f.concept == concept and not f.negated]
    negated = [f for f in extract_text(text, date=DATE) if f.concept == concept and f.negated]
    assert [True for _ in facts] == affirmed and (affirmed or not [f for f in negated if f.text == "nursing"])
