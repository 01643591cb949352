"""Qualifiers the criterion puts on a condition must be supported by the note's wording."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import AS_OF, constraint, criterion, fact, note, screened, trial

from match_builders import match_extracted as match_trial

CASES = [
    # criterion text, phrase in criterion, concept, note text, quote, fact flags, expected
    ("Active lung disease (interstitial pneumonia, pneumonia, asthma).", "asthma", "asthma",
     "PMH: COPD on tiotropium, childhood asthma (inactive).", "asthma", {"historical": True}, "not_met"),
    ("Active lung disease (interstitial pneumonia, pneumonia, asthma).", "asthma", "asthma",
     "Asthma on daily inhaled steroids, frequent wheeze.", "Asthma", {}, "met"),
    ("Active lung disease (pneumonia) or a history of active tuberculosis.", "tuberculosis", "tuberculosis",
     "Treated pulmonary tuberculosis in 2001, resolved.", "tuberculosis", {"historical": True}, "met"),
    ("Massive pleural effusion with clinical symptoms and requiring symptomatic management.", "pleural effusion", "pleural_effusion",
     "CT: small asymptomatic right pleural effusion, no drainage needed.", "pleural effusion", {}, "not_met"),
    ("Massive pleural effusion with clinical symptoms and requiring symptomatic management.", "pleural effusion", "pleural_effusion",
     "CT: right pleural effusion.", "pleural effusion", {}, "unknown"),
    ("Any uncontrollable problem, including: Poorly controlled diabetes mellitus.", "diabetes mellitus", "diabetes",
     "T2DM well controlled on metformin (diabetes mellitus, HbA1c 6.7%).", "diabetes mellitus", {}, "not_met"),
    ("Any uncontrollable problem, including: Poorly controlled diabetes mellitus.", "diabetes mellitus", "diabetes",
     "Poorly controlled diabetes mellitus, HbA1c 11%.", "diabetes mellitus", {}, "met"),
    ("Known positive status for HIV, active hepatitis B or hepatitis C", "hepatitis C", "hepatitis_c",
     "- Chronic hepatitis C (genotype 1a) - treated sofosbuvir/velpatasvir 2019, SVR12 achieved 01/2020",
     "Chronic hepatitis C", {"historical": True}, "not_met"),
]


@pytest.mark.parametrize("crit_text,phrase,concept,note_text,quote,flags,expected", CASES)
def test_qualifier_decides_documented_condition(crit_text, phrase, concept, note_text, quote, flags, expected):
    s = crit_text.index(phrase)
    c = constraint("E1.c1", concept, text=phrase).model_copy(update={"start": s, "end": s + len(phrase)})
    t = trial(criterion("E1", "exclusion", [c], text=crit_text, category="comorbidity"))
    n = note(note_text)
    (r,) = match_trial(t, [n], [fact(n, quote, concept, **flags)], as_of=AS_OF)
    assert r.criteria[0].verdict == expected

LEAD = "Has any uncontrollable clinical problem, including: Poorly controlled diabetes mellitus; myocardial infarction; angina."


@pytest.mark.parametrize("note_text,quote,concept,flags,date,expected", [
    ("Remote MI in 2019, stable since.", "MI", "myocardial_infarction", {"historical": True, "date": dt.date(2019, 5, 1)}, None, "not_met"),
    ("MI in June, s/p stent.", "MI", "myocardial_infarction", {"historical": True, "date": dt.date(2025, 6, 10)}, None, "met"),
    ("Unstable angina this week.", "angina", "angina", {}, None, "met"),
])
def test_qualifier_from_criterion_lead_in_applies_to_every_item(note_text, quote, concept, flags, date, expected):
    phrase = {"myocardial_infarction": "myocardial infarction", "angina": "angina"}[concept]
    s = LEAD.index(phrase)
    c = constraint("E1.c1", concept, text=phrase).model_copy(update={"start": s, "end": s + len(phrase)})
    t = trial(criterion("E1", "exclusion", [c], text=LEAD, category="comorbidity"))
    n = note(note_text)
    (r,) = match_trial(t, [n], [fact(n, quote, concept, **flags)], as_of=AS_OF)
    assert r.criteria[0].verdict == expected


@pytest.mark.parametrize("hba1c,expected", [(6.7, "not_met"), (10.2, "met")])
def test_qualifier_measure_decides_diabetes_control(hba1c, expected):
    phrase = "diabetes mellitus"
    s = LEAD.index(phrase)
    c = constraint("E1.c1", "diabetes", text=phrase).model_copy(update={"start": s, "end": s + len(phrase)})
    t = trial(criterion("E1", "exclusion", [c], text=LEAD, category="comorbidity"))
    n = note(f"T2DM on metformin. HbA1c {hba1c}%.")
    facts = [fact(n, "T2DM", "diabetes"), fact(n, "HbA1c", "hba1c", value=hba1c, unit="%")]
    (r,) = match_trial(t, [n], facts, as_of=AS_OF)
    assert r.criteria[0].verdict == expected


def test_qualifier_latest_explicit_mention_wins():
    crit_text = "Active lung disease (interstitial pneumonia, pneumonia, asthma)."
    s = crit_text.index("pneumonia,")
    c = constraint("E1.c1", "pneumonia", text="pneumonia").model_copy(update={"start": s, "end": s + 9})
    t = trial(criterion("E1", "exclusion", [c], text=crit_text, category="comorbidity"))
    a = note("Admitted with right lower lobe pneumonia.", nid="n1", date=dt.date(2025, 6, 16))
    b = note("CT: pneumonia resolved.", nid="n2", date=dt.date(2025, 8, 25))
    (r,) = match_trial(t, [a, b], [fact(a, "pneumonia", "pneumonia"), fact(b, "pneumonia", "pneumonia")], as_of=AS_OF)
    assert r.criteria[0].verdict == "not_met" and r.criteria[0].evidence[0].source_id == "n2"


def test_qualifier_active_condition_without_deciding_words_is_unknown():
    crit_text = "Active lung disease (interstitial pneumonia, pneumonia, asthma)."
    s = crit_text.index("asthma")
    c = constraint("E1.c1", "asthma", text="asthma").model_copy(update={"start": s, "end": s + 6})
    t = trial(criterion("E1", "exclusion", [c], text=crit_text, category="comorbidity"))
    n = note("PMH: asthma.")
    (r,) = match_trial(t, [n], [fact(n, "asthma", "asthma")], as_of=AS_OF)
    assert r.criteria[0].verdict == "unknown"


def test_uncertain_mention_clarified_by_a_later_negation_is_not_met():
    from match_builders import verdict_of

    n = note("RT + nimotuzumab? -- clarified: she did NOT receive nimotuzumab.")
    facts = [fact(n, "nimotuzumab", "nimotuzumab", uncertain=True), fact(n, "nimotuzumab", "nimotuzumab", occurrence=1, negated=True)]
    v = verdict_of(constraint("E1.c1", "anti_egfr_mab"), [n], facts, kind="exclusion")
    assert v.verdict == "not_met"


REMOTE_CASES = [
    # criterion text, phrase, concept, note text, quote, flags, expected
    ("Has any uncontrollable clinical problem, including: myocardial infarction.", "myocardial infarction", "myocardial_infarction",
     "PMH: MI 2019 treated with PCI to the LAD.", "MI", {}, "not_met"),
    ("Has any uncontrollable clinical problem, including: myocardial infarction.", "myocardial infarction", "myocardial_infarction",
     "MI 2 months ago, recurrent angina.", "MI", {}, "unknown"),
    ("Has any uncontrollable clinical problem, including: myocardial infarction.", "myocardial infarction", "myocardial_infarction",
     "MI 2019, now unstable angina.", "MI", {}, "met"),
    ("No symptomatic severe arrhythmias.", "arrhythmias", "arrhythmia",
     "Atrial fibrillation in 2018 after hip surgery, resolved, none since.", "Atrial fibrillation", {"historical": True}, "not_met"),
    ("No symptomatic severe arrhythmias.", "arrhythmias", "arrhythmia",
     "Atrial fibrillation (2018), rate controlled on metoprolol.", "Atrial fibrillation", {}, "not_met"),
    ("No symptomatic severe arrhythmias.", "arrhythmias", "arrhythmia",
     "Atrial fibrillation (2018).", "Atrial fibrillation", {"historical": True}, "unknown"),
]


@pytest.mark.parametrize("crit_text,phrase,concept,note_text,quote,flags,expected", REMOTE_CASES)
def test_qualifier_remote_event_is_over_unless_its_words_say_otherwise(crit_text, phrase, concept, note_text, quote, flags, expected):
    s = crit_text.index(phrase)
    c = constraint("E1.c1", concept, text=phrase).model_copy(update={"start": s, "end": s + len(phrase)})
    t = trial(criterion("E1", "exclusion", [c], text=crit_text, category="comorbidity"))
    n = note(note_text, note_type="clinic")
    (r,) = match_trial(t, [n], [fact(n, quote, concept, **flags)], as_of=AS_OF)
    assert r.criteria[0].verdict == expected


def test_normal_blood_pressure_is_decided_by_the_latest_measured_value():
    from match_builders import AS_OF, constraint, criterion, fact, match_extracted, note, trial

    def verdict(reading: float) -> str:
        n = note(f"Clinic visit. BP {reading:g}/80 mmHg.", note_type="clinic")
        f = fact(n, "BP", "blood_pressure", value=reading, unit="mmHg")
        t = trial(criterion("I1", "inclusion", [constraint("I1.c1", "blood_pressure", text="normal blood pressure")],
                            text="normal blood pressure"))
        (r,) = [r for r in match_extracted(t, [n], [f], as_of=AS_OF) if r.patient_id == "p1"]
        return r.criteria[0].verdict

    assert verdict(122) == "met"
    assert verdict(152) == "not_met"


def test_angina_and_infarction_are_ischaemic_heart_disease_and_infarction_a_coronary_syndrome():
    from pipeline.lexicon import load_lexicon

    lex = load_lexicon()
    assert lex.is_a("angina", "coronary_artery_disease") and lex.is_a("myocardial_infarction", "acs")


def test_an_uncontrolled_condition_in_a_window_needs_the_qualifier_inside_it():
    from pipeline.extract.criteria import parse_criteria_text

    t = parse_criteria_text("Uncontrolled hypertension within the past 3 months", kind="exclusion")
    n = note("HTN well controlled on amlodipine, BP 128/78.", date=dt.date(2025, 8, 1))
    (r,) = match_trial(t, [n], [fact(n, "HTN", "hypertension")], as_of=AS_OF)
    assert r.criteria[0].verdict == "not_met"


def test_a_history_alone_is_no_firm_evidence_that_a_lasting_condition_is_over():
    from .match_builders import screened

    text = "He is a chef with a history of asthma for 3 years, suffering from frequent cough and wheezing."
    assert screened("Inclusion", "Active asthma", text).verdict == "unknown"
    # an exclusion is still cleared by it
    assert screened("Exclusion", "Active asthma", "History of asthma as a child, resolved.").verdict == "not_met"


SCREENED = [
    # a history of major bleeding asks the bleed be major
    ("Exclusion", "History of major bleeding at any point", "PMH: epistaxis 03/2023, minor, settled with pressure.",
     "not_met", ""),
    ("Exclusion", "History of major bleeding at any point",
     "PMH: upper GI bleed 2019 requiring transfusion of 2 units.", "met", ""),
    # a denial in other words in the same note does not contradict a mention
    ("Inclusion", "Esophageal varices",
     "EGD: Stomach: no gastric varices. Impression: large F3 esophageal varices with red signs.", "met", ""),
    # a past pregnancy is not a present one
    ("Inclusion", "Females of childbearing potential must have a negative pregnancy test",
     "PMH: psoriasis, anemia in pregnancy - resolved. Urine hCG today negative.", "met", ""),
    # a latent infection is no active one
    ("Exclusion", "Suspected or confirmed active TB disease",
     "TB clinic consultation. Impression: latent TB infection (TST 14 mm), CXR clear.", "not_met", ""),
    # a woman aged 60 or over is postmenopausal when the notes never say
    ("Inclusion", "Post menopausal women with a history of breast cancer",
     "70 year old woman with left breast IDC, stage IIA, on anastrozole.", "met", "implied by"),
    ("Inclusion", "Post menopausal women with a history of breast cancer",
     "48 year old woman with left breast IDC, stage IIA.", "unknown", ""),
    # a T-score asked by DXA is not answered by an ultrasound
    ("Inclusion", "T-score according to DXA: <-2.5",
     "66 yo woman. Heel ultrasound at a health fair: T-score -2.9. Previous DXA 2019: FN T -2.1.", "unknown", "QUS"),
    ("Inclusion", "T-score according to DXA: <-2.5", "66 yo woman. DXA 09/2025: femoral neck T-score -2.9.", "met", ""),
    # a measured limit stated with no comparator decides no patient against
    ("Inclusion", "Men and women 18 years old with hypertension",
     "Progress note. 64 yo man with hypertension on amlodipine.", "unknown", "no comparator"),
    # an intolerance asked of a drug written short (MTX) is searched by the drug's name
    ("Exclusion", "Previous intolerance to MTX", "PMH: RA. Methotrexate intolerance (mouth ulcers) 2021.",
     "unknown", "methotrexate"),
    ("Exclusion", "Previous intolerance to MTX", "PMH: RA on methotrexate 15 mg weekly. NKDA.", "not_met",
     "not mentioned"),
    # a trimester asked of a pregnancy is a gestational age, which a pregnancy alone does not give
    ("Inclusion", "Second trimester pregnancy.", "Antenatal clinic. 30F, pregnant, unbooked, GA uncertain, LMP not sure.",
     "unknown", "gestational age"),
    ("Inclusion", "Second trimester pregnancy.", "Antenatal clinic. 30F G2P1. GA 21+0 by dating scan.", "met",
     "gestational age 22.71 week by the screening date (21 on 2025-08-20)"),
    # 12+1 weeks on 20 August is 13+6 on the screening date (1 September): not yet the second trimester, which a
    # growing measure reaches the next day: review, not ineligible
    ("Inclusion", "Second trimester pregnancy.", "Antenatal clinic. 30F G1P0, 12+1 weeks. Anomaly scan 20/40.",
     "unknown", "not yet: reaches 14 on 2025-09-02"),
    # past the limit, it never comes back
    ("Inclusion", "Gestational age < 12 weeks", "Antenatal clinic. 30F, 18+0 weeks.", "not_met", "criterion < 12"),
    ("Inclusion", "Pregnant women > 20 weeks gestation", "Antenatal clinic. 30F, pregnant.", "unknown",
     "gestational age not mentioned"),
    ("Inclusion", "Pregnant women > 20 weeks gestation", "ANC review. 23+6/40, G3P2. Feels well.", "met",
     "criterion > 20"),
    # a phrase outside the lexicon scored zero on a rating scale is denied: nothing for a person to check in the notes
    ("Exclusion", "History of hallucinations",
     "Memory clinic. PMH: AD. NPI: apathy F4 S2; delusions 0; hallucinations 0. No other history.", "not_computable",
     "needs manual review"),
    ("Exclusion", "History of hallucinations",
     "Memory clinic. PMH: AD. NPI: apathy F4 S2; delusions 0; hallucinations 2. No other history.", "unknown",
     "'hallucinations' mentioned in notes"),
    # what a reproductive subgroup must do is consent, and its sex word says whom it asks: no man is excluded by it
    ("Inclusion", "Female subjects of childbearing potential must use birth control during the study",
     "Clinic. 64-year-old man with COPD.", "not_computable", "consent"),
    ("Inclusion", "Sexually active patients must be willing to use birth control. The male partner should use a "
     "condom.", "Clinic. 34-year-old woman with COPD.", "not_computable", "consent"),
    ("Inclusion", "Female patients aged 18 to 65 years", "Clinic. 64-year-old man with COPD.", "not_met", "sex male"),
    # a hypersensitivity's object outside the notes' words: another drug's allergy clears it, a member named with the
    # reaction (infliximab is a chimeric, murine-protein antibody by its INN stem) does not
    ("Exclusion", "History of hypersensitivity reactions to murine protein-containing products.",
     "Clinic. PMH: Crohn's disease. Allergies: penicillin (rash).", "not_met", "not to what the criterion names"),
    ("Exclusion", "History of hypersensitivity reactions to murine protein-containing products.",
     "Clinic. PMH: Crohn's disease; anaphylaxis to infliximab 2016.", "unknown", "mentioned in notes"),
    ("Exclusion", "History of hypersensitivity reactions to murine protein-containing products.",
     "Clinic. PMH: Crohn's disease, on infliximab since 2019.\nAllergies: penicillin (rash).", "not_met",
     "not to what the criterion names"),
    # a negative pregnancy test rules out a pregnancy, never the use of contraception
    ("Exclusion", "Current hormonal contraception", "TB clinic. 29F. Urine hCG negative today. PMH: nil.", "unknown",
     "contraception not mentioned"),
    # latent TB is no active TB, whichever way the notes write it
    ("Exclusion", "Suspected or confirmed active TB disease", "TB clinic. 58M, QFT positive, CXR clear.\nA: LTBI.",
     "not_met", "criterion asks active"),
    # "hypo" in a diabetic's note is a hypoglycaemia, and one needing someone's help is severe
    ("Inclusion", "Recurrent severe hypoglycemic episodes",
     "Diabetes clinic. T1DM on MDI. 2 further hypos (Oct) - husband assisted, glucagon given.", "met",
     "documented as"),
    ("Exclusion", "Hypoglycaemia in the last month", "Clinic. Hypo thyroid on levothyroxine. No other history.",
     "not_met", "not mentioned"),
    # a PD-L1 level in percent is the tumour proportion score; the combined positive score never stands in for it
    ("Inclusion", "PD-L1 expression >= 50%", "Path: lung adenocarcinoma. PD-L1 (22C3) TPS 80%.", "met", "criterion >= 50"),
    ("Inclusion", "PD-L1 TPS >= 50%", "Path: lung adenocarcinoma. PD-L1 (22C3) TPS 10%.", "not_met", "criterion >= 50"),
    ("Inclusion", "PD-L1 expression >= 50%", "Path: HNSCC. PD-L1 (22C3) CPS 80.", "unknown", "pdl1"),
    # "decompensated" asks the notes' words of decompensation; a condition they call compensated or stable clears it,
    # and one they call decompensated goes to review (it may be over: a person checks when)
    ("Exclusion", "Decompensated heart failure", "Cardiology clinic. HFpEF, compensated, euvolaemic on furosemide.",
     "not_met", "criterion asks decompensated"),
    ("Exclusion", "Decompensated heart failure", "Admitted with acute on chronic heart failure, fluid overload.",
     "unknown", "the criterion asks 'Decompensated heart failure'"),
    # a lexicon phrase written head first with 'of' is still that phrase
    ("Exclusion", "Known history or present abuse of alcohol or drugs",
     "Clinic note. PMH: hypertension. Alcohol: 1-2 glasses of wine a week.", "not_met", "alcohol use disorder"),
]


@pytest.mark.parametrize("section,line,text,verdict,why", SCREENED)
def test_one_listing_line_against_one_patients_notes(section, line, text, verdict, why):
    v = screened(section, line, text)
    assert v.verdict == verdict and why in v.reason, v.reason
