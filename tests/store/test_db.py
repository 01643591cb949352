"""The fact store: facts kept as their JSON, incremental indexing by content hash, full-text search."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from pipeline.errors import StoreError
from pipeline.extract.facts import extract
from pipeline.schema import Note
from pipeline.store.db import FactStore
from pipeline.store.index import PoolExtractor, index_notes

NOTE = Note(patient_id="P1", note_id="N1", date=dt.date(2025, 8, 20), note_type="progress",
            text="62-year-old man with recurrent SCC of the tonsil, p16 negative by IHC. ECOG 1. No history of HIV.")


def _index(store, notes):
    with PoolExtractor(1) as ex:
        return index_notes(notes, store, ex)


def test_store_facts_round_trip_equal_extraction(tmp_path, cohort_notes, cohort_store):
    store = FactStore.open(cohort_store)
    notes = [n for n in cohort_notes if n.patient_id == "P03"]
    stored_notes, stored_facts = store.patient("P03")
    expected = list(extract(sorted(notes, key=lambda n: (n.date, n.note_id))))
    assert stored_facts == expected
    assert [n.text for n in stored_notes] == [n.text for n in sorted(notes, key=lambda n: (n.date, n.note_id))]
    for f in stored_facts:  # evidence offsets into the unmodified note text
        assert next(n for n in stored_notes if n.note_id == f.note_id).text[f.start:f.end] == f.text


def test_store_reindex_skips_unchanged_notes(store_copy, cohort_notes):
    store = FactStore.open(store_copy)
    before = store.counts()
    stats = _index(store, cohort_notes)
    assert (stats.indexed, stats.unchanged) == (0, len(cohort_notes))
    assert store.counts() == before


def test_store_reindexes_every_note_when_the_rules_change(tmp_path, monkeypatch):
    """Facts extracted with other rules or lexicon files (models/) are stale: the content hash covers them."""
    store = FactStore.open(tmp_path / "s.db", create=True)
    assert _index(store, [NOTE]).indexed == 1
    assert (_index(store, [NOTE]).indexed, _index(store, [NOTE]).unchanged) == (0, 1)
    monkeypatch.setattr("pipeline.store.db.models_fingerprint", lambda: "edited-rules")
    assert _index(store, [NOTE]).indexed == 1


def test_store_changed_note_replaces_its_facts_and_text_index(tmp_path):
    store = FactStore.open(tmp_path / "s.db", create=True)
    _index(store, [NOTE])
    assert store.search("tonsil") == [("P1", "N1")]
    changed = NOTE.model_copy(update={"text": "ECOG 3. Larynx primary. Hepatitis B positive."})
    stats = _index(store, [changed, NOTE.model_copy(update={"note_id": "N2"})])
    assert (stats.indexed, stats.unchanged) == (2, 0)
    notes, facts = store.patient("P1")
    assert {n.note_id: n.text for n in notes}["N1"] == changed.text
    assert {f.text for f in facts if f.note_id == "N1"} == {f.text for f in extract([changed])}
    assert store.search("tonsil") == [("P1", "N2")]
    assert store.search("larynx primary") == [("P1", "N1")]
    assert store.counts()[1] == 2


def test_store_write_is_one_transaction_per_batch(tmp_path):
    """Notes and facts land together: a note row never exists without its facts."""
    store = FactStore.open(tmp_path / "s.db", create=True)
    _index(store, [NOTE])
    con = sqlite3.connect(tmp_path / "s.db")
    n_facts, = con.execute("SELECT n_facts FROM ts_notes WHERE note_id='N1'").fetchone()
    assert n_facts == con.execute("SELECT count(*) FROM ts_facts").fetchone()[0] > 0
    assert all(json.loads(f)["note_id"] == "N1" for f, in con.execute("SELECT fact FROM ts_facts"))


def test_store_search_is_per_patient_and_phrase(cohort_store):
    store = FactStore.open(cohort_store)
    everyone = store.search("p16")
    assert len({p for p, _ in everyone}) > 3
    assert all(p == "P01" for p, _ in store.search("p16", patient_id="P01"))
    assert store.search("zzzyxw nothing") == []
    assert store.search('quote " inside') == []  # FTS syntax in user text is quoted, not parsed


def test_store_open_missing_or_foreign_file_is_coded(tmp_path):
    with pytest.raises(StoreError, match=r"\[E043\].*no such file"):
        FactStore.open(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(StoreError, match=r"\[E043\].*no trialsieve tables"):
        FactStore.open(other)


def test_store_generation_changes_only_when_notes_are_written(tmp_path):
    store = FactStore.open(tmp_path / "s.db", create=True)
    g0 = store.generation()
    _index(store, [NOTE])
    g1 = store.generation()
    _index(store, [NOTE])
    assert g0 != g1 == store.generation()


def test_pool_gives_the_facts_of_one_process(tmp_path, cohort_notes, cohort_store):
    two = FactStore.open(tmp_path / "two.db", create=True)
    with PoolExtractor(2) as ex:
        index_notes(cohort_notes, two, ex)
    q = "SELECT n.patient_id, n.note_id, f.seq, f.fact FROM ts_facts f JOIN ts_notes n ON n.nid = f.nid ORDER BY 1, 2, 3"
    assert sqlite3.connect(tmp_path / "two.db").execute(q).fetchall() == sqlite3.connect(cohort_store).execute(q).fetchall()
