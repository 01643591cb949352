"""Find a criterion's own phrase in a patient's notes with rapidfuzz (concepts outside the lexicon).

The matcher asks through the ``TextSearch`` protocol (``pipeline.match.context``) and never reads note
text itself; this is the in-memory implementation over the notes of a run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from ..schema import Evidence, Note

_SENTENCE = re.compile(r"[^.;\n]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP = frozenset({"of", "the", "and", "or", "with", "a", "an", "to", "for", "in", "on", "by", "any", "other", "known", "history"})


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _all_words(needle: str, sentence: str) -> tuple[int, int] | None:
    """Every content word of ``needle`` in ``sentence`` (any order, plural-insensitive, other words between):
    'proliferative retinopathy' in 'proliferative diabetic retinopathy'. The span from the first to the last."""
    want = {_stem(w) for w in _WORD.findall(needle) if w not in _STOP and len(w) > 2}
    if len(want) < 2:
        return None
    found: dict[str, tuple[int, int]] = {}
    for m in _WORD.finditer(sentence):
        w = _stem(m.group(0))
        if w in want and w not in found:
            found[w] = (m.start(), m.end())
    if set(found) != want:
        return None
    return min(s for s, _ in found.values()), max(e for _, e in found.values())


def _evidence(note: Note, start: int, end: int, phrase: str) -> Evidence:
    return Evidence(source_id=note.note_id, start=start, end=end, text=note.text[start:end], date=note.date,
                    concept=phrase, assertion="text match")


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
                words = _all_words(needle, sentence)
                if words is None:
                    continue
                start, end, score = m.start() + words[0], m.start() + words[1], float(threshold)
            else:
                start, end, score = m.start() + al.dest_start, m.start() + al.dest_end, al.score
            if end <= start:
                continue
            scored.append((score, _evidence(note, start, end, phrase)))
    scored.sort(key=lambda t: -t[0])
    return [e for _, e in scored]


class NoteTextSearch:
    """Phrase search over notes held in memory, by patient."""

    def __init__(self, notes: Iterable[Note]):
        self._by_patient: dict[str, list[Note]] = {}
        for n in notes:
            self._by_patient.setdefault(n.patient_id, []).append(n)

    def search(self, patient_id: str, phrase: str, threshold: float) -> list[Evidence]:
        return find_phrase(phrase, self._by_patient.get(patient_id, []), threshold)
