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
        ("{not json", "E003", "record"),
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


def test_read_notes_skips_only_the_line_that_is_not_utf8(tmp_path):
    path = tmp_path / "n.jsonl"
    good2 = json.dumps({**GOOD, "note_id": "N3"}).encode()
    path.write_bytes(json.dumps(GOOD).encode() + b'\n{"text": "caf\xe9"}\n' + good2 + b"\n")
    notes, problems = read_notes(path)
    assert [n.note_id for n in notes] == ["N1", "N3"]
    assert [(p.code, p.record, p.field) for p in problems] == [("E009", "line 2", "text")]
    assert "n.jsonl" in problems[0].message and "byte 13" in problems[0].message


def test_read_notes_missing_file_names_it(tmp_path):
    with pytest.raises(NotesError, match="E001.*missing.jsonl"):
        read_notes(tmp_path / "missing.jsonl")


def test_read_notes_reports_duplicate_note_ids(tmp_path):
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [GOOD, GOOD]))
    assert len(notes) == 1 and problems[0].field == "note_id"


def _codes(problems):
    return [(p.code, p.field) for p in problems]


@pytest.mark.parametrize(
    "bad,code,field",
    [
        ({**GOOD, "note_id": "   "}, "E007", "note_id"),
        ({**GOOD, "patient_id": ["P1"]}, "E007", "patient_id"),
        ({**GOOD, "patient_id": 17}, "E007", "patient_id"),
        ({**GOOD, "note_id": "N\x1b[2J"}, "E007", "note_id"),
        ({**GOOD, "note_id": "N" * 200}, "E007", "note_id"),
        ({**GOOD, "text": 12.5}, "E007", "text"),
        ({**GOOD, "note_type": {"a": 1}}, "E007", "note_type"),
        ({**GOOD, "date": "2025-01-01garbage"}, "E005", "date"),
        ({**GOOD, "date": "20250101"}, "E005", "date"),
        ({**GOOD, "date": "2025-W01-1"}, "E005", "date"),
        ({**GOOD, "date": 20250101}, "E005", "date"),
        ([GOOD], "E007", "record"),
    ],
)
def test_read_notes_validates_ids_types_and_dates(tmp_path, bad, code, field):
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [GOOD, bad]))
    assert [n.note_id for n in notes] == ["N1"]
    assert _codes(problems) == [(code, field)]
    assert "\x1b" not in problems[0].message


@pytest.mark.parametrize("date", ["2025-03-04", "2025-03-04T10:30:00", "2025-03-04 10:30", "2025-03-04T10:30:00Z"])
def test_read_notes_accepts_full_iso_dates_with_a_time(tmp_path, date):
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [{**GOOD, "date": date}]))
    assert problems == [] and notes[0].date.isoformat() == "2025-03-04"


def test_read_notes_lone_surrogate_escape_is_a_record_error_without_text(tmp_path):
    line = json.dumps({**GOOD, "note_id": "N2"}).replace("ECOG 1.", "secret \\ud800 words")
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [GOOD, line]))
    assert [n.note_id for n in notes] == ["N1"] and _codes(problems) == [("E007", "text")]
    assert "secret" not in problems[0].message


def test_read_notes_keeps_unicode_line_separators_inside_text(tmp_path):
    text = "ECOG 1.\u2028Platelets 150.\u2029Next\u0085end"
    path = _write_jsonl(tmp_path / "n.jsonl", [{**GOOD, "text": text}, {**GOOD, "note_id": "N2"}, {**GOOD, "note_id": "N3", "date": "x"}])
    path.write_text(path.read_text(encoding="utf-8").replace("\\u2028", "\u2028").replace("\\u2029", "\u2029")
                    .replace("\\u0085", "\u0085"), encoding="utf-8")
    notes, problems = read_notes(path)
    assert [n.note_id for n in notes] == ["N1", "N2"] and notes[0].text == text
    assert [p.record for p in problems] == ["line 3 (note N3)"]


def test_read_notes_same_note_id_for_two_patients_is_two_notes(tmp_path):
    notes, problems = read_notes(_write_jsonl(tmp_path / "n.jsonl", [GOOD, {**GOOD, "patient_id": "P2"}]))
    assert [(n.patient_id, n.note_id) for n in notes] == [("P1", "N1"), ("P2", "N1")] and problems == []


def test_read_notes_reads_a_json_array(tmp_path):
    path = tmp_path / "n.json"
    path.write_text(json.dumps([GOOD, {**GOOD, "note_id": "N2", "date": "bad"}]), encoding="utf-8")
    notes, problems = read_notes(path)
    assert [n.note_id for n in notes] == ["N1"] and [p.record for p in problems] == ["item 2 (note N2)"]


def test_read_notes_reads_utf16_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_bytes(("\n".join(json.dumps(r, ensure_ascii=False) for r in [GOOD, {**GOOD, "note_id": "N2", "text": "café"}])).encode("utf-16"))
    notes, problems = read_notes(path)
    assert [n.text for n in notes] == ["ECOG 1.", "café"] and problems == []


def test_read_notes_utf16_without_bom_is_one_clear_error(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_bytes(json.dumps(GOOD).encode("utf-16-le"))
    with pytest.raises(NotesError, match="E013.*utf-16-le.*--encoding"):
        read_notes(path)
    notes, problems = read_notes(path, encoding="utf-16-le")
    assert [n.note_id for n in notes] == ["N1"] and problems == []


def test_read_notes_encoding_option_reads_latin1(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_bytes(json.dumps({**GOOD, "text": "café"}, ensure_ascii=False).encode("latin-1"))
    assert read_notes(path, encoding="latin-1")[0][0].text == "café"


def test_read_notes_csv_field_longer_than_the_csv_module_default(tmp_path):
    path = tmp_path / "n.csv"
    long_text = "ECOG 1. " * 25_000
    path.write_text(f'patient_id,note_id,date,note_type,text\nP1,N1,2025-01-01,x,"{long_text}"\nP1,N2,2025-01-02,x,short\n', encoding="utf-8")
    notes, problems = read_notes(path)
    assert [len(n.text) for n in notes] == [len(long_text), 5] and problems == []


def test_read_notes_semicolon_csv(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text('patient_id;note_id;date;note_type;text\nP1;N1;2025-01-01;x;"a; b"\n', encoding="utf-8")
    notes, problems = read_notes(path)
    assert [n.text for n in notes] == ["a; b"] and problems == []


def test_read_notes_csv_without_required_columns_is_one_error(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("pid,nid,when,text\nP1,N1,2025-01-01,x\n", encoding="utf-8")
    with pytest.raises(NotesError, match="E017.*patient_id"):
        read_notes(path)


def test_read_notes_csv_undecodable_row_is_skipped_alone(tmp_path):
    path = tmp_path / "n.csv"
    path.write_bytes(b"patient_id,note_id,date,note_type,text\nP1,N1,2025-01-01,x,\"ok\"\n"
                     b"P1,N2,2025-01-01,x,\"bad \xff\nsecond line\"\nP1,N3,2025-01-01,x,fine\n")
    notes, problems = read_notes(path)
    assert [n.note_id for n in notes] == ["N1", "N3"]
    assert [(p.code, p.record, p.field) for p in problems] == [("E009", "line 3 (note N2)", "text")]
