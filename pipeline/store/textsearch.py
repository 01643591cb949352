"""Open-vocabulary lookups for screening from the store (the ``TextSearch`` protocol of
``pipeline.match.context``).

Screening hands the matcher a patient's notes without their text; a phrase the lexicon does not know is looked
up here. The patient's note text is read from the store on the first lookup (one query), split into sentences
once, and each (phrase, threshold) is answered once for every trial screened in the same pass, with the
answers of ``find_phrase`` (``pipeline.extract.textsearch``), so verdicts and evidence are those of ``match``. A
patient no lookup asks about has no note text read at all.

Why not answer from the full-text index alone: ``find_phrase`` is a fuzzy comparison (rapidfuzz
``partial_ratio`` >= the ``fuzzy_threshold`` setting) of the phrase with each sentence, and a sentence shorter
than the phrase matches when it is close to any part of it (the sentence " lung" scores 100 against
"interstitial lung disease"). Neither a word index nor a trigram index can rule such a sentence out without
reading it, so an index-only answer would change verdicts. ``FactStore.search`` serves exact phrase lookups.

Why a ``SentenceMemo``: a hospital's notes repeat sentences across patients (templates, normal findings,
copied text), and the fuzzy comparison of a phrase with a sentence depends on nothing else; screening keeps
each (phrase, threshold, sentence) comparison for the patients after, up to ``MEMO_ENTRIES`` of them.
"""
from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import ScoreAlignment

from ..extract.textsearch import (
    Sentences,
    phrase_evidence,
    sentences,
    span_in_sentence,
    valued_hits,
    wanted_words,
)
from ..schema import Evidence, Note, NoteMeta
from .db import FactStore

MEMO_ENTRIES = 300_000
"""Comparisons a ``SentenceMemo`` keeps (about 30 MB); past this it starts afresh."""


class PhraseMemo:
    """One phrase's comparisons: the best-aligned span of each sentence seen whose fuzzy score reaches the
    threshold (a sentence seen and not in ``aligned`` is not close), and the phrase's content words."""

    def __init__(self, needle: str) -> None:
        self.aligned: dict[str, ScoreAlignment] = {}
        self.seen: set[str] = set()
        self.want = wanted_words(needle)


class SentenceMemo:
    """How each sentence compares with a phrase, kept across patients."""

    def __init__(self, limit: int = MEMO_ENTRIES) -> None:
        self.limit = limit
        self.size = 0
        self._by_phrase: dict[tuple[str, float], PhraseMemo] = {}

    def compare(self, needle: str, threshold: float, texts: frozenset[str]) -> PhraseMemo:
        """The comparisons of ``needle`` with ``texts`` (and with the texts of earlier calls), scored and aligned
        as ``find_phrase`` does (``partial_ratio`` at or over ``threshold``, then ``partial_ratio_alignment``)."""
        if self.size > self.limit:
            self._by_phrase.clear()
            self.size = 0
        entry = self._by_phrase.get((needle, threshold))
        if entry is None:
            entry = self._by_phrase[(needle, threshold)] = PhraseMemo(needle)
        new = list(texts - entry.seen)
        if new:
            for _, _, i in process.extract(needle, new, scorer=fuzz.partial_ratio, score_cutoff=threshold,
                                           limit=None):
                al = fuzz.partial_ratio_alignment(needle, new[i], score_cutoff=threshold)
                if al is not None:
                    entry.aligned[new[i]] = al
            entry.seen.update(new)
            self.size += len(new)
        return entry


class PatientSentences:
    """One patient's notes in ``find_phrase``'s order (date, then note id), each split into sentences once, with
    the sentences' texts as a set and joined by newlines (which no sentence holds), by note and for them all."""

    def __init__(self, notes: list[Note]) -> None:
        self.notes: list[tuple[Note, Sentences, str, frozenset[str]]] = []
        for note in sorted(notes, key=lambda n: (n.date, n.note_id)):
            sents = sentences(note.text)
            self.notes.append((note, sents, "\n".join(t for _, t in sents), frozenset(t for _, t in sents)))
        self.texts: frozenset[str] = frozenset().union(*(n[3] for n in self.notes))
        self.joined = "\n".join(n[2] for n in self.notes)


def find_phrase_memo(phrase: str, patient: PatientSentences, threshold: float, memo: SentenceMemo) -> list[Evidence]:
    """``find_phrase(phrase, notes, threshold)`` with each sentence's fuzzy comparison taken from ``memo``:
    the same spans in the same order (``tests/store/test_textsearch.py`` compares them)."""
    needle = phrase.lower()
    entry = memo.compare(needle, threshold, patient.texts)
    close, want = entry.aligned, entry.want
    # the word test can pass only if every wanted word's stem occurs somewhere in the note (or in the notes)
    if patient.texts.isdisjoint(close) and not (len(want) >= 2 and all(w in patient.joined for w in want)):
        return []
    scored: list[tuple[float, Evidence]] = []
    for note, sents, joined, texts in patient.notes:
        words_possible = len(want) >= 2 and all(w in joined for w in want)
        if not words_possible and texts.isdisjoint(close):
            continue
        for offset, sentence in sents:
            al = close.get(sentence)
            span = span_in_sentence(want, sentence, offset, al, words_possible, threshold, needle)
            if span is not None:
                scored.append((span[2], phrase_evidence(note, span[0], span[1], phrase)))
    scored.sort(key=lambda t: -t[0])
    return [e for _, e in scored]


class StoreTextSearch:
    """Phrase search over one patient's notes in a fact store, reading their text only when asked."""

    def __init__(self, store: FactStore, patient_id: str, notes: list[NoteMeta],
                 memo: SentenceMemo | None = None) -> None:
        self.store = store
        self.patient_id = patient_id
        self.notes = notes
        self.text_reads = 0
        """How many times note text was read from the store (0 or 1)."""
        self.memo = memo or SentenceMemo()
        self._sentences: PatientSentences | None = None
        self._found: dict[tuple[str, float], list[Evidence]] = {}

    def search(self, patient_id: str, phrase: str, threshold: float) -> list[Evidence]:
        if patient_id != self.patient_id or not self.notes:
            return []
        if self._sentences is None:
            texts = self.store.note_texts(self.patient_id)
            self.text_reads += 1
            self._sentences = PatientSentences([Note(**m.model_dump(), text=texts[m.note_id]) for m in self.notes])
        key = (phrase, threshold)
        if key not in self._found:
            self._found[key] = find_phrase_memo(phrase, self._sentences, threshold, self.memo)
        return list(self._found[key])

    def measure(self, patient_id: str, name: str, threshold: float) -> list[Evidence]:
        """The hits of a measure's name with the number written right after each (``valued_hits``)."""
        hits = self.search(patient_id, name, threshold)
        if not hits or self._sentences is None:
            return []
        return valued_hits(hits, {n.note_id: n.text for n, _, _, _ in self._sentences.notes})
