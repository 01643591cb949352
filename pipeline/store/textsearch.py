"""Open-vocabulary lookups for screening from the store (the ``TextSearch`` protocol of
``pipeline.match.context``).

Screening hands the matcher a patient's notes without their text; a phrase the lexicon does not know is looked
up here. The patient's note text is read from the store on the first lookup (one query), split into sentences
once, and each (phrase, threshold) is answered once for every trial screened in the same pass, with the same
``find_phrase`` the in-memory search runs, so verdicts and evidence are those of ``match``. A patient no
lookup asks about has no note text read at all.

Why not answer from the full-text index alone: ``find_phrase`` is a fuzzy comparison (rapidfuzz
``partial_ratio`` >= the ``fuzzy_threshold`` setting) of the phrase with each sentence, and a sentence shorter
than the phrase matches when it is close to any part of it (the sentence " lung" scores 100 against
"interstitial lung disease"). Neither a word index nor a trigram index can rule such a sentence out without
reading it, so an index-only answer would change verdicts. ``FactStore.search`` serves exact phrase lookups.
"""
from __future__ import annotations

from ..extract.textsearch import NoteTextSearch
from ..schema import Evidence, Note, NoteMeta
from .db import FactStore


class StoreTextSearch:
    """Phrase search over one patient's notes in a fact store, reading their text only when asked."""

    def __init__(self, store: FactStore, patient_id: str, notes: list[NoteMeta]) -> None:
        self.store = store
        self.patient_id = patient_id
        self.notes = notes
        self.text_reads = 0
        """How many times note text was read from the store (0 or 1)."""
        self._inner: NoteTextSearch | None = None

    def search(self, patient_id: str, phrase: str, threshold: float) -> list[Evidence]:
        if patient_id != self.patient_id or not self.notes:
            return []
        if self._inner is None:
            texts = self.store.note_texts(self.patient_id)
            self.text_reads += 1
            self._inner = NoteTextSearch([Note(**m.model_dump(), text=texts[m.note_id]) for m in self.notes])
        return self._inner.search(patient_id, phrase, threshold)
