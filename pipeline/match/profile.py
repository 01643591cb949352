"""A patient's facts over time: ordered, de-duplicated, indexed by concept, with evidence helpers.

The profile answers "what do the notes say about concept X, and when": every fact of every note,
ordered by the date it applies to. Text copied forward into later notes (the same sentence with the
same concept and value) counts once, at its first date, so a three-month-old lab pasted into today's
note is not mistaken for a fresh one.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..schema import Evidence, Fact, Note
from .rules import section_literals, settings

_SENTENCE_END = re.compile(r"[.;!?]\s|\n")
_SPACES = re.compile(r"\s+")


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


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``text[start:end]``."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    nxt = _SENTENCE_END.search(text, end)
    right = nxt.start() + (1 if text[nxt.start()] in ".;!?" else 0) if nxt else len(text)
    return left, max(right, end)


def evidence_from_fact(fact: Fact, notes: dict[str, Note]) -> Evidence:
    """Evidence for a fact; the quote is re-read from the note so ``note.text[start:end] == text``."""
    note = notes.get(fact.note_id)
    text = note.text[fact.start:fact.end] if note is not None and fact.end <= len(note.text) else fact.text
    return Evidence(
        source_id=fact.note_id, start=fact.start, end=fact.end, text=text, section=fact.section,
        date=fact_date(fact), concept=fact.concept, value=fact.value, unit=fact.unit,
        assertion=assertion_of(fact), cue=fact.cues[0] if fact.cues else None,
    )


def evidence_from_span(note: Note, start: int, end: int, *, concept: str | None = None,
                       section: str | None = None, assertion: str | None = None) -> Evidence:
    return Evidence(source_id=note.note_id, start=start, end=end, text=note.text[start:end], section=section,
                    date=note.date, concept=concept, assertion=assertion)


def _copy_key(fact: Fact, note: Note | None) -> tuple:
    if note is not None and fact.end <= len(note.text):
        s, e = sentence_bounds(note.text, fact.start, fact.end)
        sentence = _SPACES.sub(" ", note.text[s:e]).strip().lower()
    else:
        sentence = _SPACES.sub(" ", fact.text).strip().lower()
    return (fact.concept, str(fact.value), fact.unit, assertion_of(fact), sentence)


@dataclass
class SectionHeading:
    note: Note
    category: str
    start: int
    end: int


@dataclass
class PatientProfile:
    patient_id: str
    notes: dict[str, Note]
    facts: list[Fact]
    """De-duplicated, ordered by (date, note date, note id, offset)."""
    copies: list[Fact] = field(default_factory=list)
    """Facts dropped as copy-forward repeats of an earlier note's sentence."""
    sections: list[SectionHeading] = field(default_factory=list)

    def facts_for(self, concept: str, lexicon: Lexicon) -> list[Fact]:
        """Facts about ``concept`` or any concept that belongs to it (class membership)."""
        return [f for f in self.facts if f.concept == concept or concept in f.classes or lexicon.is_a(f.concept, concept)]

    def latest(self, concept: str, lexicon: Lexicon) -> Fact | None:
        """The latest trustworthy fact for ``concept``; older or contradicting ones stay in ``facts``."""
        good = [f for f in self.facts_for(concept, lexicon) if trustworthy(f)]
        return good[-1] if good else None

    def section_categories(self) -> set[str]:
        return {s.category for s in self.sections}


def _headings(note: Note) -> list[SectionHeading]:
    """Section headings written as ``Heading:`` at a line start, categorised by sections.jsonl."""
    literals = section_literals()
    out = []
    for m in re.finditer(r"(?m)^[ \t]*([A-Za-z][A-Za-z /&\-]{1,60}?)[ \t]*:", note.text):
        key = _SPACES.sub(" ", m.group(1)).strip().lower()
        if key in literals:
            out.append(SectionHeading(note, literals[key], m.start(1), m.end(1)))
    return out


def _sort_key(fact: Fact) -> tuple:
    return (fact_date(fact) or dt.date.min, fact.note_date or dt.date.min, fact.note_id, fact.start, fact.concept)


