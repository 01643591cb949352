"""What every constraint evaluator shares: the patient context, lexicon lookups, small value helpers."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from ..lexicon import Lexicon
from ..schema import Evidence, Fact, TrialCriteria, Window
from .lexmemo import memo
from .profile import PatientProfile, fact_date

NEUTRAL_SEX = {"all", "both", "any", "either"}
DRUG_KINDS = ("drug", "drug_class")
EXPOSURE_KINDS = (*DRUG_KINDS, "procedure")
EXPOSURE_UNITS = ("cycle", "dose", "course", "line", "infusion")


def known_concept(concept: str, lexicon: Lexicon) -> bool:
    """In the lexicon as a concept, or used as a class by some concept (``lung_disease``)."""
    return concept in ("age", "sex") or concept in lexicon or is_class(concept, lexicon)


def is_class(concept: str, lexicon: Lexicon) -> bool:
    known = memo(lexicon, "is_class")
    found = known.get(concept)
    if found is None:
        found = known[concept] = any(concept in e.classes for e in lexicon.by_concept.values())
    return found


class TextSearch(Protocol):
    """Finds a phrase in one patient's notes (open-vocabulary lookups); evidence offsets into the notes.
    The matcher never reads note text itself: the caller gives it this search (over the notes in memory,
    or over a store's full-text index)."""

    def search(self, patient_id: str, phrase: str, threshold: float) -> list[Evidence]: ...

    def measure(self, patient_id: str, name: str, threshold: float) -> list[Evidence]:
        """The hits of a measure's name outside the lexicon with the number written right after each ('PASI
        14.2'): ``Evidence.value`` holds it and the span quotes it."""
        ...


class NoSearch:
    """A search that finds nothing (no note text available)."""

    def search(self, patient_id: str, phrase: str, threshold: float) -> list[Evidence]:
        return []

    def measure(self, patient_id: str, name: str, threshold: float) -> list[Evidence]:
        return []


@dataclass
class MatchContext:
    profile: PatientProfile
    lexicon: Lexicon
    as_of: dt.date
    first_dose: dt.date
    search: TextSearch = field(default_factory=NoSearch)
    trial: TrialCriteria | None = None

    def anchor(self, window: Window) -> dt.date:
        return self.as_of if window.anchor in ("as_of", "today", "screening") else self.first_dose

    def ev(self, facts: list[Fact]) -> list[Evidence]:
        return [self.profile.evidence(f) for f in facts]



def num(v: object) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def limit_text(comparator: str, lo: float, hi: float | None) -> str:
    """How a reason writes a limit: '>= 12', or '3-4' for a range."""
    return f"{fmt(lo)}-{fmt(hi)}" if comparator == "between" and hi is not None else f"{comparator} {fmt(lo)}"


def compare(x: float, comparator: str, lo: float, hi: float | None) -> bool:
    if comparator == ">=":
        return x >= lo
    if comparator == ">":
        return x > lo
    if comparator == "<=":
        return x <= lo
    if comparator == "<":
        return x < lo
    if comparator == "between":
        return lo <= x <= (hi if hi is not None else lo)
    return abs(x - lo) < 1e-9


def reading_order(f: Fact) -> tuple:
    """Reading order: date, then note date, then position in the note."""
    return (fact_date(f) or dt.date.min, f.note_date or dt.date.min, f.note_id, f.start)


def near(a: Fact, b: Fact, days: int) -> bool:
    da, db = fact_date(a), fact_date(b)
    return da is None or db is None or abs((da - db).days) <= days


def lex_info(lexicon: Lexicon, concept: str) -> tuple[str | None, str | None]:
    """The kind and category of ``concept``, or of its first member (by concept id) when it is a class."""
    known = memo(lexicon, "lex_info")
    found = known.get(concept)
    if found is None:
        found = known[concept] = _lex_info(lexicon, concept)
    return found


def _lex_info(lexicon: Lexicon, concept: str) -> tuple[str | None, str | None]:
    e = lexicon.get(concept)
    if e is None:
        members = [m for m in sorted(lexicon.by_concept.values(), key=lambda x: x.concept) if concept in m.classes]
        e = members[0] if members else None
    return (e.kind, e.category) if e else (None, None)


