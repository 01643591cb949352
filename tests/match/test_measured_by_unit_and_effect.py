"""A unit can name what is measured: 'urinary protein > 3.5 gm/day' is the 24-hour urine collection's protein,
which the notes report in that unit; and drug classes named by effect resolve to their members."""
from __future__ import annotations

import pytest
from match_builders import screened


def _verdict(section: str, criterion: str, text: str) -> tuple[str, str]:
    v = screened(section, criterion, text)
    return v.verdict, v.reason


@pytest.mark.parametrize("text, verdict", [
    ("Labs: 24-h urine protein 5.8 g/day (collection 2.4 L).", "met"),
    ("Labs: 24-h urine protein 450 mg/24h.", "not_met"),
])
def test_a_daily_amount_is_read_from_the_timed_collection(text, verdict):
    assert _verdict("Exclusion", "Nephrotic range proteinuria (urinary protein > 3.5 gm/day)", text)[0] == verdict


@pytest.mark.parametrize("criterion, text, verdict", [
    ("Concomitant medications known to prolong the QT interval", "Meds: ondansetron 8 mg prn, metformin.", "met"),
    ("Concomitant medications known to prolong the QT interval", "Meds: metformin 500 mg bid, lisinopril.", "not_met"),
    ("Use of CNS depressants", "Meds: zolpidem 10 mg qhs.", "met"),
    ("Use of CNS depressants", "Meds: oxycodone 5 mg q6h prn pain.", "met"),
])
def test_drug_classes_named_by_effect_resolve_to_their_members(criterion, text, verdict):
    assert _verdict("Exclusion", criterion, text)[0] == verdict
