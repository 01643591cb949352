"""Specification of the shipped HELD-OUT cohort files (corpora/cohort_heldout/).

These tests validate the gold files only (offsets, concepts, statuses, formats); they say nothing about
the tool's accuracy on the set, which is measured with ``trialsieve evaluate cohort corpora/cohort_heldout``.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.evaluate import cohort as C
from pipeline.lexicon import load_lexicon
from pipeline.match.rank import status_of_verdict_map

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "corpora" / "cohort_heldout"
CRITERIA = [f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)]
VERDICTS = {"met", "not_met", "unknown", "not_computable"}


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (HELDOUT / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def notes() -> dict[str, dict]:
    return {n["note_id"]: n for n in _jsonl("notes.jsonl")}


@pytest.fixture(scope="module")
def gold_facts() -> list[dict]:
    return _jsonl("gold_facts.jsonl")


@pytest.fixture(scope="module")
def gold_patients() -> list[dict]:
    return _jsonl("gold_patients.jsonl")


_rule_status = status_of_verdict_map


def test_heldout_loads_with_the_cohort_loader():
    cohort = C.load_cohort(HELDOUT)
    assert len(cohort.notes) == len(_jsonl("notes.jsonl"))


def test_heldout_meta_names_the_reference_listing_and_dates():
    meta = json.loads((HELDOUT / "meta.json").read_text(encoding="utf-8"))
    assert meta == {"listing": "corpora/listings/NCT06935188.txt", "as_of": "2025-09-01", "first_dose": "2025-09-01"}


def test_heldout_annotation_is_the_development_concept_set():
    dev = json.loads((ROOT / "corpora" / "cohort" / "annotation.json").read_text(encoding="utf-8"))
    held = json.loads((HELDOUT / "annotation.json").read_text(encoding="utf-8"))
    assert held["concepts"] == dev["concepts"]


def test_heldout_size_and_dates(notes):
    patients = {n["patient_id"] for n in notes.values()}
    assert patients == {f"H{i:02d}" for i in range(1, 15)}
    assert 30 <= len(notes) <= 36
    assert all("2025-01-01" <= n["date"] <= "2025-08-31" for n in notes.values())


def test_heldout_note_lengths_are_80_to_400_words(notes):
    assert all(80 <= len(n["text"].split()) <= 400 for n in notes.values())


def test_heldout_csv_holds_the_same_notes(notes):
    with (HELDOUT / "notes.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["note_id"]: r for r in csv.DictReader(fh)}
    assert rows == {k: {f: str(v) for f, v in n.items()} for k, n in notes.items()}


def test_heldout_fact_spans_equal_note_text(notes, gold_facts):
    bad = [f for f in gold_facts if notes[f["note_id"]]["text"][f["start"]:f["end"]] != f["text"]]
    assert bad == []


def test_heldout_fact_patient_matches_note(notes, gold_facts):
    assert all(notes[f["note_id"]]["patient_id"] == f["patient_id"] for f in gold_facts)


def test_heldout_fact_concepts_are_annotated_and_in_lexicon(gold_facts):
    annotated = set(json.loads((HELDOUT / "annotation.json").read_text(encoding="utf-8"))["concepts"])
    lexicon = load_lexicon()
    concepts = {f["concept"] for f in gold_facts}
    assert concepts <= annotated
    assert [c for c in concepts if c not in lexicon] == []


def test_heldout_fact_spans_do_not_overlap_within_a_concept(gold_facts):
    seen: dict[tuple[str, str], list[tuple[int, int]]] = {}
    clashes = []
    for f in gold_facts:
        key = (f["note_id"], f["concept"])
        for s, e in seen.get(key, []):
            if s < f["end"] and f["start"] < e:
                clashes.append(f)
        seen.setdefault(key, []).append((f["start"], f["end"]))
    assert clashes == []


def test_heldout_fact_records_carry_every_assertion_flag(gold_facts):
    assert all(all(isinstance(f[flag], bool) for flag in C.ASSERTIONS) for f in gold_facts)


def test_heldout_negated_facts_are_not_also_historical(gold_facts):
    assert [f for f in gold_facts if f["negated"] and f["historical"]] == []


@pytest.mark.parametrize("concept, unit", [
    ("hemoglobin", "g/L"), ("platelets", "10^9/L"), ("total_bilirubin", "umol/L"),
    ("creatinine", "umol/L"), ("measurable_lesion", "mm"), ("age", "year"),
])
def test_heldout_numeric_values_use_canonical_units(gold_facts, concept, unit):
    valued = [f for f in gold_facts if f["concept"] == concept and isinstance(f["value"], (int, float))]
    assert valued and all(f["unit"] == unit for f in valued)


def test_heldout_every_patient_has_every_criterion(gold_patients):
    assert len(gold_patients) == 14
    for g in gold_patients:
        assert sorted(g["verdicts"]) == sorted(CRITERIA)
        assert set(g["verdicts"].values()) <= VERDICTS
        assert g["notes"]


def test_heldout_statuses_follow_the_verdict_rule(gold_patients):
    assert [(g["patient_id"], g["status"]) for g in gold_patients] == \
           [(g["patient_id"], _rule_status(g["verdicts"])) for g in gold_patients]


def test_heldout_status_mix_covers_all_three_statuses(gold_patients):
    counts = {s: sum(g["status"] == s for g in gold_patients) for s in C.STATUSES}
    assert all(n >= 3 for n in counts.values())


@pytest.mark.parametrize("criterion", ["I5", "E13", "E14"])
def test_heldout_judgement_criteria_are_not_computable(gold_patients, criterion):
    assert all(g["verdicts"][criterion] == "not_computable" for g in gold_patients)
