"""Assertion: ConText rules as data, result polarity, sections, relatives, hypotheticals, history."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import ModelDataError
from pipeline.extract.assertion import label_answer_negation, read_context_rules
from pipeline.extract.facts import extract_text
from pipeline.lexicon import LexiconEntry

DATE = dt.date(2025, 6, 1)


def fact(text: str, phrase: str):
    """The fact for ``phrase`` (added as a user entry so any wording can be tested)."""
    entry = LexiconEntry(id="user.t", concept="target", category="other", kind="condition", phrases=(phrase,), user=True)
    found = [f for f in extract_text(text, date=DATE, user_entries=[entry]) if f.concept == "target"]
    assert found, f"{phrase!r} not found in {text!r}"
    return found[0]


def builtin(text: str, concept: str):
    found = [f for f in extract_text(text, date=DATE) if f.concept == concept]
    assert found, f"no {concept} in {text!r}"
    return found[0]


def test_context_rules_file_is_valid_and_literals_are_unique():
    rules = read_context_rules()
    assert len(rules) > 300
    assert len({r.literal.lower() for r in rules}) == len(rules)


def test_context_rules_reject_unknown_keys(tmp_path):
    bad = tmp_path / "rules.jsonl"
    bad.write_text('{"id": "context.negated_existence.forward.x", "literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "colour": "red"}\n')
    with pytest.raises(ModelDataError, match="E020"):
        read_context_rules(bad)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("No fever, chills or cough.", "cough"),
        ("Patient denies chest pain.", "chest pain"),
        ("Biopsy negative for malignancy.", "malignancy"),
        ("Allergies: none.", "Allergies"),
        ("There is no evidence of pneumonia.", "pneumonia"),
        ("Pneumothorax was ruled out.", "Pneumothorax"),
        ("No   history   of stroke.", "stroke"),
        ("No fever, no cough, no recent infection or vaccination.", "infection"),
        ("Rib pain controlled; RT not needed now.", "RT"),
        ("A/P: Non-metastatic CRPC (M0) by conventional imaging.", "metastatic"),
    ],
)
def test_assertion_negated(text, phrase):
    f = fact(text, phrase)
    assert f.negated and f.cues


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("No increase in the size of the nodule.", "nodule"),
        ("Not only fatigue but also anorexia.", "anorexia"),
        ("Fever, but no cough.", "Fever"),
        ("CT chest without contrast shows a nodule.", "nodule"),
    ],
)
def test_assertion_pseudo_negation_and_termination_do_not_negate(text, phrase):
    assert not fact(text, phrase).negated


@pytest.mark.parametrize(
    "text,concept,value",
    [
        ("p16 negative.", "p16_status", "negative"),
        ("p16 (-).", "p16_status", "negative"),
        ("HIV Ab non-reactive.", "hiv", "negative"),
        ("HBsAg (-), HCV Ab (+).", "hbsag", "negative"),
        ("Tumor is HPV-positive.", "hpv_status", "positive"),
        ("Positive for p16 by IHC.", "p16_status", "positive"),
        ("RPR: reactive, titer 1:8.", "syphilis", "positive"),
    ],
)
def test_assertion_result_polarity_is_a_value_not_a_negation(text, concept, value):
    f = builtin(text, concept)
    assert f.value == value and not f.negated
    assert any(c.category == "RESULT" for c in f.cues)


def test_assertion_test_not_done_is_negated():
    assert builtin("HPV testing not performed.", "hpv_status").negated


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("Return if fever develops.", "fever"),
        ("Should she develop chest pain, call 911.", "chest pain"),
        ("Plan to start cetuximab next week.", "cetuximab"),
        ("Consider radiotherapy.", "radiotherapy"),
        ("If ANC drops below 1.0, hold treatment.", "ANC"),
    ],
)
def test_assertion_hypothetical(text, phrase):
    assert fact(text, phrase).hypothetical


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("FAMILY HISTORY: Breast cancer.", "Breast cancer"),
        ("His mother had breast cancer.", "breast cancer"),
        ("Family history of colon cancer.", "colon cancer"),
    ],
)
def test_assertion_family(text, phrase):
    assert fact(text, phrase).family


def test_assertion_family_section_ends_at_next_header():
    text = "FAMILY HISTORY:\nMother with breast cancer.\nASSESSMENT AND PLAN:\nDiabetes, continue metformin."
    assert not fact(text, "Diabetes").family


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("History of myocardial infarction.", "myocardial infarction"),
        ("She is s/p appendectomy.", "appendectomy"),
        ("PAST SURGICAL HISTORY:\nAppendectomy.", "Appendectomy"),
        ("Tuberculosis in 1998, treated.", "Tuberculosis"),
    ],
)
def test_assertion_historical(text, phrase):
    assert fact(text, phrase).historical


def test_assertion_past_medical_history_item_is_historical_but_not_over():
    """ConText's temporality (medspaCy's section default): a past-history list item is historical; such lists
    also hold ongoing conditions ("on allopurinol"), so matching is not told the condition is over."""
    f = fact("PAST MEDICAL HISTORY:\nGout, on allopurinol.", "Gout")
    assert f.historical and f.history_heading and not f.over
    assert [c.category for c in f.cues] == ["SECTION_HISTORY"]


def test_assertion_negated_past_medical_history_item_is_historical_too():
    f = fact("PAST MEDICAL HISTORY:\nNo diabetes.", "diabetes")
    assert f.negated and f.historical and not f.over


def test_assertion_history_cue_makes_a_fact_over_unlike_a_heading():
    f = fact("History of myocardial infarction in 2019.", "myocardial infarction")
    assert f.historical and not f.history_heading and f.over


def test_assertion_negated_history_is_historical_but_never_over():
    """Temporality is independent of negation ("no history of stroke": absent, and about the past)."""
    f = fact("No history of stroke.", "stroke")
    assert f.negated and f.historical and not f.over and any(c.category == "HISTORICAL" for c in f.cues)


def test_assertion_negated_present_finding_is_not_historical():
    assert not fact("No fever today.", "fever").historical


def test_assertion_plan_section_is_hypothetical_unless_ongoing():
    assert fact("PLAN: cetuximab next week.", "cetuximab").hypothetical
    assert not builtin("PLAN: continue pembrolizumab.", "pembrolizumab").hypothetical


def test_assertion_two_day_history_is_recent():
    assert not fact("She has a two-day history of fever.", "fever").historical


@pytest.mark.parametrize(
    "text,historical",
    [
        ("Progressed on pembrolizumab, last dose 2025-01-10.", True),
        ("Currently on pembrolizumab, C3D1 today.", False),
        ("Received 4 cycles of pembrolizumab in 2024.", True),
    ],
)
def test_assertion_therapy_tense(text, historical):
    assert builtin(text, "pembrolizumab").historical is historical


def test_assertion_lab_value_with_old_date_is_not_historical():
    f = builtin("Hb 112 g/L on 2025-01-02.", "hemoglobin")
    assert not f.historical and f.date == dt.date(2025, 1, 2)


@pytest.mark.parametrize("text,cue", [("Fever: no", "no"), ("Tobacco - never.", "never"), ("Allergies: none\n", "none")])
def test_label_answer_negation_finds_the_answer(text, cue):
    end = text.index(":") if ":" in text else text.index(" -")
    found = label_answer_negation(text, end, len(text))
    assert found is not None and found.text == cue


def test_assertion_lab_with_a_value_is_not_negated_by_a_nearby_cue():
    f = builtin("Labs (no transfusion since June): Hb 112 g/L.", "hemoglobin")
    assert f.value == 112.0 and not f.negated


@pytest.mark.parametrize(
    "text,concept",
    [
        ("She has not yet received any PD-1 inhibitor.", "anti_pd1"),
        ("Serologies (HIV, syphilis, hepatitis B/C) not yet drawn.", "hiv"),
        ("Will not continue cisplatin.", "cisplatin"),
    ],
)
def test_assertion_not_given_or_not_done(text, concept):
    assert builtin(text, concept).negated


def test_context_rules_reject_literals_that_tokenise_alike():
    import spacy

    from pipeline.extract.assertion import ContextRuleSpec, to_medspacy

    specs = [ContextRuleSpec(id="context.possible_existence.backward.a", literal="cannot be excluded",
                             category="POSSIBLE_EXISTENCE", direction="BACKWARD"),
             ContextRuleSpec(id="context.possible_existence.forward.b", literal="can not be excluded",
                             category="POSSIBLE_EXISTENCE", direction="FORWARD")]
    with pytest.raises(ModelDataError, match="tokenises like"):
        to_medspacy(specs, spacy.blank("en").tokenizer)


def test_shipped_context_rules_have_no_literals_that_tokenise_alike():
    from pipeline.nlp import build_nlp

    assert build_nlp().get_pipe("ts_context") is not None


@pytest.mark.parametrize(
    "text,phrase,flag",
    [
        ("Pneumonia cannot be excluded.", "Pneumonia", "uncertain"),
        ("Pneumonitis after the last nivolumab dose but cannot be excluded.", "nivolumab", None),
        ("Serologies (HIV, syphilis) not yet drawn.", "HIV", "negated"),
    ],
)
def test_assertion_backward_cue_scope_stops_at_terminators_not_brackets(text, phrase, flag):
    f = fact(text, phrase)
    flags = {k for k in ("negated", "uncertain", "historical", "hypothetical", "family") if getattr(f, k)}
    assert flags == ({flag} if flag else set())


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("CXR: pneumonia vs aspiration.", "aspiration"),
        ("CXR: pneumonia vs aspiration.", "pneumonia"),
        ("Pneumonitis versus infection.", "infection"),
        ("Differential includes pneumonitis and sarcoid.", "sarcoid"),
        ("Likely pneumonitis.", "pneumonitis"),
        ("Findings concerning for pneumonitis.", "pneumonitis"),
        ("Findings suspicious for metastasis.", "metastasis"),
        ("Questionable pneumonitis.", "pneumonitis"),
        ("Pneumonitis cannot be excluded.", "Pneumonitis"),
        ("r/o pneumonia.", "pneumonia"),
        ("Probable pneumonitis.", "pneumonitis"),
        ("3. No definite progression.", "progression"),
    ],
)
def test_assertion_uncertain(text, phrase):
    assert fact(text, phrase).uncertain


@pytest.mark.parametrize(
    "text,concept",
    [
        ("Discussed cetuximab vs docetaxel.", "cetuximab"),
        ("Hb 10.1 vs 11.2 g/dL last month.", "hemoglobin"),
    ],
)
def test_assertion_comparison_of_options_or_values_is_not_uncertain(text, concept):
    assert not builtin(text, concept).uncertain


@pytest.mark.parametrize(
    "text,phrase,historical",
    [
        ("She has a persistent cough.", "cough", False),
        ("Seen at the previous hospital, where she was lethargic.", "lethargic", False),
        ("He had a prior stroke.", "stroke", True),
        ("Old infarct in the left basal ganglia.", "infarct", True),
        ("A 62-year-old man, old infarct.", "infarct", True),
        ("A 3 months old infant with reflux.", "reflux", False),
        ("**AGE[in 80s]-year-old female with back pain.", "back pain", False),
        ("PAST MEDICAL HISTORY: Diabetes.", "Diabetes", True),
        ("Menstrual History:  POST-MENOPAUSAL", "POST-MENOPAUSAL", True),
    ],
)
def test_assertion_historical_conventions(text, phrase, historical):
    f = fact(text, phrase)
    assert (f.historical or any("HISTOR" in c.category for c in f.cues)) == historical


def test_assertion_duration_history_ends_the_scope_of_earlier_cues():
    f = fact("Male with no history of CAD who presents with a one-day history of chest pressure.", "chest pressure")
    assert not f.negated and not f.historical


def test_assertion_hedged_negation_is_uncertain_not_negated():
    f = fact("No definite evidence of pneumonitis.", "pneumonitis")
    assert f.uncertain and not f.negated


@pytest.mark.parametrize(
    "text,concept",
    [
        ("Cetuximab-naive.", "cetuximab"),
        ("Patient is anti-EGFR naive.", "anti_egfr_mab"),
        ("IO-naive.", "immunotherapy"),
        ("Platinum naïve disease.", "platinum"),
        ("Naive to cetuximab.", "cetuximab"),
        ("Never exposed to anti-PD-1 therapy.", "anti_pd1"),
        ("No prior exposure to docetaxel.", "docetaxel"),
        ("Received nivolumab; cetuximab-naive.", "cetuximab"),
    ],
)
def test_assertion_drug_naive_is_negated(text, concept):
    assert builtin(text, concept).negated


def test_assertion_naive_negates_only_the_drug_it_is_attached_to():
    assert not builtin("Received nivolumab in 2024, now cetuximab-naive.", "nivolumab").negated


@pytest.mark.parametrize("text", ["IO access placed in the tibia.", "IO line for fluids."])
def test_assertion_io_outside_an_oncology_context_is_not_immunotherapy(text):
    assert not [f for f in extract_text(text, date=DATE) if f.concept == "immunotherapy"]


@pytest.mark.parametrize(
    "text",
    ["Findings compatible with progressive disease.", "Appearance consistent with progression.",
     "In keeping with disease progression."],
)
def test_assertion_compatible_consistent_in_keeping_with_affirm(text):
    f = builtin(text, "disease_progression")
    assert not f.uncertain and not f.negated


@pytest.mark.parametrize(
    "text",
    ["Cannot exclude progression.", "Possible progression.", "Suspicious for progression.",
     "Equivocal for progression.", "Progression not confirmed.", "Progression is not excluded.",
     "Progression not yet confirmed on imaging."],
)
def test_assertion_hedged_progression_is_uncertain(text):
    assert builtin(text, "disease_progression").uncertain


@pytest.mark.parametrize(
    "text,concept",
    [
        ("70-year-old gentleman accompanied by his wife.", "age"),
        ("70-year-old gentleman accompanied by his wife.", "sex"),
        ("Pt is a 66 yo lady here with her husband for C1.", "sex"),
        ("70 year old man with his son.", "age"),
        ("Intake: 70-year-old man, lives with wife, daughter present.", "sex"),
    ],
)
def test_assertion_patient_age_and_sex_are_not_family_because_a_relative_is_nearby(text, concept):
    assert not builtin(text, concept).family


@pytest.mark.parametrize(
    "text,concept",
    [
        ("His father, a 70-year-old man, had a stroke.", "age"),
        ("His father, a 70-year-old man, had a stroke.", "sex"),
        ("Mother (72-year-old female) with diabetes.", "sex"),
    ],
)
def test_assertion_relatives_age_and_sex_are_family(text, concept):
    assert builtin(text, concept).family


@pytest.mark.parametrize("text", ["Her 45-year-old sister has breast cancer.", "His father, a 70-year-old man, had a stroke.",
                                  "Lives with her son (14 yo)."])
def test_assertion_a_relatives_age_is_never_the_patients(text):
    assert all(f.family for f in extract_text(text, date=DATE) if f.concept == "age")


@pytest.mark.parametrize("text", ["Nursing intake: no complaints.", "nursing note reviewed.", "NURSING ASSESSMENT: stable.",
                                  "TB CLINIC - NURSING\nReason: referred.", "24F nursing student, placement screening."])
def test_assertion_nursing_as_a_note_type_is_not_lactation(text):
    assert not [f for f in extract_text(text, date=DATE) if f.concept == "pregnancy"]


def test_assertion_not_nursing_is_negated_lactation():
    assert builtin("Not pregnant or nursing.", "pregnancy").negated


@pytest.mark.parametrize(
    "text,concept",
    [("New lung nodule, ?metastasis.", "metastatic_disease"), ("Lung nodule ? recurrence.", "recurrent_disease"),
     ("Metastasis?", "metastatic_disease"), ("We have not confirmed progression.", "disease_progression")],
)
def test_assertion_queried_or_unconfirmed_finding_is_uncertain(text, concept):
    assert builtin(text, concept).uncertain


def test_assertion_question_in_a_previous_sentence_does_not_query():
    assert not builtin("Any pain? Metastasis in the liver.", "metastatic_disease").uncertain


def test_assertion_condition_as_a_child_is_historical():
    assert builtin("PMH: asthma as a child, no inhaler since school.", "asthma").historical


@pytest.mark.parametrize(
    "text", ["Referred for the dalpiciclib/cetuximab trial.", "Eligibility review, dalpiciclib + cetuximab study."]
)
def test_assertion_drug_named_in_a_trial_name_is_hypothetical(text):
    assert builtin(text, "cetuximab").hypothetical


def test_assertion_drug_received_in_a_trial_is_not_hypothetical():
    f = builtin("Received cetuximab in a trial in 2022.", "cetuximab")
    assert f.historical and not f.hypothetical


@pytest.mark.parametrize(
    "text,concept",
    [("Got nivolumab q4w.", "nivolumab"), ("Had penpulimab 6 cycles.", "penpulimab"),
     ("The last anti-PD-1 dose is within 4 weeks of the planned start.", "anti_pd1")],
)
def test_assertion_had_got_or_last_dose_make_a_therapy_past(text, concept):
    assert builtin(text, concept).historical


def test_assertion_nearest_tense_cue_wins_on_either_side():
    assert not builtin("Has had 2 cycles of pembrolizumab, C3D1 today.", "pembrolizumab").historical


def test_assertion_condition_dated_by_since_is_ongoing_not_historical():
    assert not builtin("Chronic hepatitis B on entecavir since 2023; viral load detectable.", "hepatitis_b").historical


@pytest.mark.parametrize(
    "text,historical",
    [("Started nivolumab 6/2024 for relapse; last dose 4/18/2025.", True),
     ("Started nivolumab 6/2024, currently on C10.", False)],
)
def test_assertion_stop_cue_outweighs_started(text, historical):
    assert builtin(text, "nivolumab").historical is historical


def test_assertion_progressing_after_a_therapy_makes_it_past():
    assert builtin("Recurrent SCC progressing after anti-PD-1.", "anti_pd1").historical


@pytest.mark.parametrize("text", ["Will offer cetuximab + docetaxel.", "We would offer cetuximab."])
def test_assertion_offer_is_hypothetical(text):
    assert builtin(text, "cetuximab").hypothetical


def test_assertion_negated_statement_in_a_plan_section_is_not_hypothetical():
    f = builtin("Plan: screening for the study; he has never had cetuximab.", "cetuximab")
    assert f.negated and not f.hypothetical


def test_assertion_plan_section_still_makes_a_planned_drug_hypothetical():
    assert builtin("Plan: start cetuximab next week.", "cetuximab").hypothetical


@pytest.mark.parametrize("text,concept", [("No prior malignancy.", "other_malignancy"),
                                          ("No history of cancer.", "other_malignancy")])
def test_a_cue_whose_last_words_begin_the_concepts_phrase_still_negates_it(text, concept):
    facts = [f for f in extract_text(text, date=DATE) if f.concept == concept]
    assert facts and all(f.negated for f in facts)


def test_sentence_scope_is_medspacys_scope_for_every_rule():
    """A cue's scope from its sentence (``sentence_scope``) is the one medspaCy's ConTextModifier finds."""
    from medspacy.context import ConTextModifier

    from pipeline.extract.assertion import sentence_scope
    from pipeline.extract.components import component
    from pipeline.nlp import get_nlp

    nlp = get_nlp()
    ctx = component(nlp, "ts_context")
    doc = nlp.make_doc("Seen today. No history of HIV and denies fever or cough today. Plan: recheck.")
    doc.user_data["ts_text"] = doc.text
    for name, proc in nlp.pipeline:
        if name in ("ts_sections", "ts_sentences"):
            doc = proc(doc)
    sent = list(doc.sents)[1]
    for rule in ctx.rules:
        for start, end in ((sent.start, sent.start + 1), (sent.start + 3, sent.start + 5), (sent.end - 1, sent.end)):
            mod = ConTextModifier(rule, start, end, doc)
            assert sentence_scope(rule, start, end, sent.start, sent.end) == mod.scope_span, rule.literal


@pytest.mark.parametrize("patterns,words", [
    ([[{"LOWER": "born"}, {"LOWER": "to"}]], frozenset({"born"})),
    ([[{"LOWER": "born"}], [{"LOWER": "née"}, {"OP": "?"}]], frozenset({"born", "née"})),
    ([[{"LOWER": "born", "OP": "?"}, {"LOWER": "to"}]], None),  # may start at its second token
    ([[{"LOWER": {"IN": ["a", "b"]}}]], None),
    ([[]], None),
])
def test_first_token_lowers_only_when_every_pattern_starts_with_one_word(patterns, words):
    from pipeline.extract.assertion import first_token_lowers

    assert first_token_lowers(patterns) == words


def test_a_terminating_word_after_a_clause_still_ends_a_negation():
    assert not fact("No history of MI; recent stroke.", "stroke").negated


@pytest.mark.parametrize("text,state", [
    ("Refer to trial team for screening; if not enrolled, proceed with cCRT then osimertinib.", "planned"),
    ("Medical oncology raised the osimertinib study as an option; patient had expressed interest.", "planned"),
    ("Cisplatin then cetuximab in 2019.", "past"),
    ("He had carboplatin in 2020.", "past"),
])
def test_sequence_words_make_a_drug_past_only_in_its_own_clause_and_never_in_a_plan(text, state):
    drug = next(w for w in ("osimertinib", "cetuximab", "carboplatin") if w in text)
    assert builtin(text, drug).therapy.state == state


def test_a_negated_start_gives_the_drug_no_start_date():
    f = builtin("Also mentioned denosumab as an alternative - pt wants to think about it, no tx started today.",
                "denosumab")
    assert (f.therapy.start_date, f.planned) == (None, True)


def test_non_inside_a_concepts_own_name_negates_nothing():
    assert not builtin("Stage IV non-small cell lung cancer.", "nsclc").negated
    assert not builtin("History of non-Hodgkin lymphoma.", "non_hodgkin_lymphoma").negated
