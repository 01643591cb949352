"""The route of a drug: a listing may name it ('topical steroids', 'systemic corticosteroids', 'steroids (inhaled or
oral)'), and notes give it ("hydrocortisone 1% cream to face", "fluticasone inhaler"). A local treatment is no firm
evidence of a systemic drug."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text
from pipeline.extract.facts import extract_text

CREAM = "Meds: hydrocortisone 1% cream to face daily; emollients."
INHALER = "Meds: budesonide inhaler 2 puffs BID."
TABLETS = "Meds: prednisone 20 mg daily."


@pytest.mark.parametrize("line, route", [
    ("Topical steroids within 4 weeks", "local"),
    ("Systemic corticosteroids within 4 weeks", "systemic"),
    ("Steroids (inhaled or oral) within 4 weeks", "any"),
    ("Corticosteroids within 4 weeks", None),
])
def test_a_listing_records_the_route_it_names(line, route):
    (k,) = parse_criteria_text(f"Exclusion Criteria:\n- {line}\n").criteria[0].constraints
    assert k.attributes.get("route") == route


@pytest.mark.parametrize("text, local", [(CREAM, True), (INHALER, True), (TABLETS, False)])
def test_a_note_records_a_local_route(text, local):
    (f,) = [f for f in extract_text(text, date=dt.date(2025, 8, 20)) if f.therapy is not None]
    assert (f.therapy.route == "local") == local


@pytest.mark.parametrize("line, note, expected", [
    ("Immunosuppressive drugs within 4 weeks", CREAM, "not_met"),
    ("Corticosteroids within 4 weeks", CREAM, "unknown"),
    ("Topical steroids within 4 weeks", CREAM, "met"),
    ("Systemic corticosteroids within 4 weeks", INHALER, "not_met"),
    ("Systemic corticosteroids within 4 weeks", TABLETS, "met"),
    ("Steroids (inhaled or oral) within 4 weeks", INHALER, "met"),
])
def test_the_route_decides_which_mentions_count(line, note, expected):
    v = screened("Exclusion", line, note)
    assert v.verdict == expected, v.reason
