"""What silence means: the absence policy (``models/rules/absence_policy.json``) applied to a patient.

When no note mentions a constraint's concept, the verdict stays unknown unless the policy says the
patient's notes cover that domain (a past medical history section or a clinician note for a
comorbidity, a documented treatment history for a prior therapy) or a result rules it out (HBsAg
negative for hepatitis B); the covering span is then the evidence.
"""
from __future__ import annotations

from dateutil.relativedelta import relativedelta

from ..lexicon import Lexicon
from ..schema import Constraint, Criterion, Evidence, Fact
from .lexmemo import memo
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import PatientProfile, fact_date, trustworthy
from .rules import AbsenceRule, absence_policy


def _kind_category(concept: str, lexicon: Lexicon, criterion: Criterion | None) -> tuple[str | None, str | None]:
    known = memo(lexicon, "kind_category")
    if concept not in known:
        entry = lexicon.get(concept)
        if entry is None:
            members = sorted((e for e in lexicon.by_concept.values() if concept in e.classes), key=lambda e: e.concept)
            entry = members[0] if members else None
        known[concept] = entry
    entry = known[concept]
    if entry is not None:
        return entry.kind, entry.category
    return None, criterion.category if criterion else None


def _ruled_out(rule: AbsenceRule, profile: PatientProfile, lexicon: Lexicon) -> Evidence | None:
    for r in rule.ruled_out_by:
        if r.value == "affirmed":  # a documented state that excludes the item (a stage I-III cancer: not metastatic)
            stated = [f for f in profile.facts_for(r.concept, lexicon) if trustworthy(f) and not f.planned]
            if stated:
                return profile.evidence(stated[-1])
            continue
        facts = [
            f
            for f in profile.facts_for(r.concept, lexicon)
            if trustworthy(f) and str(f.value).lower() in ("positive", "negative")
        ]
        if facts and str(facts[-1].value).lower() == r.value:
            return profile.evidence(facts[-1])
    return None


def _age(f: Fact) -> float | None:
    """A stated age, or the age a date of birth gives on the note's date (no older than the patient is now)."""
    if isinstance(f.value, float):
        return f.value
    when = f.note_date or f.date
    if f.birth_date is not None and when is not None:
        return float(relativedelta(when, f.birth_date).years)
    return None


def _sex_and_age(profile: PatientProfile, lexicon: Lexicon) -> tuple[Fact | None, tuple[Fact, float] | None]:
    """The latest documented sex fact and the latest stated age (with its fact), each None when not documented."""
    sex = [f for f in profile.facts_for("sex", lexicon) if trustworthy(f)]
    ages = [(f, a) for f in profile.facts_for("age", lexicon) if trustworthy(f) and (a := _age(f)) is not None]
    return (sex[-1] if sex else None), (ages[-1] if ages else None)


def _not_applicable(rule: AbsenceRule, profile: PatientProfile, lexicon: Lexicon) -> tuple[Evidence, str] | None:
    """A documented sex or age that rules the item out (``not_for_sex``, ``not_from_age``)."""
    if not rule.not_for_sex and rule.not_from_age is None:
        return None
    sex, age = _sex_and_age(profile, lexicon)
    if rule.not_for_sex and sex is not None and str(sex.value) in rule.not_for_sex:
        return profile.evidence(sex), f"sex {sex.value}"
    if rule.not_from_age is not None and age is not None and age[1] >= rule.not_from_age:
        return profile.evidence(age[0]), f"age {age[1]:g}"
    return None


def _implied(rule: AbsenceRule, profile: PatientProfile, lexicon: Lexicon) -> tuple[Evidence, str] | None:
    """A documented sex and age that put the patient in the state (``present_for_sex``, ``present_from_age``)."""
    if rule.present_from_age is None or not rule.present_for_sex:
        return None
    sex, age = _sex_and_age(profile, lexicon)
    if (sex is not None and str(sex.value) in rule.present_for_sex
            and age is not None and age[1] >= rule.present_from_age):
        return profile.evidence(age[0]), f"sex {sex.value}, age {age[1]:g}"
    return None


def _coverage(rule: AbsenceRule, profile: PatientProfile, lexicon: Lexicon) -> tuple[Evidence, str] | None:
    """The span showing the notes cover the rule's domain, and where it is."""
    for h in reversed(profile.sections):
        if str(h.value) in rule.sections:
            return profile.evidence(h).model_copy(
                update={"section": str(h.value), "assertion": "section"}
            ), f"{h.note_id} {h.note_date}"
    for f in reversed(profile.facts):
        if f.section in rule.sections:
            return profile.evidence(f), f.note_id
    for target in rule.covered_by_concepts:
        facts = [f for f in profile.facts_for(target, lexicon) if trustworthy(f)]
        if facts:
            return profile.evidence(facts[-1]), f"{facts[-1].note_id} {fact_date(facts[-1])}"
    if rule.note_types:
        titles = {t.note_id: t for t in profile.statements_of("note_title")}
        for note in sorted(profile.notes.values(), key=lambda n: (n.date, n.note_id), reverse=True):
            nt = note.note_type.lower()
            if any(t in nt for t in rule.note_types) and note.note_id in titles:
                ev = profile.evidence(titles[note.note_id]).model_copy(update={"assertion": "note", "concept": None})
                return ev, f"{note.note_type} {note.note_id} {note.date}"
    return None


