"""A later mention of a test without a result may be a pending repeat; named again in the result's own sentence
it is the same test."""
from __future__ import annotations

import datetime as dt

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract, extract_text
from pipeline.match.matcher import match_trial
from pipeline.schema import Note

TRIAL = parse_criteria_text("Inclusion Criteria:\n- HBsAg positive\n")


def _verdict(*texts: str) -> str:
    notes = [Note(patient_id="p", note_id=f"n{i}", date=dt.date(2025, 8, 1 + i), note_type="lab report", text=t)
             for i, t in enumerate(texts)]
    (r,) = match_trial(TRIAL, notes, list(extract(notes)), as_of=dt.date(2025, 9, 1))
    return next(c.verdict for c in r.criteria if c.criterion_id == "I1")


def test_the_same_test_named_again_in_its_sentence_is_not_pending():
    assert _verdict("HBsAg: reactive (repeatedly), quantitative HBsAg 86 IU/mL.") == "met"


def test_a_later_note_naming_the_test_without_a_result_is_pending():
    assert _verdict("HBsAg: reactive.", "Labs drawn today: HBsAg, LFTs.") == "unknown"


def test_target_not_detected_is_an_undetectable_viral_load():
    (f,) = [f for f in extract_text("HBV DNA (PCR)   Target not detected (LLOQ 10 IU/mL)", date=dt.date(2025, 9, 1))
            if f.concept == "hbv_dna"]
    assert f.value == "undetectable"
