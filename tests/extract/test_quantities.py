"""The quantities vocabulary (models/rules/quantities.json): one validated file of number words,
comparators and units, read the same way by listing parsing and by note parsing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.errors import ModelDataError
from pipeline.extract.criteria_values import comparator_of as criterion_comparator
from pipeline.extract.criteria_values import find_values, parse_number
from pipeline.extract.dates import find_dates
from pipeline.extract.quantities import (
    Quantities,
    comparator_of,
    comparator_phrases,
    quantities,
    time_unit_of,
)
from pipeline.extract.values import duration_value
from pipeline.resources import models_path
from pipeline.rulefile import read_json

Q = quantities()
NOTE_DATE = dt.date(2025, 3, 31)
LEAD = "life expectancy "


def test_quantities_file_validates():
    q = read_json(models_path("rules", "quantities.json"), Quantities)
    assert q.number_words["twelve"] == 12
    assert set(q.comparators) == {">=", "<=", ">", "<", "=="}
    assert set(q.time_units.values()) == {"day", "week", "month", "year", "hour"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"number_word": {"one": 1}}, "number_word"),  # a typo in a key
        ({"time_units": {"weeks?": "fortnight"}}, "time_units"),  # an unknown canonical unit
        ({"extra_units": ["mg("]}, "extra_units"),  # a regex that does not compile
        ({"ambiguous_comparators": ["circa"]}, "circa"),  # an ambiguous word that is no comparator
    ],
)
def test_quantities_file_rejects_bad_entries_naming_the_file(tmp_path, change, message):
    data = json.loads(models_path("rules", "quantities.json").read_text(encoding="utf-8"))
    data.update(change)
    path = tmp_path / "quantities.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelDataError) as err:
        read_json(path, Quantities)
    assert "E020" in str(err.value) and str(path) in str(err.value)
    assert message in str(err.value.__cause__)  # the validation error names the entry


@pytest.mark.parametrize("word", sorted(Q.number_words))
def test_quantities_number_word_is_the_same_number_in_criteria_and_notes(word):
    expected = Q.number_words[word]
    assert parse_number(word) == expected
    v = duration_value(LEAD + f"of {word} years", len(LEAD), len(LEAD) + 40)
    assert v is not None and v.attributes["raw_value"].startswith(word)
    assert (
        v.value == duration_value(LEAD + f"of {expected:g} years", len(LEAD), len(LEAD) + 40).value
    )


@pytest.mark.parametrize(
    "word", sorted(w for w in {**Q.number_words, **Q.indefinite_numbers} if w != "zero")
)
def test_quantities_number_word_dates_a_relative_mention(word):
    n = int({**Q.number_words, **Q.indefinite_numbers}[word])
    (d,) = find_dates(f"Seen {word} days ago.", NOTE_DATE)
    assert d.relative and d.date == NOTE_DATE - dt.timedelta(days=n)


def test_quantities_indefinite_count_gives_no_duration():
    assert duration_value(LEAD + "of several months", len(LEAD), len(LEAD) + 40) is None


@pytest.mark.parametrize("phrase", comparator_phrases((">=", "<=", ">", "<")))
def test_quantities_comparator_reads_the_same_in_criteria_and_notes(phrase):
    op = comparator_of(phrase)
    assert op == criterion_comparator(phrase)
    v = duration_value(LEAD + f"{phrase} 6 months", len(LEAD), len(LEAD) + 60)
    assert v is not None and v.attributes["comparator"] == op


@pytest.mark.parametrize(
    "surface, unit",
    [("3 wks", "week"), ("2 mos", "month"), ("10 d", "day"), ("1 yr", "year"), ("36 hrs", "hour")],
)
def test_quantities_time_unit_is_the_same_in_criteria_and_notes(surface, unit):
    assert time_unit_of(surface.split()[1]) == unit
    text = f"at least {surface}"
    values = find_values(text, 0, len(text), [])
    assert [(v.kind, v.unit) for v in values] == [("time", unit)]
