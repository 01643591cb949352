"""The `trialsieve` command end to end: outputs, evidence offsets and bad input reported, not dropped."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FAILED, EXIT_OK, EXIT_SKIPPED

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "listings" / "NCT06935188.txt"
COHORT = ROOT / "corpora" / "cohort" / "notes.jsonl"

NOTE = {
    "patient_id": "P1", "note_id": "N1", "date": "2025-08-20", "note_type": "progress",
    "text": "62-year-old man with recurrent SCC of the tonsil, p16 negative by IHC. ECOG 1. No history of HIV.",
}


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _notes_file(tmp_path: Path, rows: list) -> Path:
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_cli_criteria_prints_seed_as_one_json_object(runner):
    result = runner.invoke(main, ["criteria", str(SEED)])
    assert result.exit_code == 0, result.output
    trial = json.loads(result.stdout)
    assert trial["source"] == str(SEED)
    kinds = [c["kind"] for c in trial["criteria"]]
    assert kinds.count("inclusion") == 8 and kinds.count("exclusion") == 15
    for crit in trial["criteria"]:
        assert trial["text"][crit["start"]:crit["end"]] == crit["text"]
        for con in crit["constraints"]:
            assert trial["text"][con["start"]:con["end"]] == con["text"]


def test_cli_criteria_goes_on_past_a_bad_listing_and_reports_it(runner, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(main, ["criteria", str(bad), str(SEED)])
    assert result.exit_code == EXIT_SKIPPED
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0]["trial_id"] == "NCT06935188"
    assert "broken.json" in result.stderr and "skipped 1 listings" in result.stderr


def test_cli_criteria_on_only_bad_listings_fails(runner, tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(main, ["criteria", str(missing)])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr


def test_cli_extract_reports_skipped_records_and_keeps_the_rest(runner, tmp_path):
    bad_date = {**NOTE, "note_id": "N2", "date": "2025-02-30"}
    no_text = {k: v for k, v in NOTE.items() if k != "text"} | {"note_id": "N3"}
    path = _notes_file(tmp_path, [NOTE, bad_date, no_text, "{oops"])
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == EXIT_SKIPPED, result.stderr
    facts = [json.loads(line) for line in result.stdout.splitlines()]
    assert facts and {f["note_id"] for f in facts} == {"N1"}
    for f in facts:
        assert NOTE["text"][f["start"]:f["end"]] == f["text"]
    err = result.stderr
    assert "skipped 3 note records" in err
    assert "line 2" in err and "'date'" in err and "line 3" in err and "'text'" in err and "line 4" in err


def test_cli_extract_result_polarity_is_not_negation(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(_notes_file(tmp_path, [NOTE]))])
    p16 = [json.loads(x) for x in result.stdout.splitlines() if json.loads(x)["concept"] == "p16_status"]
    assert p16 and p16[0]["value"] == "negative" and p16[0]["negated"] is False


def test_cli_extract_user_lexicon_adds_a_concept(runner, tmp_path):
    lex = tmp_path / "mine.jsonl"
    lex.write_text('{"concept": "trismus", "phrase": "trismus"}\n', encoding="utf-8")
    note = {**NOTE, "text": "Denies trismus. Mild  Trismus noted last year."}
    result = runner.invoke(main, ["extract", str(_notes_file(tmp_path, [note])), "--lexicon", str(lex)])
    facts = [json.loads(x) for x in result.stdout.splitlines() if json.loads(x)["concept"] == "trismus"]
    assert [f["negated"] for f in facts] == [True, False]
    assert all(note["text"][f["start"]:f["end"]] == f["text"] for f in facts)


def test_cli_extract_unreadable_notes_file_is_one_clear_error(runner, tmp_path):
    path = tmp_path / "notes.jsonl"
    path.mkdir()
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == EXIT_FAILED and "E001" in result.stderr and "notes.jsonl" in result.stderr
    assert result.stderr.count("E001") == 1


def test_cli_extract_utf16_without_bom_names_the_encoding_option(runner, tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_bytes(json.dumps(NOTE).encode("utf-16-le"))
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == EXIT_FAILED and "E013" in result.stderr and "--encoding utf-16-le" in result.stderr
    result = runner.invoke(main, ["extract", str(path), "--encoding", "utf-16-le"])
    assert result.exit_code == EXIT_OK and result.stdout


def test_cli_match_ranks_patients_and_writes_evidence(runner, tmp_path):
    out, report = tmp_path / "m.jsonl", tmp_path / "r.html"
    result = runner.invoke(main, ["match", str(SEED), str(COHORT), "--as-of", "2025-09-01", "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    order = {"eligible": 0, "needs_review": 1, "ineligible": 2}
    assert [order[r["status"]] for r in results] == sorted(order[r["status"]] for r in results)
    notes = {json.loads(x)["note_id"]: json.loads(x)["text"] for x in COHORT.read_text(encoding="utf-8").splitlines()}
    checked = 0
    for r in results:
        assert len(r["criteria"]) == 23
        for v in r["criteria"]:
            assert v["verdict"] in ("met", "not_met", "unknown", "not_computable")
            assert v["evidence"] or v["reason"]
            for ev in v["evidence"]:
                assert notes[ev["source_id"]][ev["start"]:ev["end"]] == ev["text"]
                checked += 1
    assert checked > 100
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_match_rejects_bad_as_of_date(runner):
    result = runner.invoke(main, ["match", str(SEED), str(COHORT), "--as-of", "2025-13-01"])
    assert result.exit_code != 0 and "E031" in result.output + result.stderr


def test_cli_output_is_deterministic(runner, tmp_path):
    path = _notes_file(tmp_path, [NOTE])
    first = runner.invoke(main, ["extract", str(path)]).stdout
    second = runner.invoke(main, ["extract", str(path), "-j", "2"]).stdout
    assert first == second
