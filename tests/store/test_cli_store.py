"""`trialsieve index` and `note-nlp` end to end: incremental runs, OMOP files, progress only on request or a terminal."""
from __future__ import annotations

import csv
import json
import sqlite3

from click.testing import CliRunner

from pipeline.cli import main

from store_builders import omop_rows, write_omop_csv

NOTE = {"patient_id": "P1", "note_id": "N1", "date": "2025-08-20", "note_type": "progress",
        "text": "62-year-old man with recurrent SCC of the tonsil, p16 negative by IHC. ECOG 1. No history of HIV."}


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_index_twice_then_a_new_note(tmp_path):
    notes = _write(tmp_path / "n.jsonl", [NOTE])
    store = tmp_path / "s.db"
    r1 = CliRunner().invoke(main, ["index", str(notes), "--store", str(store)])
    assert r1.exit_code == 0, r1.output
    assert "1 notes indexed, 0 unchanged" in r1.output
    _write(notes, [NOTE, {**NOTE, "note_id": "N2", "text": "ECOG 2."}])
    r2 = CliRunner().invoke(main, ["index", str(notes), "--store", str(store)])
    assert "1 notes indexed, 1 unchanged; store: 1 patients, 2 notes" in r2.output


def test_index_reports_bad_records_and_goes_on(tmp_path):
    notes = _write(tmp_path / "n.jsonl", [NOTE, {**NOTE, "note_id": "N2", "date": "2025-02-30"}])
    res = CliRunner().invoke(main, ["index", str(notes), "--store", str(tmp_path / "s.db")])
    assert res.exit_code == 0
    assert "record line 2 (note N2)" in res.output and "skipped 1 note records (1 x E007)" in res.output
    assert NOTE["text"] not in res.output


def test_index_needs_notes_or_db(tmp_path):
    res = CliRunner().invoke(main, ["index", "--store", str(tmp_path / "s.db")])
    assert res.exit_code == 2 and "give NOTES files or --db URL" in res.output


def test_progress_bar_only_when_asked_or_on_terminal(tmp_path):
    notes = _write(tmp_path / "n.jsonl", [NOTE])
    quiet = CliRunner().invoke(main, ["index", str(notes), "--store", str(tmp_path / "a.db")])
    assert "note/s" not in quiet.output and "\r" not in quiet.output
    shown = CliRunner().invoke(main, ["index", str(notes), "--store", str(tmp_path / "b.db"), "--progress"])
    assert "index: 100%" in shown.output and "note/s" in shown.output


def test_index_omop_csv_then_note_nlp_csv(tmp_path, cohort_notes):
    rows = omop_rows(cohort_notes[:6])
    path = write_omop_csv(rows, tmp_path / "NOTE.csv")
    store = tmp_path / "s.db"
    assert CliRunner().invoke(main, ["index", str(path), "--store", str(store), "-j", "2"]).exit_code == 0
    res = CliRunner().invoke(main, ["note-nlp", "--store", str(store), "--out", str(tmp_path / "nlp.csv")])
    assert res.exit_code == 0, res.output
    text_of = {str(r["note_id"]): r["note_text"] for r in rows}
    out = list(csv.DictReader(open(tmp_path / "nlp.csv", encoding="utf-8")))
    n_facts = sqlite3.connect(store).execute("SELECT count(*) FROM ts_facts").fetchone()[0]
    assert len(out) == n_facts > 0 and f"{n_facts} NOTE_NLP rows" in res.output
    for r in out:
        start = int(r["offset"])
        assert text_of[r["note_id"]][start:start + len(r["lexical_variant"])] == r["lexical_variant"]
    assert [int(r["note_nlp_id"]) for r in out] == list(range(1, n_facts + 1))


def test_note_nlp_needs_one_target(tmp_path):
    res = CliRunner().invoke(main, ["note-nlp", "--store", str(tmp_path / "s.db")])
    assert res.exit_code == 2 and "--db URL or --out FILE" in res.output
