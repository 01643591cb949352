"""Specification of note -> fact extraction (spans, values, assertion, dates)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.facts import extract, extract_text
from pipeline.lexicon import LexiconEntry
from pipeline.schema import Note

DATE = dt.date(2025, 6, 1)


def facts_of(text: str, **kw):
    """Concept facts (note-level statements such as the title line are left out)."""
    return [f for f in extract_text(text, date=DATE, **kw) if f.statement is None]


def one(text: str, concept: str, **kw):
    found = [f for f in facts_of(text, **kw) if f.concept == concept]
    assert found, f"no {concept} fact in {text!r}"
    return found[0]


def test_extract_text_offsets_quote_the_original_text():
    text = "62-year-old male. Hb 11.2 g/dL. HIV Ab non-reactive. Started nivolumab on 2025-03-04."
    for f in facts_of(text):
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize(
    "text,concept,span",
    [
        ("A 62-year-old man with cancer.", "age", "62-year-old"),
        ("62-year-old male presents.", "sex", "male"),
        ("p16 positive tumor.", "p16_status", "p16"),
        ("Hb 112 g/L today.", "hemoglobin", "Hb"),
        ("Treated with nivolumab.", "nivolumab", "nivolumab"),
        ("ECOG 1.", "ecog", "ECOG"),
        ("HIV Ab negative.", "hiv", "HIV Ab"),
        ("CT: 3.2 x 2.1 cm mass in the neck.", "measurable_lesion", "3.2 x 2.1 cm"),
    ],
)
def test_extract_text_span_is_the_mention_phrase(text, concept, span):
    assert one(text, concept).text == span


@pytest.mark.parametrize(
    "text,site",
    [
        ("Squamous cell carcinoma of the left tonsil.", "oropharynx"),
        ("SCC of the tongue, T2N1.", "oral cavity"),
        ("Biopsy: squamous cell carcinoma of the larynx.", "larynx"),
        ("Oropharyngeal squamous cell carcinoma, p16 positive.", "oropharynx"),
    ],
)
def test_extract_text_site_specific_scc_is_hnscc_with_site(text, site):
    assert one(text, "hnscc").site == site


@pytest.mark.parametrize("text", ["Squamous cell carcinoma of the skin of the back.", "SCC of the lung, stage IV."])
def test_extract_text_scc_of_skin_or_lung_is_not_hnscc(text):
    assert not [f for f in facts_of(text) if f.concept == "hnscc"]


def test_extract_text_no_term_of_interest_gives_no_facts():
    assert facts_of("The weather was pleasant and the clinic was quiet.") == []


def test_extract_user_entry_matches_case_and_spacing_insensitively():
    user = [LexiconEntry(id="user.0", concept="mucositis", category="other", kind="condition", phrases=("oral mucositis",), user=True)]
    f = one("No ORAL   MUCOSITIS today.", "mucositis", user_entries=user)
    assert f.text == "ORAL   MUCOSITIS" and f.negated


def test_extract_preserves_note_order_with_two_processes():
    notes = [Note(patient_id=f"p{i}", note_id=f"n{i}", date=DATE, text=f"Hb {100 + i} g/L. ECOG {i % 3}.") for i in range(20)]
    one_core = [f.model_dump() for f in extract(notes)]
    two_cores = [f.model_dump() for f in extract(notes, n_process=2)]
    assert one_core == two_cores


@pytest.mark.parametrize(
    "text,concept,span",
    [
        ("p16 IHC negative.", "p16_status", "p16"),
        ("HPV ISH (high-risk probes): negative.", "hpv_status", "HPV"),
        ("Restaging: progressive disease per RECIST.", "disease_progression", "progressive disease"),
        ("Age 55 / F.", "age", "55"),
    ],
)
def test_extract_text_span_excludes_method_and_criterion_words(text, concept, span):
    assert one(text, concept).text == span


def test_extract_text_trimmed_result_keeps_its_method():
    assert one("p16 IHC negative.", "p16_status").method == "IHC"


@pytest.mark.parametrize(
    "text,kept",
    [
        ("Restaging CT 05/28: PD (local + new lung nodules).", True),
        ("PD per RECIST 1.1.", True),
        ("Assessment: PD on tislelizumab.", True),
        ("History of PD, on carbidopa-levodopa.", False),
        ("ESRD on PD with nightly exchanges.", False),
        ("Parkinson's disease (PD) diagnosed 2019.", False),
        ("PD.", False),
    ],
)
def test_extract_pd_is_progression_only_in_oncologic_context(text, kept):
    assert any(f.concept == "disease_progression" for f in facts_of(text)) == kept


@pytest.mark.parametrize(
    "text,kept",
    [
        ("Palliative RT to the T10 lesion.", True),
        ("HBV DNA (RT-PCR) 3.2 x 10^4 IU/mL.", False),
        ("SARS-CoV-2 RT PCR negative.", False),
    ],
)
def test_extract_rt_is_radiotherapy_unless_part_of_rt_pcr(text, kept):
    assert any(f.concept == "radiotherapy" for f in facts_of(text)) == kept


@pytest.mark.parametrize(
    "text,concept,last_dose",
    [
        ("After nivolumab and an investigational drug (last dose 2025-04-08).", "nivolumab", None),
        ("Pembrolizumab + carboplatin/5-FU (last dose 2025-04-10).", "pembrolizumab", "2025-04-10"),
        ("Nivolumab (last dose 2025-03-01) and cetuximab (last dose 2025-04-01).", "nivolumab", "2025-03-01"),
        ("Nivolumab (last dose 2025-03-01) and cetuximab (last dose 2025-04-01).", "cetuximab", "2025-04-01"),
    ],
)
def test_extract_therapy_date_in_a_bracket_belongs_to_the_therapy_before_it(text, concept, last_dose):
    assert one(text, concept).therapy.last_dose_date == (dt.date.fromisoformat(last_dose) if last_dose else None)


def test_extract_facts_are_valid_records():
    from pipeline.schema import Fact

    text = "62-year-old male, ECOG 1. AST/ALT 30/28 U/L. p16 negative by IHC. No history of MI. Progressed on nivolumab."
    for f in facts_of(text):
        assert Fact.model_validate(f.model_dump()) == f


@pytest.mark.parametrize(
    "text,concept,span,value",
    [
        ("plt 150, hgb 120", "platelets", "plt", 150.0),
        ("plt 150, hgb 120", "hemoglobin", "hgb", 120.0),
        ("wbc: 5.2", "wbc", "wbc", 5.2),
        ("Labs:\nanc    3.1\n", "anc", "anc", 3.1),
        ("Plt 98 today.", "platelets", "Plt", 98.0),
        ("tbili 12 umol/L", "total_bilirubin", "tbili", 12.0),
        ("crcl 75 mL/min", "creatinine_clearance", "crcl", 75.0),
        ("SCr 80 umol/L", "creatinine", "SCr", 80.0),
        ("CrCl 60 mL/min", "creatinine_clearance", "CrCl", 60.0),
    ],
)
def test_extract_text_lab_abbreviation_in_any_case_takes_its_value(text, concept, span, value):
    f = one(text, concept)
    assert (f.text, f.value) == (span, value)


@pytest.mark.parametrize("text", ["The anc was fine.", "Wbc not drawn."])
def test_extract_text_lower_case_lab_abbreviation_without_value_is_not_a_lab(text):
    assert not [f for f in facts_of(text) if f.concept in ("anc", "wbc")]


@pytest.mark.parametrize("text", ["PE: well appearing.", "P/E: lungs clear.", "PE - unremarkable.", "Vitals stable.\nPE: no distress."])
def test_extract_text_acronym_section_header_is_not_a_mention(text):
    assert not [f for f in facts_of(text) if f.concept == "pulmonary_embolism"]


@pytest.mark.parametrize("text", ["History of PE in 2019.", "PMH:\nPE 2019, on apixaban."])
def test_extract_text_acronym_inside_a_line_is_still_a_mention(text):
    assert one(text, "pulmonary_embolism").text == "PE"


@pytest.mark.parametrize("text", ["EGFR mAb given.", "EGFR inhibitor therapy.", "EGFR-TKI.", "EGFR mutation negative.",
                                  "EGFR exon 19 deletion.", "EGFR antibody cetuximab."])
def test_extract_text_egfr_gene_or_drug_target_is_not_renal_function(text):
    assert not [f for f in facts_of(text) if f.concept == "creatinine_clearance"]


@pytest.mark.parametrize("text", ["eGFR 75", "eGFR: 75 mL/min", "EGFR 75 mL/min/1.73m2"])
def test_extract_text_egfr_with_a_value_is_renal_function(text):
    assert one(text, "creatinine_clearance").value == 75.0


@pytest.mark.parametrize(
    "text,site",
    [("Diagnosed with OSCC.", "oral cavity"), ("OPSCC, p16 positive.", "oropharynx"),
     ("LSCC, s/p total laryngectomy.", "larynx")],
)
def test_extract_text_site_named_scc_abbreviation_is_hnscc_with_site(text, site):
    assert one(text, "hnscc").site == site


@pytest.mark.parametrize("text", ["LSCC of the right upper lobe.", "Lung: LSCC, pulmonary nodules."])
def test_extract_text_lscc_in_a_lung_context_is_not_hnscc(text):
    assert not [f for f in facts_of(text) if f.concept == "hnscc"]


def test_extract_text_hnc_is_hnscc():
    assert one("HNC, recurrent.", "hnscc").text == "HNC"


@pytest.mark.parametrize(
    "text,concept,value",
    [
        ("RPR NR", "syphilis", "negative"),
        ("RPR: NR.", "syphilis", "negative"),
        ("TPPA non-reactive", "syphilis", "negative"),
        ("HIV Ab/Ag NR", "hiv", "negative"),
        ("anti-HCV nonreactive", "hcv_ab", "negative"),
        ("HBsAg neg", "hbsag", "negative"),
        ("HBsAg (-)", "hbsag", "negative"),
        ("RPR R", "syphilis", "positive"),
        ("TPPA: R.", "syphilis", "positive"),
        ("HIV reactive", "hiv", "positive"),
        ("HBsAg pos", "hbsag", "positive"),
        ("anti-HCV (+)", "hcv_ab", "positive"),
    ],
)
def test_extract_text_serology_shorthand_gives_result_polarity(text, concept, value):
    assert one(text, concept).value == value


@pytest.mark.parametrize(
    "text,weeks,comparator",
    [
        ("Life expectancy more than 6 months.", 26.09, ">"),
        ("Life expectancy > 6 mo.", 26.09, ">"),
        ("Expected survival beyond 3 months.", 13.04, ">"),
        ("Life expectancy is anticipated to exceed 6 months.", 26.09, ">"),
        ("Life expectancy >/= 3 months.", 13.04, ">="),
        ("Estimated >6-month life expectancy.", 26.09, ">"),
        ("Life expectancy >= 12 weeks.", 12.0, ">="),
    ],
)
def test_extract_text_life_expectancy_in_words_is_weeks_with_comparator(text, weeks, comparator):
    f = one(text, "life_expectancy")
    assert (round(f.value, 2), f.unit, (f.reading.comparator if f.reading else None)) == (weeks, "week", comparator)


def test_a_life_expectancy_stated_in_months_meets_the_same_number_of_months():
    from pipeline.extract.units import convert

    assert one("Expected survival > 3 months.", "life_expectancy").value >= convert(3.0, "month", "week")


@pytest.mark.parametrize(
    "text,size,timepoint",
    [
        ("Target lesion now 3.1 cm, previously 2.4 cm.", "3.1 cm", "current"),
        ("Target lesion now 3.1 cm, previously 2.4 cm.", "2.4 cm", "prior"),
        ("Node increased from 18 to 25 mm.", "25 mm", "current"),
        ("Left neck mass 2.6 cm (prior 2.0 cm).", "2.6 cm", "current"),
        ("Left neck mass 2.6 cm (prior 2.0 cm).", "2.0 cm", "prior"),
        ("Mass measures 3.1 cm, was 2.2 cm on the prior CT.", "2.2 cm", "prior"),
        ("Neck mass 2.8 x 2.3 cm, compared with 2.3 x 2.0 cm in May.", "2.3 x 2.0 cm", "prior"),
    ],
)
def test_extract_text_lesion_size_records_current_or_prior_timepoint(text, size, timepoint):
    found = {f.text: f for f in facts_of(text) if f.concept == "measurable_lesion"}
    assert (found[size].reading.timepoint if found[size].reading else None) == timepoint


@pytest.mark.parametrize("text", ["Mass 3.1 cm.", "Right neck mass 2.8 cm and left neck node 1.5 cm."])
def test_extract_text_lesion_sizes_at_one_timepoint_get_no_timepoint(text):
    assert all(f.reading is None or f.reading.timepoint is None for f in facts_of(text) if f.concept == "measurable_lesion")


@pytest.mark.parametrize(
    "text",
    [
        "Simple cyst measuring 2.3 cm in the liver.",
        "Liver cyst 1.5 cm.",
        "Gross: specimen measuring 1.2 x 0.8 cm.",
        "GROSS DESCRIPTION:\nReceived in formalin a tan mass measuring 2.0 x 1.5 cm.",
        "Subcentimeter lymph node 0.8 cm.",
        "Several sub-centimetre cervical nodes, largest 0.9 cm.",
    ],
)
def test_extract_text_cyst_specimen_or_subcentimetre_node_is_not_a_measurable_lesion(text):
    assert not [f for f in facts_of(text) if f.concept == "measurable_lesion" and f.value is not None]


@pytest.mark.parametrize(
    "text,size",
    [
        ("Liver cyst 1.5 cm; right neck mass 3.1 cm.", "3.1 cm"),
        ("Necrotic cystic nodal mass 4.2 cm.", "4.2 cm"),
        ("Two sub-centimeter right lung nodules, 6 mm and 4 mm.", "6 mm"),
        ("Gross: received a mass measuring 2.0 x 1.5 cm.\nCT neck: right level II mass 3.0 cm.", "3.0 cm"),
    ],
)
def test_extract_text_tumour_size_next_to_non_lesion_words_is_kept(text, size):
    assert size in [f.text for f in facts_of(text) if f.concept == "measurable_lesion"]


@pytest.mark.parametrize(
    "text,sizes",
    [
        ("A few sub-4 mm nodules are too small to characterise.", []),
        ("Lesions >= 10 mm.", []),
        ("Lung nodules up to 1.5 cm.", ["1.5 cm"]),
    ],
)
def test_extract_text_size_threshold_is_not_a_measurement_but_up_to_is(text, sizes):
    assert [f.text for f in facts_of(text) if f.concept == "measurable_lesion"] == sizes


def test_extract_text_test_named_in_brackets_after_its_result_is_one_mention():
    found = [f for f in facts_of("HIV neg, syphilis neg (TP-Ab), HBsAg neg.") if f.concept == "syphilis"]
    assert [(f.text, f.value) for f in found] == [("syphilis", "negative")]


@pytest.mark.parametrize("text,quote,born", [
    ("Name: X. DOB: 14/05/2006. Presents with low mood.", "14/05/2006", dt.date(2006, 5, 14)),
    ("Date of birth 3 March 1961.", "3 March 1961", dt.date(1961, 3, 3)),
])
def test_extract_date_of_birth_is_an_age_fact_counted_at_screening(text, quote, born):
    f = one(text, "age")
    assert (f.text, f.birth_date, f.value) == (quote, born, None) and text[f.start:f.end] == quote


@pytest.mark.parametrize("text,ages", [
    ("34-year-old woman. PMH: appendectomy age 15.", [34.0]),
    ("58M, DM2 since 2005 (age 35), on insulin.", [58.0]),
    ("DOB 14/05/2006 (age 19).", [19.0]),
    ("Age 62 / F.", [62.0]),
])
def test_extract_age_at_an_event_is_not_the_patients_age(text, ages):
    assert [f.value for f in facts_of(text) if f.concept == "age" and f.value is not None] == ages
