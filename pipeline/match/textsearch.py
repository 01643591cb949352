"""Find a criterion's own phrase in note text with rapidfuzz (for concepts outside the lexicon)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from ..schema import Evidence, Note
from .profile import evidence_from_span

_SENTENCE = re.compile(r"[^.;\n]+")


def find_phrase(phrase: str, notes: Iterable[Note], threshold: float) -> list[Evidence]:
    """Best-aligned spans (one per sentence) whose partial_ratio to ``phrase`` reaches ``threshold``,
    best first, then by date and note id."""
    needle = phrase.lower()
    scored: list[tuple[float, Evidence]] = []
    for note in sorted(notes, key=lambda n: (n.date, n.note_id)):
        low = note.text.lower()
        for m in _SENTENCE.finditer(low):
            sentence = m.group(0)
            if len(sentence.strip()) < 3:
                continue
            al = fuzz.partial_ratio_alignment(needle, sentence, score_cutoff=threshold)
            if al is None:
                continue
            start, end = m.start() + al.dest_start, m.start() + al.dest_end
            if end <= start:
                continue
            scored.append((al.score, evidence_from_span(note, start, end, concept=phrase, assertion="text match")))
    scored.sort(key=lambda t: -t[0])
    return [e for _, e in scored]
