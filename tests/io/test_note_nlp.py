"""NOTE_NLP rows: offsets into the unmodified note, assertion as term_exists/term_temporal, atomic writers."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.errors import StoreError
from pipeline.io.note_nlp import COLUMNS, fact_to_row, note_nlp_rows, write_database, write_file

TEXT = "Denies chest pain. History of hepatitis B, treated 2019."
FACT = {"note_id": "1001", "patient_id": "7", "concept": "hepatitis_b", "text": "hepatitis B", "start": 30, "end": 41,
        "negated": False, "historical": True, "section": "history", "date": "2019-01-01", "value": None, "unit": None}
DAY = dt.date(2026, 1, 2)


def test_row_offset_and_variant_quote_the_note():
    row = fact_to_row(1, FACT, TEXT, DAY)
    start = int(row["offset"])
    assert TEXT[start:start + len(row["lexical_variant"])] == row["lexical_variant"] == "hepatitis B"
    assert row["note_id"] == 1001 and set(row) == set(COLUMNS)
    assert (row["term_exists"], row["term_temporal"]) == ("Y", "past")
    assert "concept=hepatitis_b" in row["term_modifiers"] and "historical=true" in row["term_modifiers"]


@pytest.mark.parametrize("flag", ["negated", "hypothetical", "family", "uncertain"])
def test_row_term_exists_no_for_unaffirmed(flag):
    assert fact_to_row(1, {**FACT, flag: True}, TEXT, DAY)["term_exists"] == "N"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_write_file_formats_leave_no_temporary(tmp_path, suffix):
    path = tmp_path / f"nlp{suffix}"
    n = write_file(note_nlp_rows([(FACT, TEXT, DAY), ({**FACT, "start": 7, "end": 17, "text": "chest pain"}, TEXT, DAY)]), path)
    assert n == 2 and [p.name for p in tmp_path.iterdir()] == [path.name]
    if suffix == ".jsonl":
        assert [json.loads(x)["note_nlp_id"] for x in path.read_text().splitlines()] == [1, 2]


def test_write_file_failure_keeps_old_file(tmp_path):
    path = tmp_path / "nlp.jsonl"
    path.write_text("old\n")

    def rows():
        yield fact_to_row(1, FACT, TEXT, DAY)
        raise OSError(28, "No space left on device")

    with pytest.raises(StoreError, match=r"\[E044\]"):
        write_file(rows(), path)
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["nlp.jsonl"]


def test_write_file_unsupported_suffix(tmp_path):
    with pytest.raises(StoreError, match=r"\[E044\].*unsupported NOTE_NLP format"):
        write_file(iter(()), tmp_path / "nlp.xlsx")


def test_write_database_replaces_own_rows_and_keeps_others(tmp_path):
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'cdm.db'}"
    write_database(note_nlp_rows([(FACT, TEXT, DAY)]), url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO note_nlp (note_nlp_id, note_id, lexical_variant, nlp_system, nlp_date) "
                          "VALUES (50, 1, 'x', 'other 1.0', '2026-01-01')"))
    assert write_database(note_nlp_rows([(FACT, TEXT, DAY)] * 3), url) == 3
    with engine.connect() as conn:
        systems = conn.execute(text("SELECT nlp_system, count(*), min(note_nlp_id) FROM note_nlp GROUP BY 1 ORDER BY 1")).all()
    assert [tuple(r) for r in systems] == [("other 1.0", 1, 50), ("trialsieve 0.1.0", 3, 51)]
