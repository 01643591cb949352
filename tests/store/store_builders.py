"""Shared builders of the store tests: paths, the cohort as OMOP NOTE rows, OMOP CSV/Parquet writers."""
from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COHORT = ROOT / "corpora" / "cohort" / "notes.jsonl"
SEED = ROOT / "corpora" / "listings" / "NCT06935188.txt"
AS_OF = "2025-09-01"
PG_ADMIN_URL = os.environ.get("TRIALSIEVE_TEST_PG_URL", "postgresql+psycopg://trialsieve:trialsieve@127.0.0.1:5432/trialsieve")
OMOP_FIELDS = ("note_id", "person_id", "note_date", "note_datetime", "note_type_concept_id", "note_title", "note_text")


def omop_rows(notes) -> list[dict]:
    """The cohort as OMOP NOTE rows: integer person and note ids (P07 -> 7, notes numbered from 1001)."""
    return [{"note_id": 1001 + i, "person_id": int(n.patient_id.lstrip("P")), "note_date": n.date,
             "note_datetime": None, "note_type_concept_id": 44814645, "note_title": n.note_type, "note_text": n.text}
            for i, n in enumerate(notes)]


def write_omop_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=OMOP_FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({**r, "note_date": r["note_date"].isoformat(), "note_datetime": ""})
    return path


def write_omop_parquet(rows: list[dict], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=16)
    return path
