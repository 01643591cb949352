"""Screening's phrase search keeps each phrase-to-sentence comparison across patients: it finds exactly what
``find_phrase`` finds, patient after patient, however small its memory."""
from __future__ import annotations

import re

import pytest

from pipeline.extract.textsearch import find_phrase
from pipeline.io.notes import read_notes
from pipeline.resources import corpora_path
from pipeline.store.textsearch import PatientSentences, SentenceMemo, find_phrase_memo

PHRASES = ["interstitial lung disease", "lung", "proliferative retinopathy", "hepatitis B virus infection",
           "allogeneic stem cell transplant", "squamous cell carcinoma", "uncontrolled pleural effusion",
           "cisplatin", "brain metastases", "active tuberculosis", "HIV", "known history of pneumonitis"]


@pytest.fixture(scope="module")
def cohort_notes():
    notes, problems = read_notes(corpora_path("cohort", "notes.jsonl"))
    assert not problems
    return notes


def _far_apart_words(notes, n=12):
    """Phrases of two words far apart in a cohort sentence (the second made plural): only the word test finds them."""
    out = []
    for note in notes:
        for sentence in re.split(r"[.;\n]", note.text.lower()):
            words = [w for w in re.findall(r"[a-z]+", sentence) if len(w) > 5]
            if len(words) >= 6 and len(out) < n:
                out.append(f"{words[0]} {words[-1]}s")
    return out


@pytest.mark.parametrize(("threshold", "limit"), [(88.0, 300_000), (70.0, 300_000), (88.0, 50)])
def test_find_phrase_memo_equals_find_phrase(cohort_notes, threshold, limit):
    by_patient: dict[str, list] = {}
    for n in cohort_notes:
        by_patient.setdefault(n.patient_id, []).append(n)
    memo = SentenceMemo(limit)
    found = 0
    for _pid, notes in sorted(by_patient.items()):
        patient = PatientSentences(notes)
        for phrase in PHRASES + _far_apart_words(cohort_notes):
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
