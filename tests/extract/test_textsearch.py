"""The open-vocabulary phrase search: its shortcuts (sentences split once, one scoring call per note, the word
test skipped when a wanted word is missing from the note) give exactly what comparing every sentence gives."""
from __future__ import annotations

import re

import pytest
from rapidfuzz import fuzz

from pipeline.extract.textsearch import NoteTextSearch, _all_words, covering_words, find_phrase
from pipeline.schema import Note
from phrase_samples import PHRASES, far_apart_words, notes_by_patient, read_cohort_notes



def _reference(phrase, notes, threshold):
    """find_phrase as first written: every sentence of every note aligned, then the word test."""
    needle = phrase.lower()
    scored = []
    for note in sorted(notes, key=lambda n: (n.date, n.note_id)):
        low = note.text.lower()
        for m in re.finditer(r"[^.;\n]+", low):
            sentence = m.group(0)
            if len(sentence.strip()) < 3:
                continue
            al = fuzz.partial_ratio_alignment(needle, sentence, score_cutoff=threshold)
            covered = al and covering_words(needle, sentence, al.dest_start, al.dest_end, threshold)
            if not covered:
                words = _all_words(needle, sentence)
                if words is None:
                    continue
                start, end, score = m.start() + words[0], m.start() + words[1], float(threshold)
            else:
                start, end, score = m.start() + covered[0], m.start() + covered[1], al.score
            if end > start:
                scored.append((score, (note.note_id, start, end, note.text[start:end])))
    scored.sort(key=lambda t: -t[0])
    return [e for _, e in scored]




@pytest.fixture(scope="module")
def cohort_notes():
    return read_cohort_notes()


@pytest.mark.parametrize("threshold", [88.0, 70.0])
def test_find_phrase_equals_comparing_every_sentence(cohort_notes, threshold):
    by_patient = notes_by_patient(cohort_notes)
    search = NoteTextSearch(cohort_notes)
    found = 0
    for pid, notes in sorted(by_patient.items()):
        for phrase in PHRASES + far_apart_words(cohort_notes):
            want = _reference(phrase, notes, threshold)
            got = [(e.source_id, e.start, e.end, e.text) for e in find_phrase(phrase, notes, threshold)]
            assert got == want, (pid, phrase)
            assert [(e.source_id, e.start, e.end, e.text) for e in search.search(pid, phrase, threshold)] == want
            found += len(want)
    assert found > 50  # the phrases are found, not only missed


def test_search_answers_a_repeated_phrase_from_memory(cohort_notes, monkeypatch):
    import pipeline.extract.textsearch as ts

    search = NoteTextSearch(cohort_notes)
    pid = cohort_notes[0].patient_id
    first = search.search(pid, "lung", 88.0)
    monkeypatch.setattr(ts, "find_phrase", lambda *a, **k: pytest.fail("searched again"))
    assert search.search(pid, "lung", 88.0) == first


def _note(text: str) -> Note:
    return Note(patient_id="p", note_id="n", date="2025-01-01", note_type="clinic note", text=text)


@pytest.mark.parametrize("text,phrase,assertion", [
    ("PMH: HTN. No cochlear implant.", "cochlear implant", "negated"),
    ("Denies bleeding or bruising.", "bleeding", "negated"),
    ("FAMILY HISTORY: mother with a shellfish allergy.", "shellfish allergy", "family"),
    ("Alcohol: none", "alcohol", "negated"),
    ("Drinks alcohol daily.", "alcohol", "affirmed"),
])
def test_a_phrase_found_in_a_note_carries_the_assertion_a_fact_there_would(text, phrase, assertion):
    (hit,) = find_phrase(phrase, [_note(text)], 88)
    assert (hit.assertion, text[hit.start:hit.end].lower()) == (assertion, phrase)
    if assertion != "affirmed":
        assert hit.cue is not None and text[hit.cue.start:hit.cue.end] == hit.cue.text


@pytest.mark.parametrize("text,phrase", [
    ("MEDICATIONS:\nramipril 5 mg daily", "psychotropic medications"),  # a heading inside the phrase
    ("IMPRESSION: stable.", "bone marrow suppression"),
    ("ACTIVE PROBLEMS: asthma", "relative"),
    ("Endoscopy: No esophagitis.", "erosive esophagitis"),
    ("Plan: cannabidiol oil trial", "cannabis"),
])
def test_a_hit_writes_the_whole_phrase_not_a_part_of_it(text, phrase):
    assert find_phrase(phrase, [_note(text)], 88) == []


@pytest.mark.parametrize("text,phrase,quoted", [
    ("research team will contact her about altitude study", "altitudes", "altitude"),
    ("COPD exacerbations x2 last winter", "exacerbation", "exacerbations"),
    ("Hx of alpha-1 antitrypsin deficiency", "alpha-1-antitrypsin deficient", "alpha-1 antitrypsin deficiency"),
])
def test_a_hit_may_differ_from_the_phrase_in_its_ending_or_hyphens(text, phrase, quoted):
    (hit,) = find_phrase(phrase, [_note(text)], 88)
    assert text[hit.start:hit.end].strip() == quoted
