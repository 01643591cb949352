"""The patient profile: facts over time, copy-forward counted once, latest trustworthy value."""
from __future__ import annotations

import datetime as dt

from match_builders import fact, note, refined

from pipeline.lexicon import load_lexicon
from pipeline.extract.note_text import sentence_bounds
from pipeline.match.profile import build_profile

D = dt.date
LONG = "Hemoglobin 128 g/L and platelets 231 x10^9/L on the screening panel."


def test_profile_copy_forward_sentence_counts_once_at_first_date():
    a = note(LONG, nid="n1", date=D(2025, 6, 1))
    b = note("Interval note. " + LONG, nid="n2", date=D(2025, 8, 28))
    facts = [fact(a, "platelets 231", "platelets", value=231.0), fact(b, "platelets 231", "platelets", value=231.0)]
    p = build_profile("p1", [a, b], refined([a, b], facts))
    assert [f.note_id for f in p.facts] == ["n1"] and [f.note_id for f in p.copies] == ["n2"]


def test_profile_short_repeated_sentence_is_a_new_assessment():
    a, b = note("ECOG 1.", nid="n1", date=D(2025, 6, 1)), note("ECOG 1.", nid="n2", date=D(2025, 8, 1))
    p = build_profile("p1", [a, b], refined([a, b], [fact(a, "ECOG 1", "ecog", value=1.0), fact(b, "ECOG 1", "ecog", value=1.0)]))
    assert len(p.facts) == 2


def test_profile_changed_value_in_same_template_is_not_a_copy():
    a = note(LONG, nid="n1", date=D(2025, 6, 1))
    b = note(LONG.replace("231", "90"), nid="n2", date=D(2025, 8, 1))
    p = build_profile("p1", [a, b], refined([a, b], [fact(a, "platelets 231", "platelets", value=231.0), fact(b, "platelets 90", "platelets", value=90.0)]))
    assert len(p.facts) == 2 and not p.copies


def test_profile_orders_facts_by_the_date_they_apply_to():
    n = note("CT 2025-06-16 showed progression; today stable.", date=D(2025, 8, 1))
    late = fact(n, "stable", "disease_progression", negated=True)
    early = fact(n, "progression", "disease_progression", date=D(2025, 6, 16))
    p = build_profile("p1", [n], refined([n], [late, early]))
    assert [f.text for f in p.facts] == ["progression", "stable"]


def test_profile_latest_skips_untrustworthy_facts():
    a, b = note("ECOG 1.", nid="n1", date=D(2025, 6, 1)), note("Possibly ECOG 2.", nid="n2", date=D(2025, 8, 1))
    p = build_profile("p1", [a, b], refined([a, b], [fact(a, "ECOG 1", "ecog", value=1.0), fact(b, "ECOG 2", "ecog", value=2.0, uncertain=True)]))
    assert p.latest("ecog", load_lexicon()).value == 1.0


def test_profile_facts_for_a_class_include_member_drugs():
    n = note("Received nimotuzumab.")
    p = build_profile("p1", [n], refined([n], [fact(n, "nimotuzumab", "nimotuzumab")]))
    assert [f.concept for f in p.facts_for("anti_egfr_mab", load_lexicon())] == ["nimotuzumab"]


def test_profile_finds_section_headings_by_category():
    n = note("HPI: seen today.\nPast Medical History: hypertension.\nSocial history: never smoker.")
    assert build_profile("p1", [n], refined([n], [])).section_categories() >= {"past_medical_history", "social_history"}


def test_sentence_bounds_stop_at_sentence_end():
    text = "First one. Second sentence here. Third."
    s, e = sentence_bounds(text, text.index("sentence"), text.index("sentence") + 8)
    assert text[s:e] == "Second sentence here."


def test_profile_family_flag_kept_only_when_the_line_names_a_relative():
    n = note("Family history: mother with breast cancer.\nLabs: Hb 128 g/L.")
    facts = [fact(n, "breast cancer", "other_malignancy", family=True), fact(n, "Hb 128 g/L", "hemoglobin", value=128.0, family=True)]
    p = build_profile("p1", [n], refined([n], facts))
    assert {f.concept: f.family for f in p.facts} == {"other_malignancy": True, "hemoglobin": False}


def test_profile_negation_borrowed_from_a_result_word_is_dropped():
    from pipeline.schema import Cue

    n = note("Recurrent tongue SCC (p16 negative).")
    cs = n.text.index("negative")
    cue = Cue(category="NEGATED_EXISTENCE", text="negative", start=cs, end=cs + 8)
    result_cue = Cue(category="RESULT", text="negative", start=cs, end=cs + 8)
    hn = fact(n, "tongue SCC", "hnscc", negated=True).model_copy(update={"cues": [cue]})
    p16 = fact(n, "p16", "p16_status", value="negative").model_copy(update={"cues": [result_cue]})
    p = build_profile("p1", [n], refined([n], [hn, p16]))
    assert [f.negated for f in p.facts if f.concept == "hnscc"] == [False]
