"""Find a criterion's own phrase in a patient's notes with rapidfuzz (concepts outside the lexicon).

The matcher asks through the ``TextSearch`` protocol (``pipeline.match.context``) and never reads note
text itself; this is the in-memory implementation over the notes of a run (the fact store's, built on the
same ``find_phrase``, is ``pipeline.store.textsearch.StoreTextSearch``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from ..schema import Evidence, Note
from .phrase_assertion import phrase_assertion

_SENTENCE = re.compile(r"[^.;\n]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP = frozenset(
    {"of", "the", "and", "or", "with", "a", "an", "to", "for", "in", "on", "by", "any", "other", "known", "history"}
)

Sentences = tuple[tuple[int, str], ...]
"""A note's lower-cased sentences with their start offsets (those of at least 3 non-blank characters)."""


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def wanted_words(needle: str) -> frozenset[str]:
    """The content words of a (lower-cased) phrase, plural-insensitive: what ``_all_words`` looks for."""
    return frozenset(_stem(w) for w in _WORD.findall(needle) if w not in _STOP and len(w) > 2)


def _all_words(needle: str | frozenset[str], sentence: str) -> tuple[int, int] | None:
    """Every content word of ``needle`` in ``sentence`` (any order, plural-insensitive, other words between):
    'proliferative retinopathy' in 'proliferative diabetic retinopathy'. The span from the first to the last."""
    want = wanted_words(needle) if isinstance(needle, str) else needle
    if len(want) < 2:
        return None
    # a word's stem is a prefix of the word, so a stem missing from the sentence's text is missing as a word
    if not all(w in sentence for w in want):
        return None
    found: dict[str, tuple[int, int]] = {}
    for m in _WORD.finditer(sentence):
        w = _stem(m.group(0))
        if w in want and w not in found:
            found[w] = (m.start(), m.end())
    if set(found) != want:
        return None
    return min(s for s, _ in found.values()), max(e for _, e in found.values())


def sentences(text: str) -> Sentences:
    """The sentences ``find_phrase`` compares a phrase with, lower-cased, with their offsets."""
    return tuple((m.start(), m.group(0)) for m in _SENTENCE.finditer(text.lower()) if len(m.group(0).strip()) >= 3)


def phrase_evidence(note: Note, start: int, end: int, phrase: str) -> Evidence:
    """A hit, with the assertion the note pipeline gives its place ("no cochlear implant": negated)."""
    assertion, cue = phrase_assertion(note.text, start, end)
    return Evidence(source_id=note.note_id, start=start, end=end, text=note.text[start:end], date=note.date,
                    concept=phrase, assertion=assertion, cue=cue, verbatim=verbatim(phrase, note.text[start:end]))


