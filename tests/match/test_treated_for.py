"""A condition named as what a therapy is for ('no previous therapy for varices or ascites', 'ongoing treatment for
hepatitis C') is no item of its own: without the condition there was no such therapy; with it, whether it was
treated is left to a person."""
from __future__ import annotations

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text


def test_the_condition_after_therapy_for_is_marked_as_what_it_treats():
    listing = parse_criteria_text("Inclusion Criteria:\n- No previous therapy for ascites\n- Ascites\n")
    (first,), (second,) = (c.constraints for c in listing.criteria)
    assert first.context.treated_for and not second.context.treated_for


@pytest.mark.parametrize("section, line, note, expected", [
    ("Inclusion", "No previous therapy for ascites", "Cirrhosis with mild ascites, never treated.", "unknown"),
    ("Inclusion", "No previous therapy for ascites", "Cirrhosis, Child A. No ascites on ultrasound.", "met"),
    ("Exclusion", "Ongoing treatment for hepatitis C", "Chronic hepatitis C on sofosbuvir/velpatasvir.", "unknown"),
    ("Exclusion", "Ongoing treatment for hepatitis C", "PMH: hypertension. Hepatitis C antibody negative.", "not_met"),
])
def test_a_treated_condition_decides_only_when_absent(section, line, note, expected):
    v = screened(section, line, note)
    assert v.verdict == expected, v.reason
