"""A patient's facts over time: ordered, de-duplicated, indexed by concept, with evidence helpers.

The profile answers "what do the notes say about concept X, and when": every fact of every note,
ordered by the date it applies to. Text copied forward into later notes (the same sentence with the
same concept and value, by the sentence key extraction recorded) counts once, at its first date, so a
three-month-old lab pasted into today's note is not mistaken for a fresh one. Notes are known by their
metadata only (``NoteMeta``): matching never reads note text.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..lexicon import Lexicon
from ..schema import Evidence, Fact, Note, NoteMeta


def fact_date(fact: Fact) -> dt.date | None:
    return fact.date or fact.note_date


def trustworthy(fact: Fact) -> bool:
    """Affirmed, about the patient, not hypothetical, not hedged."""
    return fact.affirmed


def assertion_of(fact: Fact) -> str:
    for flag in ("negated", "family", "hypothetical", "uncertain", "historical"):
        if getattr(fact, flag):
            return flag
    return "affirmed"


def evidence_from_fact(fact: Fact, notes: Mapping[str, NoteMeta] | None = None) -> Evidence:
    """Evidence for a fact: its quote was taken from the note at extraction (``note.text[start:end] == text``)."""
    return Evidence(
        source_id=fact.note_id, start=fact.start, end=fact.end, text=fact.text, section=fact.section,
        date=fact_date(fact), concept=fact.concept, value=fact.value, unit=fact.unit,
        assertion=assertion_of(fact) if fact.statement is None else (fact.statement.replace("_", " ")),
        cue=fact.cues[0] if fact.cues else None,
    )


def _copy_key(fact: Fact) -> tuple | None:
    if not fact.sentence_key:
        return None
    return (fact.concept, str(fact.value), fact.unit, assertion_of(fact), fact.sentence_key)


@dataclass
class PatientProfile:
    patient_id: str
    notes: dict[str, NoteMeta]
    facts: list[Fact]
    """Concept facts, de-duplicated, ordered by (date, note date, note id, offset)."""
    copies: list[Fact] = field(default_factory=list)
    """Facts dropped as copy-forward repeats of an earlier note's sentence."""
    statements: list[Fact] = field(default_factory=list)
    """Note-level statements (section headings, off-therapy statements, title lines), in note order."""
    _index: tuple[Lexicon, dict[str, list[int]]] | None = field(default=None, repr=False, compare=False)
    _evidence: dict[int, tuple[Fact, Evidence]] = field(default_factory=dict, repr=False, compare=False)
    _memo: tuple[Lexicon, dict[Any, Any]] | None = field(default=None, repr=False, compare=False)

    def evidence(self, fact: Fact) -> Evidence:
        """``evidence_from_fact``, made once per fact: every trial screened quotes the same facts."""
        hit = self._evidence.get(id(fact))
        if hit is None or hit[0] is not fact:
            hit = self._evidence[id(fact)] = (fact, evidence_from_fact(fact))
        return hit[1]

    def memo(self, lexicon: Lexicon) -> dict[Any, Any]:
        """Answers about this patient that depend on the lexicon and the rules only (not on a trial), kept
        for every trial screened; forgotten when asked with another lexicon."""
        if self._memo is None or self._memo[0] is not lexicon:
            self._memo = (lexicon, {})
        return self._memo[1]

    def facts_for(self, concept: str, lexicon: Lexicon) -> list[Fact]:
        """Facts about ``concept`` or any concept that belongs to it (class membership), in profile order.

        Answered from an index of the profile's facts by everything each one is (its concept, its recorded
        classes and the lexicon's), built once per lexicon: matching asks this for every constraint."""
        if self._index is None or self._index[0] is not lexicon:
            by: dict[str, list[int]] = {}
            for i, f in enumerate(self.facts):
                for name in {f.concept, *f.classes, *lexicon.classes_of(f.concept)}:
                    by.setdefault(name, []).append(i)
            self._index = (lexicon, by)
        return [self.facts[i] for i in self._index[1].get(concept, [])]

    def latest(self, concept: str, lexicon: Lexicon) -> Fact | None:
        """The latest trustworthy fact for ``concept``; older or contradicting ones stay in ``facts``."""
        good = [f for f in self.facts_for(concept, lexicon) if trustworthy(f)]
        return good[-1] if good else None

    def statements_of(self, kind: str) -> list[Fact]:
        return [f for f in self.statements if f.statement == kind]

    @property
    def sections(self) -> list[Fact]:
        return self.statements_of("section_heading")

    def section_categories(self) -> set[str]:
        return {str(s.value) for s in self.sections}


def _sort_key(fact: Fact) -> tuple:
    return (fact_date(fact) or dt.date.min, fact.note_date or dt.date.min, fact.note_id, fact.start, fact.concept)


def build_profile(patient_id: str, notes: Iterable[Note | NoteMeta], facts: Iterable[Fact]) -> PatientProfile:
    note_map = {n.note_id: NoteMeta.of(n) for n in notes if n.patient_id == patient_id}
    mine = [f for f in facts if f.patient_id == patient_id]
    statements = sorted(
        (f for f in mine if f.statement), key=lambda f: (f.note_date or dt.date.min, f.note_id, f.start)
    )
    ordered = sorted((f for f in mine if not f.statement), key=_sort_key)
    # copy-forward: first occurrence (in note order) wins; later identical sentences are copies
    by_note_order = sorted(ordered, key=lambda f: (f.note_date or fact_date(f) or dt.date.min, f.note_id, f.start))
    seen: dict[tuple, str] = {}
    kept_ids: set[int] = set()
    copies: list[Fact] = []
    for f in by_note_order:
        key = _copy_key(f)
        if key is None:
            kept_ids.add(id(f))
            continue
        first_note = seen.setdefault(key, f.note_id)
        if first_note != f.note_id:
            copies.append(f)
        else:
            kept_ids.add(id(f))
    kept = [f for f in ordered if id(f) in kept_ids]
    return PatientProfile(patient_id, note_map, kept, copies, statements)


def build_profiles(
    notes: Iterable[Note | NoteMeta], facts: Iterable[Fact], patient_ids: Iterable[str] = ()
) -> dict[str, PatientProfile]:
    notes = list(notes)
    facts = list(facts)
    ids = sorted({n.patient_id for n in notes} | {f.patient_id for f in facts} | set(patient_ids))
    by_pid_notes: dict[str, list[Note | NoteMeta]] = {}
    by_pid_facts: dict[str, list[Fact]] = {}
    for n in notes:
        by_pid_notes.setdefault(n.patient_id, []).append(n)
    for f in facts:
        by_pid_facts.setdefault(f.patient_id, []).append(f)
    return {pid: build_profile(pid, by_pid_notes.get(pid, []), by_pid_facts.get(pid, [])) for pid in ids}