def _rule(c: Constraint, criterion: Criterion | None, kind: str | None, category: str | None) -> AbsenceRule:
    other = (criterion is not None and criterion.kind == "exclusion" and not c.negated and c.comparator != "absent"
             and not (c.context is not None and c.context.target))
    return absence_policy().rule_for(c.concept, kind, category, absence_required=c.negated or c.comparator == "absent",
                                     other_condition_excluded=other)


def _kind_category_rule(c: Constraint, criterion: Criterion | None,
                        lexicon: Lexicon) -> tuple[str | None, str | None, AbsenceRule]:
    """``_kind_category`` and ``_rule`` of a constraint, remembered by everything they read (the same few
    questions for every patient)."""
    policy = absence_policy()
    key = (c.concept, c.negated, c.comparator, c.context is not None and c.context.target,
           criterion.kind if criterion else None, criterion.category if criterion else None)
    known = memo(lexicon, "absence_rule")
    found = known.get(key)
    if found is None or found[0] is not policy:
        kind, category = _kind_category(c.concept, lexicon, criterion)
        found = known[key] = (policy, kind, category, _rule(c, criterion, kind, category))
    return found[1], found[2], found[3]


def operational_outcome(
    c: Constraint, criterion: Criterion | None, profile: PatientProfile, lexicon: Lexicon
) -> Outcome | None:
    """A deferred outcome for an operational item the notes never decide (specimen logistics), or None."""
    kind, category, rule = _kind_category_rule(c, criterion, lexicon)
    if not (rule.even_when_documented and rule.silence == "investigator" and rule.matches(c.concept, kind, category)):
        return None
    mentions = [f for f in profile.facts_for(c.concept, lexicon) if not (f.family or f.hypothetical)]
    name = c.concept.replace("_", " ")
    ev = [profile.evidence(f) for f in mentions[-1:]]
    seen = "mentioned" if mentions else "not documented"
    return Outcome(UNKNOWN, ev, f"{name} {seen}: {rule.why}", [c.concept], deferred=True)


def _rule_answers(rule: AbsenceRule, profile: PatientProfile, lexicon: Lexicon) -> tuple:
    """What the patient's notes say about ``rule`` (ruled out, not applicable, documented instead, covered),
    worked out once per patient and rule: it depends on neither the constraint nor the trial."""
    answers = profile.memo(lexicon)
    key = ("absence", id(rule))
    found = answers.get(key)
    if found is None or found[0] is not rule:
        known = [f for k in rule.unless_documented for f in profile.facts_for(k, lexicon) if trustworthy(f)]
        found = answers[key] = (rule, _ruled_out(rule, profile, lexicon), _not_applicable(rule, profile, lexicon),
                                known[-1] if known else None,
                                _coverage(rule, profile, lexicon) if rule.silence == "absent_if_covered" else None,
                                _implied(rule, profile, lexicon))
    return found[1:]


def silence_outcome(c: Constraint, criterion: Criterion | None, profile: PatientProfile, lexicon: Lexicon) -> Outcome:
    kind, category, rule = _kind_category_rule(c, criterion, lexicon)
    name = c.concept.replace("_", " ")
    ev, demo, known, covered, implied = _rule_answers(rule, profile, lexicon)
    if demo is not None:
        return Outcome(UNKNOWN, [demo[0]], f"{name}: does not apply ({demo[1]})", not_applicable=True)
    if implied is not None:
        return Outcome(MET, [implied[0]], f"{name} not mentioned; implied by {implied[1]} ({rule.why})")
    if ev is not None:
        return Outcome(NOT_MET, [ev], f"{name} not mentioned; ruled out by {ev.concept} {ev.value} ({ev.date})")
    if known is not None:
        return Outcome(UNKNOWN, [profile.evidence(known)],
                       f"{known.concept.replace('_', ' ')} documented; {name} not stated", [c.concept])
    if rule.silence == "absent_if_covered":
        if covered is not None:
            return Outcome(NOT_MET, [covered[0]], f"{name} not mentioned; {rule.why} ({covered[1]})", from_silence=True)
    if rule.silence == "investigator":
        return Outcome(UNKNOWN, [], f"{name} not documented: {rule.why}", [c.concept], deferred=True)
    return Outcome(UNKNOWN, [], f"{name} not mentioned in the notes ({rule.why})", [c.concept])
