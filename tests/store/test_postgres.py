"""The full path on a real PostgreSQL server (started by `make services`): OMOP NOTE table -> index into a store
in the same database -> screen -> NOTE_NLP rows, giving what the SQLite path gives for the same notes."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from pipeline.cli import main
from pipeline.store.db import FactStore

from store_builders import AS_OF, SEED, omop_rows, write_omop_csv

NOTE_DDL = """CREATE TABLE note (
  note_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, note_date DATE NOT NULL, note_datetime TIMESTAMP,
  note_type_concept_id INTEGER NOT NULL, note_class_concept_id INTEGER NOT NULL DEFAULT 0, note_title VARCHAR(250),
  note_text TEXT NOT NULL, encoding_concept_id INTEGER NOT NULL DEFAULT 0, language_concept_id INTEGER NOT NULL DEFAULT 0,
  provider_id BIGINT, visit_occurrence_id BIGINT, visit_detail_id BIGINT, note_source_value VARCHAR(50),
  note_event_id BIGINT, note_event_field_concept_id INTEGER)"""


def _load_note_table(url: str, rows: list[dict]) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS note"))
        conn.execute(text(NOTE_DDL))
        conn.execute(text("INSERT INTO note (note_id, person_id, note_date, note_datetime, note_type_concept_id, note_title, note_text) "
                          "VALUES (:note_id, :person_id, :note_date, :note_datetime, :note_type_concept_id, :note_title, :note_text)"), rows)
    engine.dispose()


def _run(args: list[str]) -> str:
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    return res.output


def test_postgres_note_index_screen_note_nlp(pg_url, cohort_notes, tmp_path):
    rows = omop_rows(cohort_notes)
    _load_note_table(pg_url, rows)

    out = _run(["index", "--db", pg_url, "--store", pg_url, "-j", "2"])
    assert "93 notes indexed" in out and "store: 37 patients, 93 notes" in out
    again = _run(["index", "--db", pg_url, "--store", pg_url])
    assert "0 notes indexed, 93 unchanged" in again
    _run(["screen", str(SEED), "--store", pg_url, "--out", str(tmp_path / "pg"), "--as-of", AS_OF])

    # the same notes through an OMOP CSV export and the default SQLite store
    csv_path = write_omop_csv(rows, tmp_path / "NOTE.csv")
    _run(["index", str(csv_path), "--store", str(tmp_path / "s.db")])
    _run(["screen", str(SEED), "--store", str(tmp_path / "s.db"), "--out", str(tmp_path / "lite"), "--as-of", AS_OF])
    pg_bytes = (tmp_path / "pg" / "NCT06935188.jsonl").read_bytes()
    assert pg_bytes == (tmp_path / "lite" / "NCT06935188.jsonl").read_bytes()
    assert pg_bytes.count(b"\n") == 37

    out = _run(["note-nlp", "--store", pg_url, "--db", pg_url])
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        n_facts = conn.execute(text("SELECT count(*) FROM ts_facts")).scalar_one()
        n_rows = conn.execute(text("SELECT count(*) FROM note_nlp")).scalar_one()
        bad = conn.execute(text('SELECT count(*) FROM note_nlp nn JOIN note n ON n.note_id = nn.note_id '
                                'WHERE substr(n.note_text, nn."offset"::int + 1, length(nn.lexical_variant)) <> nn.lexical_variant')).scalar_one()
    engine.dispose()
    assert n_rows == n_facts > 1000 and bad == 0
    assert f"{n_rows} NOTE_NLP rows" in out


def test_postgres_store_full_text_search(pg_url, cohort_notes, cohort_store):
    rows = omop_rows(cohort_notes)
    _load_note_table(pg_url, rows)
    _run(["index", "--db", pg_url, "--store", pg_url])
    pg = FactStore.open(pg_url)
    by_id = {str(r["note_id"]): r["note_text"] for r in rows}
    hits = pg.search("p16")
    assert hits and all("p16" in by_id[n].lower() for _, n in hits)
    assert len(hits) == len(FactStore.open(cohort_store).search("p16"))
    assert pg.search("p16", patient_id="1") == [(p, n) for p, n in hits if p == "1"]
