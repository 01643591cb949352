"""Screening's phrase search keeps each phrase-to-sentence comparison across patients: it finds exactly what
``find_phrase`` finds, patient after patient, however small its memory."""
from __future__ import annotations


import pytest

from pipeline.extract.textsearch import find_phrase
from phrase_samples import PHRASES, far_apart_words, notes_by_patient, read_cohort_notes

from pipeline.store.textsearch import PatientSentences, SentenceMemo, find_phrase_memo



@pytest.fixture(scope="module")
def cohort_notes():
    return read_cohort_notes()


@pytest.mark.parametrize(("threshold", "limit"), [(88.0, 300_000), (70.0, 300_000), (88.0, 50)])
def test_find_phrase_memo_equals_find_phrase(cohort_notes, threshold, limit):
    by_patient = notes_by_patient(cohort_notes)
    memo = SentenceMemo(limit)
    found = 0
    for _pid, notes in sorted(by_patient.items()):
        patient = PatientSentences(notes)
        for phrase in PHRASES + far_apart_words(cohort_notes):
            want = find_phrase(phrase, notes, threshold)
            assert find_phrase_memo(phrase, patient, threshold, memo) == want
            found += len(want)
    assert found > 50  # the phrases are found, not only missed


def test_sentence_memo_starts_afresh_past_its_limit():
    memo = SentenceMemo(limit=3)
    assert set(memo.compare("lung", 88.0, frozenset(["lung nodule", "no cough", "stable", "the lungs"])).aligned) == {
        "lung nodule", "the lungs"}
    assert memo.size == 4
    assert memo.compare("lung", 88.0, frozenset(["new sentence"])).seen == {"new sentence"}
    assert memo.size == 1


def test_a_measure_read_from_the_store_equals_the_one_read_in_memory():
    import datetime as dt

    from pipeline.extract.textsearch import NoteTextSearch
    from pipeline.schema import Note, NoteMeta
    from pipeline.store.textsearch import StoreTextSearch

    notes = [Note(patient_id="p", note_id="n1", date=dt.date(2025, 3, 1), note_type="clinic",
                  text="Dermatology: PASI 14.2, BSA 18%."),
             Note(patient_id="p", note_id="n2", date=dt.date(2025, 6, 1), note_type="clinic",
                  text="Review. PASI improved from 14 to 6. PASI score: 6.")]

    class Store:
        def note_texts(self, patient_id):
            return {n.note_id: n.text for n in notes}

    from_store = StoreTextSearch(Store(), "p", [NoteMeta.of(n) for n in notes]).measure("p", "pasi", 88.0)
    in_memory = NoteTextSearch(notes).measure("p", "pasi", 88.0)
    assert from_store == in_memory
    assert sorted((e.source_id, e.value, e.text) for e in in_memory) == [
        ("n1", 14.2, "PASI 14.2"), ("n2", 6.0, "PASI score: 6")]
