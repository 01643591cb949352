"""Ages in criteria: "N years old" names the patient's age only when it describes a person."""
from __future__ import annotations

import pytest

from pipeline.extract.criteria import parse_criteria_text


def _ages(criterion_text: str) -> list[tuple[str, float]]:
    trial = parse_criteria_text("Inclusion Criteria:\n* " + criterion_text)
    return [(c.comparator, c.value) for crit in trial.criteria for c in crit.constraints if c.concept == "age"]


@pytest.mark.parametrize(
    "text",
    [
        "Availability of tumor tissue (paraffin specimens less than 2 years old or fresh tumor tissue)",
        "Archival tissue block no more than 3 years old",
        "Imaging studies less than 6 months old",
    ],
)
def test_criteria_age_of_a_thing_is_not_patient_age(text):
    assert _ages(text) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Patients less than 75 years old", ("<", 75.0)),
        ("18 years or older", (">=", 18.0)),
        ("Subjects must be at least 18 years old", (">=", 18.0)),
    ],
)
def test_criteria_age_of_a_person_is_kept(text, expected):
    assert expected in _ages(text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Men and women 18 years old or older", (">=", 18.0)),
        ("Male subjects 40 years of age or younger", ("<=", 40.0)),
    ],
)
def test_criteria_age_comparator_after_years_old(text, expected):
    assert _ages(text) == [expected]


@pytest.mark.parametrize(
    "text,sex",
    [("Female patients 18 to 65 years old", "female"), ("Male subjects 40 years of age or younger", "male"),
     ("Men and women 18 years or older", "all")],
)
def test_criteria_sex_named_by_a_person_word(text, sex):
    trial = parse_criteria_text("Inclusion Criteria:\n* " + text)
    assert [(c.comparator, c.value) for crit in trial.criteria for c in crit.constraints if c.concept == "sex"] == [("==", sex)]


def test_criteria_sex_beside_other_requirements_only_says_whom_it_applies_to():
    trial = parse_criteria_text("Inclusion Criteria:\n* Female patients of reproductive potential must have a negative pregnancy test")
    (sex,) = [c for crit in trial.criteria for c in crit.constraints if c.concept == "sex"]
    assert sex.comparator == "present" and sex.value is None and sex.attributes["applies_to"] == "female"