def valued_hits(hits: Iterable[Evidence], texts: Mapping[str, str]) -> list[Evidence]:
    """The hits of a measure's name followed by a number ('PASI 14.2'), each with that value and its span
    stretched to quote it; ``texts`` maps a hit's note id to the note's text."""
    out = []
    for h in hits:
        text = texts.get(h.source_id)
        value, end = phrase_value(text, h.start, h.end) if text is not None else (None, None)
        if value is not None and end is not None and text is not None:
            out.append(h.model_copy(update={"value": value, "end": end, "text": text[h.start:end]}))
    return out


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def phrase_value(text: str, start: int, end: int) -> tuple[float | None, int | None]:
    """The value written right after a hit that starts and ends a word (``note_context.json``
    ``phrase_value_pattern``), and where it ends; (None, None) when none is."""
    while end > start and not text[end - 1].isalnum():  # an alignment may take the space after the phrase
        end -= 1
    if end <= start or (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return None, None
    m = _value_rx().match(text[end : end + 60])
    if m is None:
        return None, None
    group = next(g for g in ("value", "roman", "ordinal") if m.group(g))
    raw = m.group(group)
    number = float(_ROMAN[raw.lower()]) if group == "roman" else float(raw)
    return number, end + (m.end(group) if group != "value" else m.end())


@lru_cache(maxsize=1)
def _value_rx() -> re.Pattern[str]:
    from .note_rules import rules

    return re.compile(rules().phrase_value_pattern, re.IGNORECASE)


def verbatim(phrase: str, hit: str) -> bool:
    """``hit`` writes the phrase itself: two or more content words, all there (plural-insensitive), in a stretch not
    much longer than the phrase ('T1 gadolinium-enhancing lesion' in 'one T1 gadolinium-enhancing lesion')."""
    want = [w for w in _WORD.findall(phrase.lower()) if len(w) > 2 or w.isdigit()]
    got = {_stem(w) for w in _WORD.findall(hit.lower())}
    return len(want) >= 2 and all(_stem(w) in got for w in want) and len(hit) <= 1.5 * len(phrase) + 10


_ALNUM = re.compile(r"[a-z0-9]+")


def covering_words(needle: str, sentence: str, start: int, end: int, threshold: float) -> tuple[int, int] | None:
    """The whole words about an alignment that write the phrase itself, not a part of it, as a span of
    ``sentence``; None when none do. 'MEDICATIONS' (a heading) is no hit of 'psychotropic medications',
    'IMPRESSION' none of 'bone marrow suppression', 'active' none of 'relative': ``partial_ratio`` aligns the
    shorter string inside the longer, so a short sentence scores 100 against any phrase that contains it. The
    best-scoring run of words touching the alignment is taken ('altitude' of 'ltitude s' in 'altitude study')."""
    while start > 0 and sentence[start - 1].isalnum():
        start -= 1
    while end < len(sentence) and sentence[end].isalnum():
        end += 1
    words = [(m.start() + start, m.end() + start) for m in _ALNUM.finditer(sentence[start:end])]
    best: tuple[float, int, int] | None = None
    for i in range(len(words)):
        for j in range(i, len(words)):
            score = fuzz.ratio(needle, sentence[words[i][0]:words[j][1]])
            if score >= threshold and (best is None or score > best[0]):
                best = (score, words[i][0], words[j][1])
    return None if best is None else (best[1], best[2])


def span_in_sentence(want: frozenset[str], sentence: str, offset: int, al: Any, words_possible: bool,
                     threshold: float, needle: str) -> tuple[int, int, float] | None:
    """The span one sentence gives a phrase (``needle``, lower-cased): the whole words its fuzzy alignment
    (``al``) finds that write the phrase (``covering_words``), else, when every wanted word occurs in it, the
    stretch from the first to the last of them, scored at the threshold."""
    covered = None if al is None else covering_words(needle, sentence, al.dest_start, al.dest_end, threshold)
    if covered is None:
        words = _all_words(want, sentence) if words_possible else None
        if words is None:
            return None
        start, end, score = offset + words[0], offset + words[1], float(threshold)
    else:
        start, end, score = offset + covered[0], offset + covered[1], al.score
    return (start, end, score) if end > start else None


def find_phrase(phrase: str, notes: Iterable[Note], threshold: float,
                split: dict[tuple[str, str], Sentences] | None = None) -> list[Evidence]:
    """Best-aligned spans (one per sentence) whose partial_ratio to ``phrase`` reaches ``threshold``,
    best first, then by date and note id. ``split`` caches each note's sentences between calls."""
    needle = phrase.lower()
    want = wanted_words(needle)
    scored: list[tuple[float, Evidence]] = []
    for note in sorted(notes, key=lambda n: (n.date, n.note_id)):
        key = (note.patient_id, note.note_id)
        sents = split.get(key) if split is not None else None
        if sents is None:
            sents = sentences(note.text)
            if split is not None:
                split[key] = sents
        # which sentences reach the threshold, scored in one call (the same partial_ratio, without alignments)
        close = {i for _, _, i in process.extract(needle, [t for _, t in sents], scorer=fuzz.partial_ratio,
                                                  score_cutoff=threshold, limit=None)}
        # the word test can pass only if every wanted word's stem occurs somewhere in the note
        words_possible = len(want) >= 2 and all(any(w in t for _, t in sents) for w in want)
        # without the word test only the close sentences can give a span: visit those alone, in order
        for i in range(len(sents)) if words_possible else sorted(close):
            offset, sentence = sents[i]
            al = fuzz.partial_ratio_alignment(needle, sentence, score_cutoff=threshold) if i in close else None
            span = span_in_sentence(want, sentence, offset, al, words_possible, threshold, needle)
            if span is not None:
                scored.append((span[2], phrase_evidence(note, span[0], span[1], phrase)))
    scored.sort(key=lambda t: -t[0])
    return [e for _, e in scored]


class NoteTextSearch:
    """Phrase search over notes held in memory, by patient. Each note is split into sentences once and each
    (patient, phrase, threshold) answered once, however many criteria or trials ask."""

    def __init__(self, notes: Iterable[Note]):
        self._by_patient: dict[str, list[Note]] = {}
        for n in notes:
            self._by_patient.setdefault(n.patient_id, []).append(n)
        self._split: dict[tuple[str, str], Sentences] = {}
        self._found: dict[tuple[str, str, float], list[Evidence]] = {}

    def search(self, patient_id: str, phrase: str, threshold: float) -> list[Evidence]:
        key = (patient_id, phrase, threshold)
        hits = self._found.get(key)
        if hits is None:
            hits = self._found[key] = find_phrase(phrase, self._by_patient.get(patient_id, []), threshold, self._split)
        return list(hits)

    def measure(self, patient_id: str, name: str, threshold: float) -> list[Evidence]:
        """The hits of a measure's name with the number written right after each (``valued_hits``)."""
        return valued_hits(self.search(patient_id, name, threshold),
                           {n.note_id: n.text for n in self._by_patient.get(patient_id, [])})

    def notes(self, patient_id: str) -> Sequence[Note]:
        return self._by_patient.get(patient_id, [])
