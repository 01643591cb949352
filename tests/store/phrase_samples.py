"""Sample phrases for the phrase-search tests (extract and store)."""
from __future__ import annotations

import re

from pipeline.io.notes import read_notes
from pipeline.resources import corpora_path

PHRASES = ["interstitial lung disease", "lung", "proliferative retinopathy", "hepatitis B virus infection",
           "allogeneic stem cell transplant", "squamous cell carcinoma", "uncontrolled pleural effusion",
           "cisplatin", "brain metastases", "active tuberculosis", "HIV", "known history of pneumonitis"]


def far_apart_words(notes, n=12):
    """Phrases of two words that stand far apart in a cohort sentence (the second made plural): only the word
    test of the phrase search finds them."""
    out = []
    for note in notes:
        for sentence in re.split(r"[.;\n]", note.text.lower()):
            words = [w for w in re.findall(r"[a-z]+", sentence) if len(w) > 5]
            if len(words) >= 6 and len(out) < n:
                out.append(f"{words[0]} {words[-1]}s")
    return out


def read_cohort_notes():
    notes, problems = read_notes(corpora_path("cohort", "notes.jsonl"))
    assert not problems
    return notes


def notes_by_patient(notes) -> dict[str, list]:
    out: dict[str, list] = {}
    for n in notes:
        out.setdefault(n.patient_id, []).append(n)
    return out
