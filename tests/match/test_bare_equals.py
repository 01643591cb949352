"""A bare '=' before a limit ('WBC=3.0x10^9/L') has usually lost a >= or <= (Chia's text, PDFs).

The side is read from the measure's normal range (a limit below it is a floor, above it a ceiling; an
inclusion keeps the normal side, an exclusion the other) and may only clear a patient: a value on the
other side goes to review, never to ineligible."""
from __future__ import annotations

import pytest
from match_builders import screened


def _verdict(section: str, criterion: str, note_text: str) -> tuple[str, str]:
    v = screened(section, criterion, note_text)
    return v.verdict, v.reason


@pytest.mark.parametrize("criterion, note, verdict", [
    ("WBC=3.0x10^9/L", "Labs: WBC 5.6 x10^9/L.", "met"),
    ("WBC=3.0x10^9/L", "Labs: WBC 2.1 x10^9/L.", "unknown"),
    ("Hb=100g/L", "Labs: hemoglobin 118 g/L.", "met"),
    ("bilirubin=1.5x upper limit of normal", "Labs: total bilirubin 10 umol/L.", "met"),
    ("bilirubin=1.5x upper limit of normal", "Labs: total bilirubin 45 umol/L.", "unknown"),
    ("Presence of measurable lesions (=10mm on CT scan)", "CT: measurable target lesion in the liver, 17 mm.", "met"),
])
def test_an_inclusion_keeps_the_normal_side_of_a_bare_equals(criterion, note, verdict):
    assert _verdict("Inclusion", criterion, note)[0] == verdict


def test_the_reason_says_how_the_sign_was_read():
    assert "read as >= (a floor)" in _verdict("Inclusion", "WBC=3.0x10^9/L", "Labs: WBC 5.6 x10^9/L.")[1]


@pytest.mark.parametrize("note, verdict", [
    ("Labs: ALT 30 U/L.", "not_met"),
    ("Labs: ALT 200 U/L.", "unknown"),
])
def test_an_exclusion_takes_the_other_side_and_never_excludes_on_a_guess(note, verdict):
    assert _verdict("Exclusion", "ALT = 3 x ULN", note)[0] == verdict


def test_a_limit_inside_the_normal_range_stays_unread():
    verdict, reason = _verdict("Inclusion", "glucose = 5 mmol/L", "Labs: glucose 5.5 mmol/L.")
    assert verdict == "unknown" and "often a lost >= or <=" in reason
