"""Operational items (specimen logistics) are confirmed by the site: the notes never decide them,
whether silent or not, so a criterion made only of them is not computable for the patient."""
from __future__ import annotations

import pytest
from match_builders import constraint, fact, note, verdict_of

from pipeline.match.absence import operational_outcome
from pipeline.match.profile import build_profile
from pipeline.lexicon import load_lexicon


@pytest.mark.parametrize("text,quote,flags", [
    ("Tissue block from the 2024 biopsy is available at pathology.", "Tissue block", {}),
    ("No archival tissue left after the biopsy.", "archival tissue", {"negated": True}),
    ("Seen in clinic today.", None, {}),
])
def test_absence_specimen_logistics_is_not_computable_even_when_documented(text, quote, flags):
    n = note(text)
    facts = [fact(n, quote, "tumor_tissue_available", **flags)] if quote else []
    assert verdict_of(constraint("I1.c1", "tumor_tissue_available"), [n], facts).verdict == "not_computable"


@pytest.mark.parametrize("concept,operational", [("tumor_tissue_available", True), ("life_expectancy", False), ("platelets", False)])
def test_absence_only_rules_marked_even_when_documented_are_operational(concept, operational):
    n = note("Seen today.")
    out = operational_outcome(constraint("I1.c1", concept), None, build_profile("p1", [n], []), load_lexicon())
    assert (out is not None) == operational
