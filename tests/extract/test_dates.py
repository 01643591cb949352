"""Dates: explicit and relative date mentions, and the date a fact applies to."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.dates import find_dates, nearest
from pipeline.extract.facts import extract_text

NOTE_DATE = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("on 2025-03-04", dt.date(2025, 3, 4)),
        ("on 03/04/2025", dt.date(2025, 3, 4)),
        ("in March 2025", dt.date(2025, 3, 1)),
        ("on March 4, 2025", dt.date(2025, 3, 4)),
        ("on 4 Mar 2025", dt.date(2025, 3, 4)),
        ("since 3/2024", dt.date(2024, 3, 1)),
        ("in 2019", dt.date(2019, 1, 1)),
        ("3 weeks ago", dt.date(2025, 5, 11)),
        ("two months ago", dt.date(2025, 4, 1)),
        ("yesterday", dt.date(2025, 5, 31)),
    ],
)
def test_find_dates_resolves_mention(text, expected):
    found = find_dates(text, NOTE_DATE)
    assert [d.date for d in found] == [expected]
    assert text[found[0].start:found[0].end] in text


@pytest.mark.parametrize("text", ["dose 1/2 tablet", "ratio 3/4", "BP 120/80"])
def test_find_dates_ignores_fractions(text):
    assert find_dates(text, NOTE_DATE) == []


def test_nearest_picks_closest_mention():
    found = find_dates("seen 2025-01-01, started drug on 2025-02-01", NOTE_DATE)
    assert nearest(found, 25, 29).date == dt.date(2025, 2, 1)


def test_fact_date_defaults_to_note_date():
    f = extract_text("ECOG 1.", date=NOTE_DATE)[0]
    assert f.date == NOTE_DATE and f.note_date == NOTE_DATE


def test_fact_date_from_same_sentence():
    f = [f for f in extract_text("MI in March 2010. ECOG 1.", date=NOTE_DATE) if f.concept == "myocardial_infarction"][0]
    assert f.date == dt.date(2010, 3, 1)


def test_fact_date_not_taken_from_other_sentence():
    f = [f for f in extract_text("CT on 2025-01-02. ECOG 1.", date=NOTE_DATE) if f.concept == "ecog"][0]
    assert f.date == NOTE_DATE


def test_therapy_start_and_last_dose_dates():
    f = [f for f in extract_text("Nivolumab started 2024-10-01, last dose 2025-03-01.", date=NOTE_DATE) if f.concept == "nivolumab"][0]
    assert f.therapy.start_date == dt.date(2024, 10, 1) and f.therapy.last_dose_date == dt.date(2025, 3, 1)


def test_dates_month_year_range_gives_both_ends():
    import datetime as _dt

    from pipeline.extract.dates import find_dates

    text = "nivolumab 09/2024-03/2025 with PD"
    found = [(text[d.start:d.end], d.date) for d in find_dates(text, _dt.date(2025, 8, 1), 0, len(text))]
    assert found == [("09/2024", _dt.date(2024, 9, 1)), ("03/2025", _dt.date(2025, 3, 1))]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Hx:\n- 2023 definitive CRT", [("2023", dt.date(2023, 1, 1))]),
        ("MI 2019 treated with PCI", [("2019", dt.date(2019, 1, 1))]),
        ("neck dissection 2023, adjuvant CRT", [("2023", dt.date(2023, 1, 1))]),
        ("nivolumab Feb-Apr 2025", [("Feb", dt.date(2025, 2, 1)), ("Apr 2025", dt.date(2025, 4, 1))]),
        ("last 5/15", [("5/15", dt.date(2025, 5, 15))]),
        ("scan 28/04", [("28/04", dt.date(2025, 4, 28))]),
        ("last dose 7/15", [("7/15", dt.date(2024, 7, 15))]),
    ],
)
def test_find_dates_bare_years_month_ranges_and_day_months(text, expected):
    found = find_dates(text, NOTE_DATE)
    assert [(text[d.start:d.end], d.date) for d in found] == expected


@pytest.mark.parametrize("text", ["ANC 2000, PLT 150", "Hb 2021.", "take 1/2 tablet", "goal 2030, later"])
def test_find_dates_bare_numbers_that_are_not_dates(text):
    assert find_dates(text, NOTE_DATE) == []


def test_fact_date_of_age_is_the_note_date():
    f = [f for f in extract_text("61-year-old man with hepatitis B (diagnosed 2010, untreated).", date=NOTE_DATE) if f.concept == "age"][0]
    assert f.date == NOTE_DATE


@pytest.mark.parametrize(
    "text,concept",
    [
        ("Hx:\n- 2023 definitive CRT (cisplatin x3)\n- recurrence 12/2024", "cisplatin"),
        ("Got nivolumab q4w Jan-Mar 2025 (last 3/15).", "nivolumab"),
        ("PMH: MI 2019 treated with PCI.", "myocardial_infarction"),
    ],
)
def test_fact_dated_by_a_bare_year_or_range_is_historical(text, concept):
    assert [f for f in extract_text(text, date=NOTE_DATE) if f.concept == concept][0].historical


def test_find_dates_year_after_an_indented_bullet():
    text = "Tx hx:\n - 2022 RT + weekly cetuximab"
    assert [text[d.start:d.end] for d in find_dates(text, NOTE_DATE, text.index("-"), len(text))] == ["2022"]


@pytest.mark.parametrize("text, note_date, expected", [
    ("dose increased Sat 06/02/2027 evening", dt.date(2027, 2, 8), dt.date(2027, 2, 6)),
    ("started 16/11/2026", dt.date(2026, 11, 30), dt.date(2026, 11, 16)),
    ("seen 03/04/2025", dt.date(2025, 9, 1), dt.date(2025, 3, 4)),
    ("seen 12/25/2024", dt.date(2025, 1, 5), dt.date(2024, 12, 25)),
])
def test_a_slash_date_is_read_day_first_only_when_month_first_gives_no_date_or_one_after_the_note(text, note_date,
                                                                                                    expected):
    assert [d.date for d in find_dates(text, note_date)] == [expected]


@pytest.mark.parametrize("text, note_date, expected", [
    ("dose increased 02/16/2026; screening set for 06/01/2026", dt.date(2026, 5, 18),
     [dt.date(2026, 2, 16), dt.date(2026, 6, 1)]),
    ("started 16/11/2026; review 06/01/2027", dt.date(2026, 11, 30), [dt.date(2026, 11, 16), dt.date(2027, 1, 6)]),
])
def test_a_note_that_writes_one_date_unambiguously_is_read_in_that_order_throughout(text, note_date, expected):
    assert [d.date for d in find_dates(text, note_date)] == expected
