"""Mentions: the ambiguous-abbreviation rule file."""
from __future__ import annotations

import pytest

from pipeline.extract.mentions import _abbreviation_rules, find_mentions
from pipeline.extract.targets import plural_variant


def test_abbreviation_rules_file_is_valid():
    rules = _abbreviation_rules()
    assert ("PD", "disease_progression") in rules
    # every rule constrains its word: a word required nearby, a drug nearby, or words that may not follow it
    assert all(r["require"] is not None or r["drug_nearby"] or r["reject_after"] is not None for r in rules.values())


@pytest.mark.parametrize("text,concept", [
    ("No known malignancies.", "malignancy"),
    ("Two prior strokes, last in 2019.", "stroke"),
])
def test_a_regular_plural_in_a_note_finds_its_concept(text, concept):
    assert concept in {m.concept for m in find_mentions(text)}


@pytest.mark.parametrize("phrase,plural", [
    ("malignancy", "malignancies"), ("metastasis", "metastases"), ("stroke", "strokes"),
    ("lymph node", "lymph nodes"), ("positive", None), ("diabetes", None), ("HIV", None),
])
def test_plural_variants_only_of_regular_nouns(phrase, plural):
    assert plural_variant(phrase) == plural


@pytest.mark.parametrize("text,concept", [("Left breast invasive carcinoma NST, grade 2.", "breast_cancer"),
                                          ("Bladder tumor resected 2019.", "bladder_cancer"),
                                          ("History of kidney cancer.", "kidney_cancer")])
def test_an_organ_before_a_cancer_word_names_that_organs_cancer(text, concept):
    from pipeline.extract.facts import extract_text

    assert concept in [f.concept for f in extract_text(text)]



@pytest.mark.parametrize("text,found", [("S: 54 y/o M with seropositive RA (RF 86 IU/mL), on MTX weekly.", True),
                                        ("PMH: RA, HBV carrier, hyperlipidemia.", True),
                                        ("Vitals: BP 128/76, HR 72, SpO2 96% RA.", False),
                                        ("Echo: RA and RV normal size.", False)])
def test_ra_is_rheumatoid_arthritis_only_where_the_line_speaks_of_it(text, found):
    from pipeline.extract.facts import extract_text

    assert ("rheumatoid_arthritis" in [f.concept for f in extract_text(text)]) == found


@pytest.mark.parametrize("text,concept", [("Mild NPDR both eyes.", "nonproliferative_diabetic_retinopathy"),
                                          ("Proliferative diabetic retinopathy OD, s/p PRP.", "proliferative_diabetic_retinopathy"),
                                          ("Claustrophobic in the MRI scanner.", "claustrophobia"),
                                          ("Primary hypogonadism on testosterone.", "hypogonadism")])
def test_common_conditions_of_criteria_are_concepts(text, concept):
    from pipeline.extract.facts import extract_text

    assert concept in [f.concept for f in extract_text(text)]


def test_a_non_proliferative_retinopathy_is_no_proliferative_one():
    from pipeline.lexicon import load_lexicon

    assert not load_lexicon().is_a("diabetic_retinopathy", "proliferative_diabetic_retinopathy")
