"""Hand-built records for the review-page tests: two patients, a tricky note, evidence with a cue."""
from __future__ import annotations

import datetime as dt

from pipeline.match.matcher import match_trial
from pipeline.schema import Constraint, Criterion, Cue, Fact, Note, PatientResult, TrialCriteria

AS_OF = dt.date(2025, 9, 1)
NOTE_A = ("Screening note <b>bold?</b> & <script>window.__pwned = 1</script>\r\n"
          "PMH: hypertension. No history of tuberculosis.\n"
          "Labs: platelets 180 x10^9/L.")
NOTE_B = "Follow-up \U0001F600\U0001FA7A \U0001D538 caf\u00e9. Platelets 60 x10^9/L today."
"""Astral characters (emoji, mathematical letters: two UTF-16 units each) before the evidence."""
NOTE_ID = "N1"
"""Both patients' notes are numbered N1: note ids are unique within a patient only."""


def _fact(note: Note, quote: str, concept: str, **kw) -> Fact:
    start = note.text.index(quote)
    return Fact(patient_id=note.patient_id, note_id=note.note_id, date=note.date, note_date=note.date, concept=concept,
                text=quote, start=start, end=start + len(quote), **kw)


def build() -> tuple[TrialCriteria, list[PatientResult], list[Note], list[Fact]]:
    a = Note(patient_id="PA", note_id=NOTE_ID, date=dt.date(2025, 8, 25), note_type="screening", text=NOTE_A)
    b = Note(patient_id="PB", note_id=NOTE_ID, date=dt.date(2025, 8, 26), note_type="progress", text=NOTE_B)
    cue_start = NOTE_A.index("No history of")
    facts = [
        _fact(a, "tuberculosis", "tuberculosis", negated=True,
              cues=[Cue(category="NEGATED_EXISTENCE", text="No history of", start=cue_start, end=cue_start + 13)]),
        _fact(a, "platelets 180 x10^9/L", "platelets", value=180.0, unit="10^9/L"),
        _fact(b, "Platelets 60 x10^9/L", "platelets", value=60.0, unit="10^9/L"),
    ]
    text = "Platelets >= 100 <x10^9/L>\nHistory of active tuberculosis"
    criteria = [
        Criterion(id="I1", kind="inclusion", text="Platelets >= 100 <x10^9/L>", start=0, end=26, computable=True, category="laboratory",
                  constraints=[Constraint(id="I1.c1", concept="platelets", text="Platelets >= 100", start=0, end=16, comparator=">=", value=100.0, unit="10^9/L")]),
        Criterion(id="E1", kind="exclusion", text="History of active tuberculosis", start=27, end=57, computable=True, category="infection",
                  constraints=[Constraint(id="E1.c1", concept="tuberculosis", text="tuberculosis", start=45, end=57)]),
    ]
    trial = TrialCriteria(trial_id="NCT00000001", source="<test>", title="Test & <trial>", text=text, criteria=criteria)
    results = match_trial(trial, [a, b], facts, as_of=AS_OF)
    return trial, results, [a, b], facts
