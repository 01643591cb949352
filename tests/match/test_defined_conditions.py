"""A condition defined by measured limits in brackets ('anemia (hemoglobin < 9 g/dL)', 'renal impairment
(creatinine clearance < 30 mL/min)'): the values decide, whether or not the notes name the condition; when no
value is documented, a history without the condition still clears an exclusion."""
from __future__ import annotations

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text


def _verdict(criterion: str, text: str) -> str:
    return screened("Exclusion", criterion, text).verdict


@pytest.mark.parametrize("criterion, text, verdict", [
    ("Anemia (hemoglobin < 9 g/dL)", "Labs: Hb 8.1 g/dL.", "met"),
    ("Anemia (hemoglobin < 9 g/dL)", "Known anemia. Labs: Hb 10.4 g/dL.", "not_met"),
    ("Renal impairment (creatinine clearance < 30 mL/min)", "Labs: CrCl 24 mL/min.", "met"),
    ("Renal impairment (creatinine clearance < 30 mL/min)", "PMH: hypertension. No kidney disease.", "not_met"),
    ("Uncontrolled Diabetes (Hemoglobin A1C > 7.5)", "PMH: DM2. HbA1c 8.3% in April.", "met"),
    # a treatment marking the same severity beside the limit: the limit or the treatment decides
    ("Renal failure (eGFR < 30 or requiring dialysis)", "CKD stage 3b. eGFR 43 mL/min/1.73m2.", "not_met"),
    ("Renal failure (eGFR < 30 or requiring dialysis)", "ESRD, eGFR 9 mL/min/1.73m2, on hemodialysis.", "met"),
])
def test_the_values_decide_and_the_condition_clears_only_without_them(criterion, text, verdict):
    assert _verdict(criterion, text) == verdict


def test_the_condition_is_kept_out_of_the_tree_as_a_fallback():
    crit = parse_criteria_text("Exclusion Criteria:\n- Anemia (hemoglobin < 9 g/dL)\n").criteria[0]
    anemia, hb = crit.constraints
    assert anemia.attributes.get("defined_by") == "values" and crit.logic.args == [hb.id]


def test_a_bracket_with_a_test_result_does_not_define_the_condition():
    crit = parse_criteria_text("Exclusion Criteria:\n- Hepatitis B infection (HBsAg positive)\n").criteria[0]
    assert not any(k.attributes.get("defined_by") for k in crit.constraints)
