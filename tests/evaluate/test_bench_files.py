"""Specification of the multi-trial benchmark's files (corpora/bench/): every trial folder is complete and its
gold judges every numbered criterion of every patient. Format only; accuracy is measured by
``trialsieve evaluate cohort corpora/bench/<part>``."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "corpora" / "bench"
FOLDERS = sorted(p.parent for p in ROOT.rglob("meta.json"))
VERDICTS = {"met", "not_met", "unknown", "not_computable"}
STATUSES = {"eligible", "ineligible", "needs_review"}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_benchmark_has_fourteen_parts_of_at_least_three_trials():
    parts = {f.parent.name for f in FOLDERS}
    assert parts == {"dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7",
                     "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13"}
    assert all(sum(f.parent.name == p for f in FOLDERS) >= 3 for p in parts)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_patient_has_a_status_and_a_verdict_for_every_criterion(folder):
    ids = [line.split(":")[0] for line in (folder / "criteria.txt").read_text(encoding="utf-8").splitlines()
           if line[:1] in "IE" and ":" in line]
    notes = _jsonl(folder / "notes.jsonl")
    gold = _jsonl(folder / "gold_patients.jsonl")
    assert {g["patient_id"] for g in gold} == {n["patient_id"] for n in notes}
    for g in gold:
        assert g["status"] in STATUSES
        assert list(g["verdicts"]) == ids and set(g["verdicts"].values()) <= VERDICTS


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_note_is_dated_after_the_screening_date(folder):
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(meta["as_of"])
    assert (folder / meta["listing"]).is_file()
    assert all(dt.date.fromisoformat(n["date"]) <= as_of for n in _jsonl(folder / "notes.jsonl"))
