"""Note-level statements as facts: section headings written as ``Heading:``, clinician statements that no
anticancer therapy is given now, the note's title line, and a stated date of birth (an age counted at the
screening date). Moved out of ``fact_context.py`` (one idea per module)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from ..schema import Fact, Note
from .fact_context import _rx, rules
from .note_text import DATE_IN_TEXT, ISO_DATE, SLASH_DATE, WORD_DATE, dates_in
from .sections import read_rules


def _statement(note: Note, kind: Literal["section_heading", "off_therapy", "note_title"], concept: str, start: int,
               end: int,
               value: str | None = None) -> Fact:
    return Fact(patient_id=note.patient_id, note_id=note.note_id, date=note.date, note_date=note.date, concept=concept,
                text=note.text[start:end], start=start, end=end, value=value, statement=kind)


@lru_cache(maxsize=1)
def _section_literals() -> dict[str, str]:
    """Heading literal (lower case) -> section category (``models/rules/sections.jsonl``)."""
    return {r.literal.lower(): r.category for r in read_rules()}


_HEADING = re.compile(r"(?m)^[ \t]*([A-Za-z][A-Za-z /&\-]{1,60}?)[ \t]*:")


@lru_cache(maxsize=1)
def birth_label() -> re.Pattern[str]:
    """A date-of-birth label ('DOB:', 'date of birth', 'born on') and the separator after it."""
    return re.compile(r"\b(?:" + "|".join(rules().birth_words) + r")\s*[:=]?\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _other_person() -> re.Pattern[str]:
    return re.compile(rules().other_person_age_pattern, re.IGNORECASE)


def other_persons_age(text: str, start: int, floor: int = 0) -> bool:
    """An age or a 'born' date right after words naming someone else ('youngest born 02/2026', 'her 8-month-old';
    ``note_context.json`` ``other_person_age_pattern``): not the patient's age."""
    return _other_person().search(text[max(floor, start - 40):start]) is not None


def birth_dates(note: Note) -> list[Fact]:
    """A stated date of birth as an age fact (``birth_date`` set, no value): the age is counted at the
    screening date."""
    out = []
    for m in birth_label().finditer(note.text):
        found = dates_in(note.text[m.end():m.end() + 24], note.date)
        if not found or found[0][0] != 0 or other_persons_age(note.text, m.start()):
            continue
        tail = note.text[m.end():m.end() + 24]
        ends = [x.end() for rx in (ISO_DATE, WORD_DATE, SLASH_DATE, DATE_IN_TEXT) if (x := rx.match(tail))]
        end = m.end() + max(ends, default=0)
        if end > m.end() and found[0][1] < note.date:
            out.append(Fact(patient_id=note.patient_id, note_id=note.note_id, date=note.date, note_date=note.date,
                            concept="age",
                            text=note.text[m.end():end], start=m.end(), end=end, unit="year", birth_date=found[0][1]))
    return out


def note_statements(note: Note) -> list[Fact]:
    """Section headings written as ``Heading:`` at a line start, clinician statements that no anticancer
    therapy is given now, and the note's title line."""
    text = note.text
    out = []
    literals = _section_literals()
    for m in _HEADING.finditer(text):
        key = " ".join(m.group(1).split()).lower()
        if key in literals:
            out.append(_statement(note, "section_heading", "section_heading", m.start(1), m.end(1), literals[key]))
    for m in _rx(rules().off_therapy_pattern).finditer(text):
        if m.end() > m.start():
            out.append(_statement(note, "off_therapy", "off_therapy", m.start(), m.end()))
    first = text.lstrip()
    start = len(text) - len(first)
    end = start + (first.find("\n") if "\n" in first else len(first))
    end = len(text[:end].rstrip())
    if end > start:
        out.append(_statement(note, "note_title", "note_title", start, end))
    return out
