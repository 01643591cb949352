"""A criterion made only of phrases outside the lexicon cannot be decided, but the notes are still searched:
a mention sends the patient to review with the evidence, never a silent pass."""
from __future__ import annotations

import pytest
from match_builders import AS_OF, constraint, criterion, note, trial

from match_builders import match_extracted as match_trial

SHELLFISH = constraint("E1.c1", "shellfish allergy", open_vocabulary=True, text="shellfish allergy")


def _only(result_list):
    (result,) = result_list
    return result


@pytest.mark.parametrize(
    "text,verdict,status",
    [
        ("Allergies: shellfish allergy (hives). ECOG 1.", "unknown", "needs_review"),
        ("Allergies: NKDA. ECOG 1.", "not_computable", "eligible"),
        ("Denies shellfish allergy. ECOG 1.", "not_computable", "eligible"),
        ("Family history: mother has a shellfish allergy. ECOG 1.", "not_computable", "eligible"),
        ("No shellfish allergy then; now new shellfish allergy (hives). ECOG 1.", "unknown", "needs_review"),
    ],
)
def test_not_computable_open_vocabulary_exclusion_is_searched_in_notes(text, verdict, status):
    n = note(text)
    crit = criterion("E1", "exclusion", [SHELLFISH], category="comorbidity", computable=False)
    result = _only(match_trial(trial(crit), [n], [], as_of=AS_OF))
    (v,) = result.criteria
    assert (v.verdict, result.status) == (verdict, status)
    for ev in v.evidence:
        assert n.text[ev.start:ev.end] == ev.text


def test_not_computable_investigator_judgement_is_never_searched():
    n = note("Poor compliance with appointments noted.")
    crit = criterion("E1", "exclusion", [constraint("E1.c1", "poor compliance", open_vocabulary=True, text="poor compliance")],
                     category="investigator_judgement", computable=False)
    (v,) = _only(match_trial(trial(crit), [n], [], as_of=AS_OF)).criteria
    assert v.verdict == "not_computable"


def test_a_phrase_too_short_to_search_does_not_hold_up_an_exclusion_the_notes_clear():
    n = note("Clinic note. PMH: hypertension. ECOG 1.")
    crit = criterion("E1", "exclusion", [constraint("E1.c1", "stroke", text="stroke"),
                                         constraint("E1.c2", "UDP", open_vocabulary=True, text="UDP")],
                     category="comorbidity")
    (v,) = _only(match_trial(trial(crit), [n], [], as_of=AS_OF)).criteria
    assert v.verdict == "not_met"


FITZPATRICK = constraint("I1.c1", "fitzpatrick skin phototype iv-vi", open_vocabulary=True,
                         text="Fitzpatrick skin phototype IV-VI")


@pytest.mark.parametrize("text,verdict", [
    ("Derm exam: Fitzpatrick skin phototype IV-VI range (type V).", "met"),
    ("Derm exam: Fitzpatrick skin phototype II.", "unknown"),           # the words asked are not all there
    ("Fitzpatrick skin phototype IV-VI not assessed; no photo-typing done.", "unknown"),
])
def test_an_inclusion_phrase_outside_the_lexicon_is_met_only_when_written_as_asked(text, verdict):
    crit = criterion("I1", "inclusion", [FITZPATRICK], category="demographic", computable=False)
    (v,) = _only(match_trial(trial(crit), [note(text)], [], as_of=AS_OF)).criteria
    assert v.verdict == verdict
