"""A criterion that names where metastases are ('bone metastases', 'liver metastases') is decided by the sites the
notes give their mentions: metastases placed elsewhere are not those, and "no bone mets" denies only bone ones."""
from __future__ import annotations

import datetime as dt

import pytest
from match_builders import screened

from pipeline.extract.facts import extract
from pipeline.schema import Note


def _sites(text: str) -> list[tuple[str, str | None, bool]]:
    note = Note(patient_id="p", note_id="n", date=dt.date(2025, 8, 20), note_type="progress note", text=text)
    return [(f.text, f.site, f.negated) for f in extract([note]) if f.concept == "metastatic_disease"]


def test_a_metastasis_mention_records_the_site_written_beside_it():
    assert _sites("Liver mets enlarging. No bone mets on PET.") == [("mets", "liver", False), ("mets", "bone", True)]


def test_a_denial_at_one_site_does_not_contradict_metastases_at_another():
    v = screened("Inclusion", "Metastatic disease", "Metastatic carcinoid: liver mets, enlarging. No bone mets.")
    assert v.verdict == "met", v.reason


@pytest.mark.parametrize("note, expected", [
    ("Metastatic carcinoid: liver and nodal mets. No bone mets.", "not_met"),
    ("Metastatic carcinoid with liver mets.", "not_met"),
    ("Metastatic carcinoid, on octreotide.", "unknown"),
    ("Metastatic carcinoid, bone mets only (T7, L2).", "met"),
])
def test_an_exclusion_of_metastases_at_a_site_needs_them_there(note, expected):
    v = screened("Exclusion", "Patients with bone metastases as the only site of disease", note)
    assert v.verdict == expected, v.reason
