"""The trial's own condition named in an exclusion: every patient has it, so the exclusion asks something beside it
(an earlier episode, a form named by another item, a treatment for it), never the condition itself."""
from __future__ import annotations

import datetime as dt

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract
from pipeline.match.matcher import match_trial
from pipeline.match.own_condition import episodes
from pipeline.schema import Note

from .match_builders import fact, note

STROKE_TRIAL = ("Inclusion Criteria:\n- Depression after stroke\n\n"
                "Exclusion Criteria:\n- Dementia or previous stroke\n")
PSORIASIS_TRIAL = ("Inclusion Criteria:\n- Chronic plaque psoriasis\n\n"
                   "Exclusion Criteria:\n- Form of psoriasis other than chronic plaque psoriasis\n"
                   "- Ongoing use of other psoriasis treatment including corticosteroids\n")


def _verdicts(listing: str, *texts: str) -> dict[str, tuple[str, str]]:
    notes = [Note(patient_id="p", note_id=f"n{i}", date=dt.date(2026, 8, 1) + dt.timedelta(days=i),
                  note_type="progress note", text=t) for i, t in enumerate(texts)]
    (result,) = match_trial(parse_criteria_text(listing), notes, list(extract(notes)), as_of=dt.date(2026, 9, 1))
    return {v.criterion_id: (v.verdict, v.reason) for v in result.criteria}


def test_the_stroke_the_trial_is_for_is_not_a_previous_stroke():
    verdict, reason = _verdicts(STROKE_TRIAL, "Depression since his ischemic stroke in 03/2025. No dementia.")["E1"]
    assert verdict == "not_met" and "one episode" in reason


def test_a_stroke_dated_years_before_the_index_one_is_checked():
    verdict, reason = _verdicts(
        STROKE_TRIAL, "Depression since his ischemic stroke in 03/2025. Old infarct from a known 2016 stroke.")["E1"]
    assert verdict == "unknown" and "earlier episode" in reason


def test_undated_mentions_add_no_episode():
    own = [fact(note("Ischemic stroke 03/2025. s/p stroke, L hemiparesis."), "stroke", "stroke", occurrence=i)
           for i in range(2)]
    assert len(episodes(own)) <= 1


def test_the_trial_condition_beside_other_items_leaves_them_to_decide():
    text = "Chronic plaque psoriasis, BSA 12%. Topical steroids stopped a year ago; no systemic therapy."
    assert _verdicts(PSORIASIS_TRIAL, text)["E2"][0] == "not_met"


def test_an_exception_written_word_for_word_is_the_patients_form():
    verdict, reason = _verdicts(PSORIASIS_TRIAL, "Chronic plaque psoriasis since 2015, BSA 12%.")["E1"]
    assert verdict == "not_met" and "exception" in reason


def test_the_trial_condition_alone_with_items_never_named_is_no_silence():
    # "other psoriasis treatment" names nothing the notes mention: the patient's psoriasis alone clears nothing
    listing = "Inclusion Criteria:\n- Psoriasis\n\nExclusion Criteria:\n- Guttate psoriasis or erythrodermic flares\n"
    assert _verdicts(listing, "Psoriasis since 2015, on no treatment.")["E1"][0] == "unknown"


def test_the_trial_condition_joined_to_an_event_leaves_the_event_to_decide():
    # "History of COPD exacerbation requiring hospitalization": the exacerbation is asked, not a second COPD
    listing = ("Inclusion Criteria:\n- COPD\n\nExclusion Criteria:\n"
               "- History of COPD exacerbation requiring hospitalization\n")
    verdict, _ = _verdicts(listing, "COPD GOLD 3. Exacerbation requiring hospitalization in 03/2025.")["E1"]
    assert verdict != "not_met"
