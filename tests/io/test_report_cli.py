"""`trialsieve match` review-page and table flags: --include-ineligible, --snippets-only, --wide."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.io.report import read_page_data

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpora" / "listings" / "NCT06935188.txt"
NOTES = [
    {"patient_id": "FIT", "note_id": "N1", "date": "2025-08-20", "note_type": "progress",
     "text": "Clinic review today. 62-year-old man with recurrent SCC of the tonsil, p16 negative by IHC. ECOG 1. "
             "No history of HIV."},
    {"patient_id": "FRAIL", "note_id": "N1", "date": "2025-08-20", "note_type": "progress",
     "text": "Clinic review today. 64-year-old woman with recurrent SCC of the larynx, p16 negative by IHC. ECOG 3, "
             "bedbound most of the day."},
]


@pytest.fixture(scope="module")
def notes_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "notes.jsonl"
    path.write_text("".join(json.dumps(n) + "\n" for n in NOTES), encoding="utf-8")
    return path


def _run(notes_file: Path, tmp_path: Path, *flags: str) -> tuple[dict, str, dict]:
    report, out = tmp_path / "r.html", tmp_path / "m.jsonl"
    result = CliRunner().invoke(main, ["match", str(SEED), str(notes_file), "--as-of", "2025-09-01", "--out", str(out),
                                       "--report", str(report), *flags])
    assert result.exit_code == 0, result.stderr
    page = report.read_text(encoding="utf-8")
    data = read_page_data(page)
    status = {json.loads(line)["patient_id"]: json.loads(line)["status"] for line in out.read_text().splitlines()}
    return data, result.stdout, status


def test_cli_match_include_ineligible_and_wide(notes_file, tmp_path):
    data, table, status = _run(notes_file, tmp_path, "--include-ineligible", "--wide")
    assert status["FRAIL"] == "ineligible"
    assert data["notes"]["FRAIL"]["N1"][2] == NOTES[1]["text"]
    assert "…" not in table and "inc met" in table and table.rstrip().splitlines()[-1].startswith("score:")


def test_cli_match_default_page_leaves_out_ineligible_notes_and_snippets_only_cuts_notes(notes_file, tmp_path):
    data, _, status = _run(notes_file, tmp_path)
    assert status["FRAIL"] == "ineligible" and "FRAIL" not in data["notes"]
    data, _, _ = _run(notes_file, tmp_path, "--snippets-only", "--include-ineligible")
    texts = [t[2] for notes in data["notes"].values() for t in notes.values()]
    # the whole-note evidence ("the clinician notes do not mention it") is cut to its first sentence
    assert texts and all(t not in (n["text"] for n in NOTES) for t in texts)
    assert all(len(re.findall(r"[.!?](\s|$)", t)) <= 1 for t in texts), texts
