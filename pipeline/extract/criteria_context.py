"""What a criterion's words around each constraint ask: current vs any past episode, a qualifier
('uncontrolled', 'active', 'symptomatic'), a sample's purpose, a predicted value, the trial's target.

Decided once, when the listing is parsed, and recorded on each constraint (``Constraint.context``);
the matcher reads the record, never the listing text. Words are data: ``models/rules/qualifiers.json``
(criterion words of each group, history and purpose words) and ``match_settings.json``
(``current_pattern``), ``note_context.json`` (``prediction_pattern``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ..lexicon import load_lexicon
from ..resources import models_path
from ..rulefile import read_json, words_pattern
from ..schema import Constraint, ConstraintContext, Criterion
from .constraints.context import clause_patterns, compiled_rules
from .listing import rules as listing_rules
from .note_rules import qualifier_words, rules

_SUFFIX_END = re.compile(r"[;.,()]|\s(?:or|and)\s")
_CLAUSE_CUT = re.compile(r"[;:\n]|\.\s")
"""Where the words before a constraint stop belonging to its clause."""
_GLOSS = re.compile(r"\s*\([^()]{1,40}\)(?=\s+(?:that|which)\b)")


class _CurrentWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    current_pattern: str
    exclusion_current_pattern: str = r"(?!x)x"


@lru_cache(maxsize=1)
def _patterns() -> dict:
    q = qualifier_words()
    words = read_json(models_path("rules", "match_settings.json"), _CurrentWords)
    current = words.current_pattern
    return {
        "history": words_pattern(q.history_words),
        "exposure": words_pattern(q.history_words + q.exposure_words),
        "purpose": words_pattern(q.purpose_words) if q.purpose_words else None,
        "treated_for": words_pattern(q.therapy_purpose_words) if q.therapy_purpose_words else None,
        "purpose_after": (re.compile(r"[\s-]*(?:" + "|".join(q.purpose_after_words) + r")\b", re.IGNORECASE)
                          if q.purpose_after_words else None),
        "condition_purpose_after": (re.compile(r"[\s-]*(?:" + "|".join(q.condition_purpose_after_words) + r")\b",
                                               re.IGNORECASE) if q.condition_purpose_after_words else None),
        "plan": words_pattern(q.plan_words) if q.plan_words else None,
        "groups": [(g.id, words_pattern(g.criterion)) for g in q.groups],
        "history_groups": frozenset(g.id for g in q.groups if g.applies_with_history),
        "current": re.compile(current, re.IGNORECASE),
        "exclusion_current": re.compile(words.exclusion_current_pattern, re.IGNORECASE),
        "prediction": re.compile(rules().prediction_pattern, re.IGNORECASE),
    }


def _local_span(c: Constraint, criterion: Criterion, text: str) -> tuple[str, int, int] | None:
    """The criterion's text and the constraint's offsets in it."""
    if text[c.start:c.end] == c.text and criterion.start <= c.start <= criterion.end:
        return text[criterion.start:criterion.end], c.start - criterion.start, c.end - criterion.start
    i = criterion.text.find(c.text) if c.text else -1
    return (criterion.text, i, i + len(c.text)) if i >= 0 else None


def _neighbours(c: Constraint, criterion: Criterion, text: str) -> tuple[int, int]:
    """Where the nearest other constraint before ``c`` ends and the nearest one after it starts (local offsets)."""
    own = _local_span(c, criterion, text)
    if own is None:
        return -1, -1
    prev_end, next_start = -1, -1
    for o in criterion.constraints:
        if o.id == c.id:
            continue
        span = _local_span(o, criterion, text)
        if span is None:
            continue
        _, s, e = span
        if e <= own[1] and e > prev_end:
            prev_end = e
        elif s >= own[2] and (next_start == -1 or s < next_start):
            next_start = s
    return prev_end, next_start


def clause_context(c: Constraint, criterion: Criterion, text: str) -> tuple[str, str]:
    """Criterion text of the constraint's clause before it (from the previous ';' ':' '. ') and the
    short phrase right after it (up to the next punctuation, 'or', 'and', or the next constraint).

    Words before a neighbouring constraint reach this one only through a plain coordination
    ('active hepatitis B or C'); otherwise the prefix starts after the last 'and'/'or'/',' that
    follows the neighbour ('no deterioration over the previous 2 weeks and a life expectancy')."""
    local = _local_span(c, criterion, text)
    if local is None:
        return "", ""
    crit_text, start, end = local
    before, after = crit_text[:start], crit_text[end:]
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind(". "))
    prev_end, next_start = _neighbours(c, criterion, text)
    clause = clause_patterns()
    if prev_end > cut and not clause["coordination_only"].fullmatch(crit_text[prev_end:start]):
        joins = list(clause["join"].finditer(crit_text, prev_end, start))
        cut = max(cut, (joins[-1].end() - 1) if joins else prev_end - 1)
    if next_start != -1:
        after = crit_text[end:next_start]
    gloss = _GLOSS.match(after)  # "Hypertension (high blood pressure) that can not be controlled": past the gloss
    if gloss:
        after = after[gloss.end():]
    m = _SUFFIX_END.search(after)
    return (before[cut + 1:] if cut >= 0 else before), (after[: m.start()] if m else after)


def _open_bracket(c: Constraint, criterion: Criterion, text: str) -> str:
    """The text from the outermost still-open bracket the constraint sits in up to it ('(based on tumor
    tissue or plasma [ctDNA]': the whole bracket says what the samples are for), or ''."""
    local = _local_span(c, criterion, text)
    if local is None:
        return ""
    before = local[0][: local[1]]
    depth, outer = 0, -1
    for i in range(len(before) - 1, -1, -1):
        if before[i] in ")]":
            depth += 1
        elif before[i] in "([":
            if depth == 0:
                outer = i  # enclosing; keep looking for one that encloses it
            else:
                depth -= 1
    return before[outer + 1:] if outer >= 0 else ""


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@lru_cache(maxsize=1)
def _not_narrowing() -> frozenset[str]:
    r = listing_rules()
    words = [*r["lead_ins"], *r["modifiers"], *r["non_nouns"], *r["non_narrowing"]]
    return frozenset(w.lower().rstrip("?").rstrip("s") for w in words)


def narrowing_words(c: Constraint, criterion: Criterion, text: str, prefix: str) -> str | None:
    """Content words right before a presence constraint's concept that the concept does not cover
    ('bowel' in 'previous significant bowel resection' read as surgery)."""
    if c.comparator not in ("present", "absent") or c.open_vocabulary or not prefix.strip():
        return None
    stretch = clause_patterns()["modifier_break"].split(" " + prefix)[-1]
    covered = _concept_words(c.concept)
    routes = compiled_rules()["drug_routes"]
    words = [w for w in _WORD.findall(stretch)
             if len(w) >= 3 and not {w.lower(), w.lower().rstrip("s")} & (_not_narrowing() | covered)
             and not any(rx.fullmatch(w) for _, rx in routes)]  # "topical steroids": the route, kept apart
    return " ".join(words) or None


def level_after(c: Constraint, suffix: str) -> str | None:
    """A stage, grade or class range right after a presence constraint's concept that no value took
    ('renal insufficiency III-V', 'cirrhosis (Child B or higher)'): it narrows the concept."""
    return None if c.open_vocabulary else _words_after(c, suffix, "level_after_pattern", 0)


def judgement_after(c: Constraint, suffix: str) -> str | None:
    """A judgement right after a presence constraint's concept ('psychiatric disorders that would interfere with
    consent'): a documented condition meets it only as far as a person judges the effect, so it narrows it."""
    return _words_after(c, suffix, "judgement_after_pattern", re.IGNORECASE)


def symptoms_of(c: Constraint, criterion: Criterion, text: str) -> str | None:
    """'clinical symptoms of gastritis e.g. nausea, vomiting': the examples count as symptoms of that cause only, so
    a nausea of pregnancy is no firm evidence (``criteria_patterns.json`` ``symptom_of_pattern``, group 'cause')."""
    pattern = listing_rules().get("symptom_of_pattern")
    if not pattern or c.comparator not in ("present", "absent"):
        return None
    found = [m for m in re.finditer(pattern, text[criterion.start:c.start], re.IGNORECASE)
             if not re.search(r"[;\n]", text[criterion.start + m.end():c.start])]
    return f"symptoms of {' '.join(found[-1].group('cause').split())}" if found else None


def _words_after(c: Constraint, suffix: str, key: str, flags: int) -> str | None:
    """The words of ``criteria_patterns.json`` ``key`` right after a presence constraint's concept, tidied."""
    pattern = listing_rules().get(key)
    if c.comparator not in ("present", "absent") or not pattern:
        return None
    m = re.match(pattern, suffix, flags)
    return " ".join(m.group(0).strip(" ,;.(").split()) or None if m else None


@lru_cache(maxsize=4096)
def _concept_words(concept: str) -> frozenset[str]:
    """Words the concept's own phrases and classes already say ('cardiac' for an arrhythmia in the
    cardiac-disease class)."""
    entry = load_lexicon().get(concept)
    if entry is None:
        return frozenset()
    names = [*entry.phrases, *entry.classes, concept]
    return frozenset(w.lower() for n in names for w in re.split(r"[\s_/-]+", n) if w)


def _groups_in(text: str) -> list[str]:
    return [gid for gid, rx in _patterns()["groups"] if rx.search(text)]


def _without_name(c: Constraint) -> str:
    """The constraint's words without the concept's own name: 'acute' names acute coronary syndrome and
    qualifies nothing; in 'active hepatitis B' it qualifies hepatitis B."""
    entry = load_lexicon().get(c.concept)
    if entry is None:
        return c.text
    name = entry.phrases[0].lower()
    at = c.text.lower().find(name)
    return c.text if at < 0 else c.text[:at] + " " * len(name) + c.text[at + len(name):]


def _is_condition(concept: str) -> bool:
    entry = load_lexicon().get(concept)
    return entry is not None and entry.kind == "condition"


def _present_use(c: Constraint, criterion: Criterion) -> bool:
    """A drug in an exclusion with no history or exposure word and no time window ('Anticoagulant use
    (warfarin or heparin)', 'Intake of nifedipine') asks present use, not any use ever."""
    entry = load_lexicon().get(c.concept)
    return (criterion.kind == "exclusion" and entry is not None and entry.kind in ("drug", "drug_class")
            and all(k.window is None for k in criterion.constraints)
            and _patterns()["exposure"].search(criterion.text) is None)


def _treated_for(c: Constraint, text: str) -> bool:
    """The condition is what a therapy is for ("no previous therapy for varices or ascites"): the words right
    before its name (a negation the constraint's span starts with included) say so."""
    rx = _patterns()["treated_for"]
    if rx is None or not _is_condition(c.concept):
        return False
    at = (c.spans or {}).get("concept", (c.start, c.end))[0]
    lead = text[max(0, at - 60) : at]
    return rx.search(_CLAUSE_CUT.split(lead)[-1]) is not None


def constraint_context(c: Constraint, criterion: Criterion, text: str, target_concepts: set[str]) -> ConstraintContext:
    p = _patterns()
    prefix, suffix = clause_context(c, criterion, text)
    history = p["history"].search(prefix) is not None
    purpose = (p["purpose"] is not None and p["purpose"].search(_open_bracket(c, criterion, text) or prefix) is not None
               or p["purpose_after"] is not None and text[c.start:c.end] == c.text
               and p["purpose_after"].match(text, c.end, min(len(text), c.end + 40)) is not None
               or p["condition_purpose_after"] is not None and text[c.start:c.end] == c.text
               and _is_condition(c.concept)
               and p["condition_purpose_after"].match(text, c.end, min(len(text), c.end + 40)) is not None)
    groups: list[str] = []
    if history:  # 'a history of active TB': any episode counts, unless the qualifier holds in a history too
        groups = [g for g in _groups_in(prefix + " " + _without_name(c) + " " + suffix) if g in p["history_groups"]]
    else:
        groups = _groups_in(prefix + " " + _without_name(c) + " " + suffix)
        if not groups and ":" in criterion.text:
            lead = criterion.text.split(":", 1)[0]
            if c.text not in lead:
                groups = _groups_in(lead)
    if "qualifier.uncontrolled" in groups:  # "cannot be adequately controlled" names no controlled form
        groups = [g for g in groups if g != "qualifier.controlled"]
    return ConstraintContext(
        current=p["current"].search(criterion.text) is not None or _present_use(c, criterion)
        or criterion.kind == "exclusion" and p["exclusion_current"].search(criterion.text) is not None,
        history=history,
        purpose=purpose,
        treated_for=_treated_for(c, text),
        prediction=p["prediction"].search(prefix[-40:] + " " + suffix) is not None, qualifier_groups=groups,
        target=c.concept in target_concepts,
        narrowed_by=narrowing_words(c, criterion, text, prefix) or level_after(c, suffix) or judgement_after(c, suffix)
        or symptoms_of(c, criterion, text),
        planned=p["plan"] is not None and p["plan"].search(prefix) is not None,
    )


def with_context(criterion: Criterion, text: str, target_concepts: set[str]) -> Criterion:
    """The criterion with every constraint's context decided."""
    cs = [
        c.model_copy(update={"context": constraint_context(c, criterion, text, target_concepts)})
        for c in criterion.constraints
    ]
    return criterion.model_copy(update={"constraints": cs})
