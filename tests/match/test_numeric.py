"""Sizes in one imaging report: the current size decides, an earlier size quoted for comparison and
sizes of non-target things do not; one lesion of qualifying size makes the disease measurable."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import constraint, fact, note, verdict_of


def _measurable(text: str, sizes: list[tuple[str, float]]) -> str:
    n = note(text, note_type="radiology")
    facts = [fact(n, q, "measurable_lesion", value=v, unit="mm") for q, v in sizes]
    return verdict_of(constraint("I1.c1", "measurable_lesion", comparator=">=", value=10.0, unit="mm"), [n], facts).verdict


@pytest.mark.parametrize("text,sizes,expected", [
    ("Mass now measures 3.1 x 2.2 cm (previously 0.8 x 0.6 cm).", [("3.1 x 2.2 cm", 31.0), ("0.8 x 0.6 cm", 8.0)], "met"),
    ("Node decreased to 0.7 cm short axis (was 1.3 cm).", [("0.7 cm", 7.0), ("1.3 cm", 13.0)], "not_met"),
    ("Deposit has increased to 2.6 cm (from 0.9 cm).", [("2.6 cm", 26.0), ("0.9 cm", 9.0)], "met"),
    ("Nodule increased from 8 to 25 mm.", [("8", 8.0), ("25 mm", 25.0)], "met"),
    ("Lesion 2.8 x 2.3 cm, previously 2.3 x 2.0 cm.", [("2.8 x 2.3 cm", 28.0), ("2.3 x 2.0 cm", 23.0)], "met"),
    ("Nodule now 18 x 15 mm. New nodule 7 mm.", [("18 x 15 mm", 18.0), ("7 mm", 7.0)], "met"),
    ("Nodule 6 mm. Simple renal cyst 2.5 cm.", [("6 mm", 6.0), ("2.5 cm", 25.0)], "not_met"),
    ("Biopsy: largest fragment 1.2 cm. Residual nodule 5 mm.", [("1.2 cm", 12.0), ("5 mm", 5.0)], "not_met"),
])
def test_numeric_measurable_lesion_current_target_size_decides(text, sizes, expected):
    assert _measurable(text, sizes) == expected


def test_numeric_conflicting_lab_values_on_one_day_stay_unknown():
    n = note("Platelets 80. Platelets 150.")
    facts = [fact(n, "Platelets 80", "platelets", value=80.0), fact(n, "Platelets 150", "platelets", value=150.0)]
    assert verdict_of(constraint("I1.c1", "platelets", comparator=">=", value=100.0), [n], facts).verdict == "unknown"


PRED_CRIT = "Pulmonary function: if baseline FEV1 < 2 L then FEV1 > 800 ml expected post-surgery as assessed by a surgical specialist."


@pytest.mark.parametrize("kind,text,expected", [
    ("inclusion", "Spirometry: FEV1 1.1 L (38% predicted).", "not_met"),
    ("exclusion", "Spirometry: FEV1 1.1 L (38% predicted).", "unknown"),
    ("inclusion", "Thoracic surgery: predicted postoperative FEV1 1.1 L.", "met"),
])
def test_numeric_predicted_value_is_not_answered_by_a_measured_one(kind, text, expected):
    from match_builders import criterion, trial

    from match_builders import match_extracted as match_trial

    s = PRED_CRIT.index("FEV1 > 800")
    c = constraint("I1.c1", "fev1", comparator=">", value=800.0, unit="mL", text="FEV1").model_copy(update={"start": s, "end": s + 4})
    cr = criterion("I1" if kind == "inclusion" else "E1", kind, [c], text=PRED_CRIT, category="laboratory")
    n = note(text)
    (r,) = match_trial(trial(cr), [n], [fact(n, "FEV1", "fev1", value=1.1, unit="L")], as_of=dt.date(2025, 9, 1))
    assert r.criteria[0].verdict == expected


def test_a_threshold_outside_what_the_lab_can_measure_goes_to_review_not_against_every_patient():
    """'creatinine > 25 mg/dl' (a wrong unit or a typo in the listing) is 2,210 umol/L: beyond any creatinine."""
    from match_builders import AS_OF, constraint, criterion, fact, match_extracted, note, trial

    n = note("Labs: creatinine 1.1 mg/dL.", note_type="progress")
    f = fact(n, "creatinine", "creatinine", value=97.2, unit="umol/L")
    for value, unit, expected in ((25.0, "mg/dL", "unknown"), (2.5, "mg/dL", "not_met")):
        c = constraint("E1.c1", "creatinine", comparator=">", value=value, unit=unit, text="creatinine")
        t = trial(criterion("E1", "exclusion", [c], text="creatinine"))
        (r,) = [r for r in match_extracted(t, [n], [f], as_of=AS_OF) if r.patient_id == "p1"]
        assert r.criteria[0].verdict == expected, r.criteria[0].reason


@pytest.mark.parametrize("note, verdict", [
    ("Meds: prednisone 5 mg daily.", "not_met"),
    ("Meds: prednisone 10 mg bd.", "met"),
])
def test_a_daily_dose_limit_is_read_from_the_medication_line(note, verdict):
    from match_builders import screened
    v = screened("Exclusion", "Prednisone > 10 mg/day", note)
    assert v.verdict == verdict, v.reason
