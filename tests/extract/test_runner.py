"""Extraction note by note: long notes in bounded pieces with exact offsets, one note's failure isolated."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import runner
from pipeline.extract.runner import NoteFailure, extract_each, note_facts, piece_bounds
from pipeline.schema import Note

FILLER = "Patient seen in clinic today, doing well with a good appetite. " * 30 + "\n\n"


def _note(text: str, pid: str = "P1", nid: str = "N1") -> Note:
    return Note(patient_id=pid, note_id=nid, date=dt.date(2025, 3, 1), text=text)


@pytest.mark.parametrize("text", ["", "short", FILLER * 20, "x" * 45_001, ("word " * 9_000 + ". ") * 3])
def test_piece_bounds_cover_the_text_in_bounded_pieces(text):
    bounds = piece_bounds(text, size=10_000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(0 < e - s <= 10_000 for s, e in bounds) or text == ""


def test_piece_bounds_cut_at_paragraph_breaks_when_there_are_some():
    text = FILLER * 20
    assert all(text[e - 2:e] == "\n\n" for _, e in piece_bounds(text, size=10_000)[:-1])


def test_note_facts_of_a_long_note_quote_the_original_text():
    text = FILLER * 40 + "62-year-old man, ECOG 1. No history of HIV.\n\n" + FILLER * 40 + "Platelets 150 x10^9/L.\n"
    assert len(text) > 4 * runner.PIECE_CHARS
    facts = note_facts(_note(text))
    assert {"ecog", "hiv", "platelets"} <= {f.concept for f in facts}
    for f in facts:
        assert text[f.start:f.end] == f.text
        assert all(text[c.start:c.end] == c.text for c in f.cues)
    (hiv,) = [f for f in facts if f.concept == "hiv"]
    assert hiv.negated and hiv.start > runner.PIECE_CHARS


def test_note_facts_of_a_note_longer_than_spacys_limit():
    text = FILLER * (1_100_000 // len(FILLER)) + "ECOG 2."
    assert len(text) > 1_000_000
    (ecog,) = [f for f in note_facts(_note(text)) if f.concept == "ecog"]
    assert text[ecog.start:ecog.end] == ecog.text and ecog.start > 1_000_000


def test_extract_each_isolates_a_failing_note(monkeypatch):
    real = runner.note_facts

    def boom(note, user_entries=()):
        if note.note_id == "BAD":
            raise UnicodeEncodeError("utf-8", "secret note text", 0, 1, "surrogates not allowed")
        return real(note, user_entries)

    monkeypatch.setattr(runner, "note_facts", boom)
    notes = [_note("ECOG 1."), _note("ECOG 2.", nid="BAD"), _note("ECOG 3.", nid="N3")]
    out = list(extract_each(notes))
    assert [n.note_id for n, _ in out] == ["N1", "BAD", "N3"]
    assert out[1][1] == NoteFailure("UnicodeEncodeError")
    assert [f.value for f in out[2][1] if f.concept == "ecog"] == [3.0]
