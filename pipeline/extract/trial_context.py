"""The trial's own context, decided when its listing is parsed: its index condition (never "another
malignancy" of the patient, and the pre-screening target), the organ sites it is about, and its own drugs
(named in a screening or consent note, they are not prior exposure).

Sources, in order: the record's conditions and title (ClinicalTrials.gov and TREC records), then the
first inclusion criterion that names a condition (plain criteria text has neither).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_lexicon
from ..resources import models_path
from ..rule_schemas import OtherMalignancy
from ..rulefile import read_json_data
from ..schema import Constraint, ConstraintContext, Criterion, LogicNode
from .criteria_concepts import default_matcher
from .listing import ListingSource, rules

CONDITION_KINDS = ("condition",)
NOT_TARGET_CATEGORIES = ("demographic", "consent_administrative", "reproductive", "laboratory", "performance_status",
                         "prior_therapy", "disease_status", "other")
"""A trial's index condition is a disease: not a treatment history (a transplant), a disease status (metastatic)..."""


def _concepts_in(text: str, kinds: tuple[str, ...]) -> list[str]:
    lex = load_lexicon()
    out = []
    for m in default_matcher().find(text, 0, len(text)):
        e = lex.get(m.concept)
        if e is not None and e.kind in kinds and e.category not in NOT_TARGET_CATEGORIES and m.concept not in out:
            out.append(m.concept)
    return out


def target_concepts(src: ListingSource, criteria: list[Criterion]) -> list[str]:
    """Lexicon concepts of the trial's index condition."""
    found: list[str] = []
    for text in list(src.conditions) + ([src.title] if src.title else []):
        for c in _concepts_in(text, CONDITION_KINDS):
            if c not in found:
                found.append(c)
    if found:
        return found
    lex = load_lexicon()
    for crit in criteria:
        if crit.kind != "inclusion":
            continue
        named = [
            c.concept
            for c in crit.constraints
            if not c.negated
            and c.comparator != "absent"
            and not c.open_vocabulary
            and (e := lex.get(c.concept)) is not None
            and e.kind in CONDITION_KINDS
            and e.category not in NOT_TARGET_CATEGORIES
        ]
        if named:
            return list(dict.fromkeys(named))
    return []


@lru_cache(maxsize=1)
def _organs() -> re.Pattern[str]:
    data = read_json_data(models_path("rules", "other_malignancy.json"), OtherMalignancy)
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(data["organs"], key=len, reverse=True))
    return re.compile(r"\b(?:" + alt + r")\b", re.IGNORECASE)


def organ_sites(text: str) -> list[str]:
    """Organ words of ``models/rules/other_malignancy.json`` named in ``text`` (lower case, single spaces)."""
    return list(dict.fromkeys(" ".join(m.group(0).lower().split()) for m in _organs().finditer(text)))


def target_sites(src: ListingSource) -> list[str]:
    return organ_sites(" ".join(list(src.conditions) + ([src.title] if src.title else [])))


def trial_drugs(src: ListingSource) -> list[str]:
    """Drugs the trial's title names (the study treatment)."""
    return _concepts_in(src.title or "", ("drug",))


def target_criterion(src: ListingSource, criteria: list[Criterion], targets: list[str]) -> Criterion | None:
    """A pre-screening criterion ``T1`` ("has the condition the trial is for") when the record's conditions name
    lexicon concepts that no inclusion criterion asks for. It has no span in the listing (offsets 0, 0); its
    text is the record's conditions."""
    if not src.conditions:
        return None
    asked = {c.concept for crit in criteria if crit.kind == "inclusion" for c in crit.constraints}
    if targets and asked & set(targets):
        return None
    if targets:
        constraints = [Constraint(id=f"T1.c{i}", concept=t, text=t.replace("_", " "), start=0, end=0,
                                  context=ConstraintContext(target=True)) for i, t in enumerate(targets, 1)]
    else:  # conditions outside the lexicon: looked up in the notes by their words, never decisive on absence
        phrases = list(dict.fromkeys(p for p in (condition_phrase(c) for c in src.conditions) if p))
        if not phrases:
            return None
        constraints = [Constraint(id=f"T1.c{i}", concept=p, text=p, start=0, end=0, open_vocabulary=True,
                                  attributes={"prescreen": "text"}, context=ConstraintContext(target=True))
                       for i, p in enumerate(phrases, 1)]
    logic = LogicNode(op="or", args=[c.id for c in constraints]) if len(constraints) > 1 else None
    return Criterion(id="T1", kind="inclusion", text="; ".join(src.conditions), start=0, end=0, computable=True,
                     category="diagnosis", logic=logic, constraints=constraints,
                     reason="pre-screening: the condition the trial is for (from its record's conditions)")


@lru_cache(maxsize=1)
def _not_a_condition() -> re.Pattern[str]:
    """Record 'conditions' that name no condition ('Healthy', 'Volunteers'): ``criteria_patterns.json``."""
    return re.compile(r"^(?:" + "|".join(rules()["not_a_condition"]) + r")$", re.IGNORECASE)


def condition_phrase(condition: str) -> str:
    """A record's condition as words to look for: 'Kidney Failure, Acute' -> 'acute kidney failure' (MeSH order
    undone); empty for non-conditions ('Healthy')."""
    parts = [p.strip() for p in condition.split(",") if p.strip()]
    phrase = " ".join(reversed(parts)) if len(parts) == 2 else " ".join(parts)
    phrase = " ".join(phrase.replace(".", " ").split()).lower()
    return "" if _not_a_condition().match(phrase) else phrase


def demographic_criteria(src: ListingSource, criteria: list[Criterion]) -> list[Criterion]:
    """Criteria ``A1`` (age) and ``S1`` (sex) from a record's structured eligibility fields, when no criterion of
    the text states them. They have no span in the listing (offsets 0, 0)."""
    out: list[Criterion] = []
    asked = {c.concept for crit in criteria for c in crit.constraints}
    lo, hi = src.min_age, src.max_age
    if "age" not in asked and (lo is not None or hi is not None):
        if lo is not None and hi is not None:
            k = Constraint(
                id="A1.c1",
                concept="age",
                text="age",
                start=0,
                end=0,
                comparator="between",
                value=lo,
                value_high=hi,
                unit="year",
            )
            words = f"age {lo:g} to {hi:g} years"
        elif lo is not None:
            k = Constraint(
                id="A1.c1", concept="age", text="age", start=0, end=0, comparator=">=", value=lo, unit="year"
            )
            words = f"age {lo:g} years or older"
        else:
            k = Constraint(
                id="A1.c1", concept="age", text="age", start=0, end=0, comparator="<=", value=hi, unit="year"
            )
            words = f"age {hi:g} years or younger"
        out.append(
            Criterion(
                id="A1",
                kind="inclusion",
                text=words,
                start=0,
                end=0,
                computable=True,
                category="demographic",
                constraints=[k],
                reason="from the record's structured age limits",
            )
        )
    if "sex" not in asked and src.sex in ("male", "female"):
        k = Constraint(id="S1.c1", concept="sex", text="sex", start=0, end=0, comparator="==", value=src.sex)
        out.append(Criterion(id="S1", kind="inclusion", text=f"sex {src.sex}", start=0, end=0, computable=True,
                             category="demographic", constraints=[k], reason="from the record's structured sex field"))
    return out
