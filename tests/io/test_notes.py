"""Reading notes: JSONL and CSV, and bad records reported with file, record and field."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import NotesError
from pipeline.io.notes import read_notes

GOOD = {"patient_id": "P1", "note_id": "N1", "date": "2025-03-04", "note_type": "progress", "text": "ECOG 1."}


def _write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_read_notes_reads_valid_jsonl(tmp_path):
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [GOOD]))
    assert [n.note_id for n in notes] == ["N1"] and problems == []
    assert notes[0].text == "ECOG 1."


@pytest.mark.parametrize(
    "bad,code,field",
    [
        ({**GOOD, "note_id": "N2", "date": "2025-13-45"}, "E005", "date"),
        ({k: v for k, v in GOOD.items() if k != "patient_id"} | {"note_id": "N2"}, "E004", "patient_id"),
        ({**GOOD, "note_id": "N2", "text": "   "}, "E006", "text"),
        ({k: v for k, v in GOOD.items() if k != "text"} | {"note_id": "N2"}, "E004", "text"),
        ("{not json", "E003", None),
    ],
)
def test_read_notes_skips_bad_record_and_keeps_the_rest(tmp_path, bad, code, field):
    path = _write_jsonl(tmp_path / "n.jsonl", [GOOD, bad])
    notes, problems = read_notes(path)
    assert [n.note_id for n in notes] == ["N1"]
    assert len(problems) == 1
    p = problems[0]
    assert p.code == code and p.field == field
    assert str(path) in p.message and "line 2" in p.message


def test_read_notes_reads_csv_with_multiline_text(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text('patient_id,note_id,date,note_type,text\nP1,N1,2025-01-01,path,"line one\nline two"\n', encoding="utf-8")
    notes, problems = read_notes(path)
    assert notes[0].text == "line one\nline two" and problems == []


def test_read_notes_rejects_non_utf8_file_naming_it(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n')
    with pytest.raises(NotesError, match="E002.*n.jsonl"):
        read_notes(path)


def test_read_notes_missing_file_names_it(tmp_path):
    with pytest.raises(NotesError, match="E001.*missing.jsonl"):
        read_notes(tmp_path / "missing.jsonl")


def test_read_notes_reports_duplicate_note_ids(tmp_path):
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [GOOD, GOOD]))
    assert len(notes) == 1 and problems[0].field == "note_id"
