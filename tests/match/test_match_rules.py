"""Every rule file the matcher ships loads, and names only concepts the lexicon knows."""
from __future__ import annotations

import pytest

from pipeline.extract.units import canonical_unit_text
from pipeline.lexicon import load_lexicon
from pipeline.match import qualifiers as q
from pipeline.match import rules


def _known(concept: str) -> bool:
    lex = load_lexicon()
    return concept in lex or any(concept in e.classes for e in lex.by_concept.values())


@pytest.mark.parametrize("loader", [rules.absence_policy, rules.uln_defaults, rules.review_cost, rules.surrogates,
                                    rules.settings, rules.ordinal_values, q.qualifiers])
def test_rule_file_loads(loader):
    assert loader() is not None


def test_absence_policy_concepts_are_in_the_lexicon():
    unknown = [c for r in rules.absence_policy().rules for c in r.concepts + tuple(x.concept for x in r.ruled_out_by) if not _known(c)]
    assert unknown == []


def test_absence_policy_ends_with_a_catch_all_rule():
    last = rules.absence_policy().rules[-1]
    assert not (last.concepts or last.kinds or last.categories) and last.silence == "unknown"


def test_uln_defaults_use_the_lexicon_canonical_unit():
    lex = load_lexicon()
    wrong = [c for c, r in rules.uln_defaults().defaults.items()
             if not _known(c) or (lex.get(c).unit or "") and canonical_unit_text(r.unit) != canonical_unit_text(lex.get(c).unit)]
    assert wrong == []


def test_review_cost_levels_are_defined_for_every_entry():
    t = rules.review_cost()
    entries = list(t.by_concept.values()) + list(t.by_kind.values()) + list(t.by_category.values()) + [t.default]
    assert all(e.cost in t.levels for e in entries) and all(_known(c) or c in rules.PSEUDO_CONCEPTS for c in t.by_concept)


def test_surrogates_name_lexicon_concepts():
    assert all(_known(s.target) and _known(s.source) for s in rules.surrogates().surrogates)


def test_qualifier_measures_name_lexicon_concepts():
    assert all(_known(m.condition) and _known(m.concept) for g in q.qualifiers().groups for m in g.measures)
