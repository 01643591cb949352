"""Specification of the second HELD-OUT cohort files (corpora/cohort_heldout2/).

These tests validate the gold files only (offsets, concepts, verdicts, statuses, formats); they say
nothing about the tool's accuracy, which is measured once, at the end, with
``trialsieve evaluate cohort corpora/cohort_heldout2``.
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
FOLDER = ROOT / "corpora" / "cohort_heldout2"
CRITERIA = [f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)]
VERDICTS = {"met", "not_met", "unknown", "not_computable"}
FLAGS = ("negated", "historical", "hypothetical", "family", "uncertain")


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (FOLDER / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def notes() -> dict[str, dict]:
    return {n["note_id"]: n for n in _jsonl("notes.jsonl")}


@pytest.fixture(scope="module")
def gold_facts() -> list[dict]:
    return _jsonl("gold_facts.jsonl")


@pytest.fixture(scope="module")
def gold_patients() -> list[dict]:
    return _jsonl("gold_patients.jsonl")


@pytest.fixture(scope="module")
def annotated() -> set[str]:
    return set(json.loads((FOLDER / "annotation.json").read_text(encoding="utf-8"))["concepts"])


_expected_status = status_of_verdict_map


def test_heldout2_loads_with_the_cohort_loader():
    cohort = C.load_cohort(FOLDER)
    assert (len({n.patient_id for n in cohort.notes}), len(cohort.gold_patients)) == (12, 12)


def test_heldout2_meta_names_the_reference_listing_and_dates():
    meta = json.loads((FOLDER / "meta.json").read_text(encoding="utf-8"))
    assert meta == {"listing": "corpora/listings/NCT06935188.txt", "as_of": "2025-09-01", "first_dose": "2025-09-01"}


def test_heldout2_has_between_26_and_32_notes_dated_february_to_august_2025(notes):
    assert 26 <= len(notes) <= 32
    assert all("2025-02-01" <= n["date"] <= "2025-08-31" for n in notes.values())


def test_heldout2_notes_csv_holds_the_same_records_as_jsonl(notes):
    with (FOLDER / "notes.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["note_id"]: r for r in csv.DictReader(fh)}
    assert rows == notes


def test_heldout2_gold_span_text_equals_note_text_at_offsets(notes, gold_facts):
    bad = [f for f in gold_facts if notes[f["note_id"]]["text"][f["start"]:f["end"]] != f["text"]]
    assert bad == []


def test_heldout2_gold_fact_patient_matches_its_note(notes, gold_facts):
    assert all(notes[f["note_id"]]["patient_id"] == f["patient_id"] for f in gold_facts)


def test_heldout2_gold_concepts_are_annotated_and_in_the_lexicon(gold_facts, annotated):
    lexicon = load_lexicon()
    concepts = {f["concept"] for f in gold_facts}
    assert concepts <= annotated
    assert [c for c in sorted(concepts) if c not in lexicon] == []


def test_heldout2_annotation_json_matches_the_development_cohort(annotated):
    dev = json.loads((ROOT / "corpora" / "cohort" / "annotation.json").read_text(encoding="utf-8"))
    assert annotated == set(dev["concepts"])


def test_heldout2_gold_facts_carry_every_assertion_flag_as_bool(gold_facts):
    assert all(isinstance(f[flag], bool) for f in gold_facts for flag in FLAGS)


def test_heldout2_gold_spans_do_not_overlap_within_a_note(gold_facts):
    by_note: dict[str, list[tuple[int, int]]] = {}
    for f in gold_facts:
        by_note.setdefault(f["note_id"], []).append((f["start"], f["end"]))
    overlaps = [(nid, a, b) for nid, spans in by_note.items()
                for a, b in zip(sorted(spans), sorted(spans)[1:]) if b[0] < a[1]]
    assert overlaps == []


def test_heldout2_every_patient_has_a_verdict_for_each_criterion(gold_patients):
    assert all(sorted(p["verdicts"], key=CRITERIA.index) == CRITERIA for p in gold_patients)
    assert all(set(p["verdicts"].values()) <= VERDICTS for p in gold_patients)


@pytest.mark.parametrize("criterion", ["I5", "E13", "E14"])
def test_heldout2_judgement_criteria_are_not_computable(gold_patients, criterion):
    assert {p["verdicts"][criterion] for p in gold_patients} == {"not_computable"}


def test_heldout2_status_follows_the_verdict_rule(gold_patients):
    assert [p["patient_id"] for p in gold_patients if p["status"] != _expected_status(p["verdicts"])] == []


def test_heldout2_status_distribution_is_mixed(gold_patients):
    counts = {s: sum(p["status"] == s for p in gold_patients) for s in C.STATUSES}
    assert counts == {"eligible": 4, "needs_review": 3, "ineligible": 5}


def test_heldout2_every_patient_has_a_one_line_note(gold_patients):
    assert all(p["notes"] and "\n" not in p["notes"] for p in gold_patients)