def _family_checked(fact: Fact, note: Note | None) -> Fact:
    """Keep a 'family' flag only when the fact's own line names a relative (a cue from a section
    heading several lines up does not count)."""
    if not fact.family or note is None or fact.end > len(note.text):
        return fact
    line_start = note.text.rfind("\n", 0, fact.start) + 1
    line_end = note.text.find("\n", fact.end)
    line_end = line_end if line_end >= 0 else len(note.text)
    if re.search(settings().family_pattern, note.text[line_start:line_end], re.IGNORECASE):
        return fact
    return fact.model_copy(update={"family": False})


def _negation_checked(fact: Fact, result_cues: set[tuple[str, int, int]]) -> Fact:
    """Drop a negation whose only cue is another fact's result word ("tongue SCC (p16 negative)": the
    'negative' is p16's result, not a denial of the cancer)."""
    if not fact.negated or fact.value is not None:
        return fact
    neg = [c for c in fact.cues if "NEG" in c.category.upper()]
    if neg and all((fact.note_id, c.start, c.end) in result_cues for c in neg):
        return fact.model_copy(update={"negated": False})
    return fact


def _confirmation_checked(fact: Fact, note: Note | None) -> Fact:
    """'we have not confirmed progression', 'progression not confirmed': the statement is that it is
    unproven, so the mention is uncertain, neither negated nor affirmed."""
    if note is None or fact.end > len(note.text) or fact.uncertain or fact.family or fact.hypothetical:
        return fact
    s_, e_ = sentence_bounds(note.text, fact.start, fact.end)
    before = note.text[max(s_, fact.start - 40):fact.start]
    after = note.text[fact.end:min(e_, fact.end + 30)]
    rx = re.compile(settings().unconfirmed_pattern, re.IGNORECASE)
    hit_before = next((m for m in rx.finditer(before) if not re.search(r"[,;:]", before[m.end():])), None)
    hit_after = rx.match(after.lstrip(" (")) or re.match(r"\s*(?:is|was|has|have|had)?\s*(?:been\s+)?", after) and rx.match(
        after[re.match(r"\s*(?:is|was|has|have|had)?\s*(?:been\s+)?", after).end():])
    if hit_before or hit_after:
        return fact.model_copy(update={"negated": False, "uncertain": True})
    return fact


def build_profile(patient_id: str, notes: Iterable[Note], facts: Iterable[Fact]) -> PatientProfile:
    note_map = {n.note_id: n for n in notes if n.patient_id == patient_id}
    mine = [f for f in facts if f.patient_id == patient_id]
    result_cues = {(f.note_id, c.start, c.end) for f in mine if f.value is not None for c in f.cues if "NEG" not in c.category.upper()}
    ordered = sorted((_confirmation_checked(_negation_checked(_family_checked(f, note_map.get(f.note_id)), result_cues), note_map.get(f.note_id))
                      for f in mine), key=_sort_key)
    # copy-forward: first occurrence (in note order) wins; later identical sentences are copies
    by_note_order = sorted(ordered, key=lambda f: (f.note_date or fact_date(f) or dt.date.min, f.note_id, f.start))
    seen: dict[tuple, str] = {}
    kept_ids: set[int] = set()
    copies: list[Fact] = []
    for f in by_note_order:
        key = _copy_key(f, note_map.get(f.note_id))
        if len(key[-1]) < settings().copy_forward_min_chars:
            kept_ids.add(id(f))
            continue
        first_note = seen.setdefault(key, f.note_id)
        if first_note != f.note_id:
            copies.append(f)
        else:
            kept_ids.add(id(f))
    kept = [f for f in ordered if id(f) in kept_ids]
    sections = [h for n in sorted(note_map.values(), key=lambda n: (n.date, n.note_id)) for h in _headings(n)]
    return PatientProfile(patient_id, note_map, kept, copies, sections)


def build_profiles(notes: Iterable[Note], facts: Iterable[Fact], patient_ids: Iterable[str] = ()) -> dict[str, PatientProfile]:
    notes = list(notes)
    facts = list(facts)
    ids = sorted({n.patient_id for n in notes} | {f.patient_id for f in facts} | set(patient_ids))
    by_pid_notes: dict[str, list[Note]] = {}
    by_pid_facts: dict[str, list[Fact]] = {}
    for n in notes:
        by_pid_notes.setdefault(n.patient_id, []).append(n)
    for f in facts:
        by_pid_facts.setdefault(f.patient_id, []).append(f)
    return {pid: build_profile(pid, by_pid_notes.get(pid, []), by_pid_facts.get(pid, [])) for pid in ids}
