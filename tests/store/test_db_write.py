"""The store's writer: new notes (written through the SQLite driver directly) and changed ones (through
SQLAlchemy) in one batch leave the same rows and a consistent full-text index."""
from __future__ import annotations

import datetime as dt
import sqlite3

from pipeline.schema import Note
from pipeline.store.db import FactStore, IndexedNote

DAY = dt.date(2025, 9, 1)


def _item(note_id: str, text: str, h: str) -> IndexedNote:
    note = Note(patient_id="P1", note_id=note_id, date=dt.date(2024, 3, 5), note_type="progress", text=text)
    return IndexedNote(note, h, (("ecog", '{"concept": "ecog"}'), ("hiv", '{"concept": "hiv"}')))


def test_store_write_new_then_changed_in_one_batch_keeps_rows_and_text_index(tmp_path):
    store = FactStore.open(tmp_path / "s.db", create=True)
    written = store.write([_item("N1", "tonsil primary", "h1"), _item("N2", "larynx mass", "h2"),
                           _item("N1", "hepatitis B", "h3")], indexed_on=DAY)
    assert written == 3
    assert store.search("tonsil") == []
    assert store.search("hepatitis") == [("P1", "N1")]
    assert store.search("larynx") == [("P1", "N2")]
    con = sqlite3.connect(tmp_path / "s.db")
    rows = con.execute("SELECT nid, note_id, date, hash, indexed_on, n_facts FROM ts_notes ORDER BY nid").fetchall()
    assert rows == [(1, "N1", "2024-03-05", "h3", "2025-09-01", 2), (2, "N2", "2024-03-05", "h2", "2025-09-01", 2)]
    facts = con.execute("SELECT nid, patient_id, seq, concept FROM ts_facts ORDER BY nid, seq").fetchall()
    assert facts == [(1, "P1", 0, "ecog"), (1, "P1", 1, "hiv"), (2, "P1", 0, "ecog"), (2, "P1", 1, "hiv")]
    con.execute("INSERT INTO ts_note_fts(ts_note_fts) VALUES('integrity-check')")  # raises when inconsistent
    assert [(f["concept"], text, day) for f, text, day in store.iter_facts()][::2] == [
        ("ecog", "hepatitis B", DAY), ("ecog", "larynx mass", DAY)]  # dates read back as SQLAlchemy wrote them
    assert store.generation() == "1"
