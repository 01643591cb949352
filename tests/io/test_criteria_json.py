"""Editable criteria: the JSON `criteria` prints goes back into `match` (and `screen`),
validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.io.criteria_json import (
    load_trial,
    looks_like_criteria_json,
    read_criteria_json,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpora" / "listings" / "NCT06935188.txt"
COHORT = ROOT / "corpora" / "cohort" / "notes.jsonl"
AS_OF = ["--as-of", "2025-09-01"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict:
    """``trialsieve criteria SEED`` output, as a user would save it."""
    result = CliRunner().invoke(main, ["criteria", str(SEED)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _save(folder: Path, data: dict, name: str = "trial.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _constraint(data: dict, cid: str) -> dict:
    return next(k for c in data["criteria"] for k in c["constraints"] if k["id"] == cid)


def _match(listing: Path, out: Path) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(
        main, ["match", str(listing), str(COHORT), *AS_OF, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {r["patient_id"]: {v["criterion_id"]: v["verdict"] for v in r["criteria"]} for r in rows}


def test_criteria_json_round_trips_to_the_same_record(printed, tmp_path):
    from pipeline.extract.criteria import parse_listing

    assert load_trial(_save(tmp_path, printed)) == parse_listing(SEED)


def test_match_on_edited_criteria_changes_the_verdicts(printed, tmp_path):
    from_listing = _match(SEED, tmp_path / "listing.jsonl")
    assert (
        _match(_save(tmp_path, printed), tmp_path / "json.jsonl") == from_listing
    )  # unedited: identical
    edited = json.loads(json.dumps(printed))
    age = _constraint(edited, "I1.c1")
    assert (age["comparator"], age["value"], age["value_high"]) == ("between", 18.0, 75.0)
    age["value_high"] = 50.0  # the coordinator corrects the upper age limit
    after = _match(_save(tmp_path, edited, "edited.json"), tmp_path / "edited.jsonl")
    changed = {pid for pid in from_listing if from_listing[pid]["I1"] != after[pid]["I1"]}
    assert changed and all(after[pid]["I1"] == "not_met" for pid in changed)
    assert all(
        {k: v for k, v in after[p].items() if k != "I1"}
        == {k: v for k, v in from_listing[p].items() if k != "I1"}
        for p in from_listing
    )


def test_criteria_jsonl_of_several_trials_is_read_line_by_line(printed, tmp_path):
    other = dict(printed, trial_id="NCT00000001")
    path = tmp_path / "trials.jsonl"
    path.write_text(json.dumps(printed) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    assert [t.trial_id for t in read_criteria_json(path)] == ["NCT06935188", "NCT00000001"]
    with pytest.raises(InputError, match=r"\[E007\].*holds 2 trials"):
        load_trial(path)


def test_a_ctgov_study_is_not_taken_for_criteria_json(tmp_path):
    study = tmp_path / "study.json"
    study.write_text(
        json.dumps({"protocolSection": {"identificationModule": {"nctId": "NCT1"}}}),
        encoding="utf-8",
    )
    assert not looks_like_criteria_json(study)


def _edit(data: dict, fn) -> dict:
    copy = json.loads(json.dumps(data))
    fn(copy)
    return copy


BAD_EDITS = [
    (
        "comparator",
        lambda d: _constraint(d, "I8.c1").update(comparator="at least"),
        r"criteria\[7\] \(I8\)\.constraints\[0\] \(I8\.c1\)\.comparator'",
    ),
    (
        "unknown key",
        lambda d: _constraint(d, "I6.c1").update(threshold=2),
        r"criteria\[5\] \(I6\)\.constraints\[0\] \(I6\.c1\)\.threshold'.*[Ee]xtra",
    ),
    (
        "value type",
        lambda d: _constraint(d, "I7.c1").update(value=[12]),
        r"constraints\[0\] \(I7\.c1\)\.value' is invalid",
    ),
    (
        "quote",
        lambda d: _constraint(d, "I6.c1").update(text="ECOG 0-2"),
        r"\(I6\.c1\)\.text' .*edit values, not quotes",
    ),
    (
        "logic leaf",
        lambda d: d["criteria"][0]["logic"]["args"].append("I9.c1"),
        r"criteria\[0\] \(I1\)\.logic'.*'I9\.c1'",
    ),
    ("missing field", lambda d: d["criteria"][0].pop("kind"), r"criteria\[0\] \(I1\)\.kind'"),
]


@pytest.mark.parametrize("name,edit,expected", BAD_EDITS, ids=[b[0] for b in BAD_EDITS])
def test_invalid_criteria_json_is_a_coded_error_naming_file_and_field(
    printed, tmp_path, name, edit, expected
):
    path = _save(tmp_path, _edit(printed, edit))
    with pytest.raises(
        InputError, match=r"^\[E007\] .*trial\.json: record trial NCT06935188: field '.*" + expected
    ):
        read_criteria_json(path)


def test_match_reports_invalid_criteria_json_without_traceback(printed, tmp_path):
    bad = _edit(printed, lambda d: _constraint(d, "I8.c1").update(comparator="=>"))
    path = _save(tmp_path, bad)
    result = CliRunner().invoke(main, ["match", str(path), str(COHORT), *AS_OF])
    assert result.exit_code == 1
    assert (
        "[E007]" in result.stderr
        and "trial.json" in result.stderr
        and "comparator" in result.stderr
    )
    assert "Traceback" not in result.output


def test_broken_json_syntax_names_file_and_line(printed, tmp_path):
    path = tmp_path / "trial.json"
    path.write_text(
        json.dumps(printed, indent=2).replace('"kind": "inclusion"', '"kind": inclusion', 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["match", str(path), str(COHORT), *AS_OF])
    assert (
        result.exit_code == 1 and "[E003]" in result.stderr and "trial.json: line" in result.stderr
    )


def test_criteria_shows_an_edited_file_as_a_table(printed, tmp_path):
    edited = _edit(printed, lambda d: _constraint(d, "I1.c1").update(value_high=50.0))
    result = CliRunner().invoke(
        main, ["criteria", str(_save(tmp_path, edited)), "--format", "table"]
    )
    assert result.exit_code == 0, result.output
    assert "age between 18-50 year" in result.stdout and "age between 18-75" not in result.stdout
