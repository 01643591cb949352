"""Qualifiers the criterion puts on a condition must be supported by the note's wording."""
from __future__ import annotations

import pytest

from pipeline.match.matcher import match_trial

from match_builders import AS_OF, constraint, criterion, fact, note, trial

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
]


@pytest.mark.parametrize("crit_text,phrase,concept,note_text,quote,flags,expected", CASES)
def test_qualifier_decides_documented_condition(crit_text, phrase, concept, note_text, quote, flags, expected):
    s = crit_text.index(phrase)
    c = constraint("E1.c1", concept, text=phrase).model_copy(update={"start": s, "end": s + len(phrase)})
    t = trial(criterion("E1", "exclusion", [c], text=crit_text, category="comorbidity"))
    n = note(note_text)
    (r,) = match_trial(t, [n], [fact(n, quote, concept, **flags)], as_of=AS_OF)
    assert r.criteria[0].verdict == expected
