"""What silence means: the absence policy (``models/rules/absence_policy.json``) applied to a patient.

When no note mentions a constraint's concept, the verdict stays unknown unless the policy says the
patient's notes cover that domain (e.g. a past medical history section for a comorbidity, a treatment
history section for a prior therapy); the covering section heading is then the evidence.
"""
from __future__ import annotations

from typing import Optional

from ..lexicon import Lexicon
from ..schema import Constraint, Criterion
from .logic import NOT_MET, UNKNOWN, Outcome
from .profile import PatientProfile, evidence_from_fact, evidence_from_span
from .rules import absence_policy


def silence_outcome(c: Constraint, criterion: Optional[Criterion], profile: PatientProfile, lexicon: Lexicon) -> Outcome:
    entry = lexicon.get(c.concept)
    kind = entry.kind if entry else None
    category = entry.category if entry else (criterion.category if criterion else None)
    rule = absence_policy().rule_for(c.concept, kind, category)
    name = c.concept.replace("_", " ")
    if rule.silence == "absent_if_covered":
        for h in reversed(profile.sections):
            if h.category in rule.sections:
                ev = evidence_from_span(h.note, h.start, h.end, section=h.category, assertion="section")
                return Outcome(NOT_MET, [ev], f"{name} not mentioned; {rule.why} ({h.note.note_id} {h.note.date})")
        for f in reversed(profile.facts):
            if f.section in rule.sections:
                return Outcome(NOT_MET, [evidence_from_fact(f, profile.notes)],
                               f"{name} not mentioned; {rule.why} ({f.note_id})")
    if rule.silence == "investigator":
        return Outcome(UNKNOWN, [], f"{name} not documented: {rule.why}", [c.concept], deferred=True)
    return Outcome(UNKNOWN, [], f"{name} not mentioned in the notes ({rule.why})", [c.concept])
