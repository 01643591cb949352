"""OMOP NOTE readers: column mapping, coded problems naming the column, CSV/JSONL/Parquet files and SQL tables."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.errors import NotesError, StoreError
from pipeline.io.omop import column_map, iter_db_notes, iter_file_notes, parse_columns
from pipeline.schema import Note, Problem

HEADER = "note_id,person_id,note_date,note_datetime,note_type_concept_id,note_title,note_text\n"


def _split(records):
    records = list(records)
    return [r for r in records if isinstance(r, Note)], [r for r in records if isinstance(r, Problem)]


@pytest.mark.parametrize("spec, expected", [
    ("patient_id=pid,text=body", {"patient_id": "pid", "text": "body"}),
    (" note_id = id ", {"note_id": "id"}),
    (None, {}),
])
def test_parse_columns_maps_fields(spec, expected):
    assert parse_columns(spec) == expected


@pytest.mark.parametrize("spec, detail", [("patient=pid", "unknown field 'patient'"), ("text", "'text' is not field=column")])
def test_parse_columns_rejects_bad_spec_with_code(spec, detail):
    with pytest.raises(NotesError, match=r"\[E042\].*" + detail.replace("(", r"\(")):
        parse_columns(spec)


def test_omop_csv_reads_notes_with_integer_ids(tmp_path):
    path = tmp_path / "note.csv"
    path.write_text(HEADER + '11,7,2025-03-02,,44814645,Progress note,"ECOG 1.\nNo HIV."\n', encoding="utf-8")
    notes, problems = _split(iter_file_notes(path))
    assert problems == []
    assert notes == [Note(patient_id="7", note_id="11", date=dt.date(2025, 3, 2), note_type="Progress note", text="ECOG 1.\nNo HIV.")]


def test_omop_csv_falls_back_to_note_datetime(tmp_path):
    path = tmp_path / "note.csv"
    path.write_text(HEADER + "11,7,,2025-03-02 10:15:00,44814645,,ECOG 1.\n", encoding="utf-8")
    (note,), _ = _split(iter_file_notes(path))
    assert note.date == dt.date(2025, 3, 2)
    assert note.note_type == "44814645"  # no title: the type concept id


def test_omop_csv_bad_rows_are_coded_and_named_by_column(tmp_path):
    path = tmp_path / "note.csv"
    path.write_text(HEADER + "1,7,2025-03-02,,0,t,fine\n2,7,2025-02-30,,0,t,bad date\n3,7,2025-03-02,,0,t,  \n4,,2025-03-02,,0,t,x\n",
                    encoding="utf-8")
    notes, problems = _split(iter_file_notes(path))
    assert [n.note_id for n in notes] == ["1"]
    assert [(p.code, p.record, p.field) for p in problems] == [
        ("E007", "row 2 (note 2)", "note_date"), ("E006", "row 3 (note 3)", "note_text"), ("E004", "row 4 (note 4)", "person_id")]
    assert all(p.message.startswith(f"[{p.code}] {path}: record {p.record}") for p in problems)
    assert "'note_date' is invalid (bad date '2025-02-30'" in problems[0].message


def test_missing_required_column_names_it(tmp_path):
    path = tmp_path / "note.csv"
    path.write_text("note_id,person_id,note_date\n1,2,2025-01-01\n", encoding="utf-8")
    with pytest.raises(NotesError, match=r"\[E041\].*column 'note_text' not found"):
        list(iter_file_notes(path))


def test_columns_override_reads_another_layout(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"id": "a1", "mrn": "M9", "written": "2025-01-05", "body": "ECOG 2."}) + "\n", encoding="utf-8")
    cols = parse_columns("note_id=id,patient_id=mrn,date=written,text=body")
    (note,), problems = _split(iter_file_notes(path, cols))
    assert problems == [] and (note.patient_id, note.note_id, note.text) == ("M9", "a1", "ECOG 2.")


def test_native_layout_is_recognised(tmp_path):
    assert column_map("x", ["patient_id", "note_id", "date", "note_type", "text"])["patient_id"] == "patient_id"
    assert column_map("x", ["NOTE_ID", "PERSON_ID", "NOTE_DATE", "NOTE_TEXT"])["text"] == "NOTE_TEXT"


def test_jsonl_bad_line_is_reported_and_rest_read(tmp_path):
    path = tmp_path / "n.jsonl"
    good = {"patient_id": "P1", "note_id": "N1", "date": "2025-01-01", "text": "ECOG 1."}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "note_id": "N2"}) + "\n", encoding="utf-8")
    notes, problems = _split(iter_file_notes(path))
    assert [n.note_id for n in notes] == ["N1", "N2"]
    assert [(p.code, p.record) for p in problems] == [("E003", "line 2")]


def test_parquet_export_reads_like_csv(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"note_id": i, "person_id": 3, "note_date": dt.date(2025, 1, i), "note_title": "t", "note_text": f"note {i}"} for i in range(1, 6)]
    path = tmp_path / "note.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)
    notes, problems = _split(iter_file_notes(path))
    assert problems == [] and [n.note_id for n in notes] == ["1", "2", "3", "4", "5"]
    assert notes[4].date == dt.date(2025, 1, 5) and notes[4].patient_id == "3"


def test_unsupported_suffix_is_coded(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(NotesError, match=r"\[E046\]"):
        list(iter_file_notes(path))


def _sqlite_note_table(path, rows):
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE note (note_id INTEGER PRIMARY KEY, person_id INTEGER, note_date DATE, "
                          "note_datetime TIMESTAMP, note_type_concept_id INTEGER, note_title TEXT, note_text TEXT)"))
        if rows:
            conn.execute(text("INSERT INTO note VALUES (:note_id, :person_id, :note_date, NULL, 0, 'x', :note_text)"), rows)
    engine.dispose()
    return f"sqlite:///{path}"


def test_database_note_table_streams_in_batches(tmp_path):
    rows = [{"note_id": i, "person_id": i % 7, "note_date": "2025-02-01", "note_text": f"text {i}"} for i in range(1, 251)]
    url = _sqlite_note_table(tmp_path / "cdm.db", rows)
    notes, problems = _split(iter_db_notes(url, batch_rows=16))
    assert problems == [] and len(notes) == 250
    assert [n.note_id for n in notes[:3]] == ["1", "2", "3"] and notes[0].date == dt.date(2025, 2, 1)


def test_database_query_selects_notes(tmp_path):
    rows = [{"note_id": i, "person_id": i, "note_date": "2025-02-01", "note_text": f"text {i}"} for i in range(1, 11)]
    url = _sqlite_note_table(tmp_path / "cdm.db", rows)
    notes, _ = _split(iter_db_notes(url, "SELECT * FROM note WHERE person_id > 8 ORDER BY note_id"))
    assert [n.note_id for n in notes] == ["9", "10"]


def test_database_error_is_coded_and_hides_password(tmp_path):
    with pytest.raises(StoreError, match=r"\[E040\]") as info:
        list(iter_db_notes("postgresql+psycopg://u:s3cret@127.0.0.1:1/none"))
    assert "s3cret" not in str(info.value)
    url = _sqlite_note_table(tmp_path / "cdm.db", [])
    with pytest.raises(StoreError, match=r"\[E040\].*no such table"):
        list(iter_db_notes(url, "SELECT * FROM notes_typo"))
