"""Spark local mode gives the facts the local process pool gives, note for note, byte for byte."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.io.omop import iter_file_notes
from pipeline.store.db import FactStore
from pipeline.store.index import PoolExtractor, index_notes

from store_builders import omop_rows, write_omop_parquet

FACTS = ("SELECT n.patient_id, n.note_id, n.date, n.text, n.hash, f.seq, f.concept, f.fact "
         "FROM ts_facts f JOIN ts_notes n ON n.nid = f.nid ORDER BY n.patient_id, n.note_id, f.seq")


@pytest.fixture(scope="module")
def omop_parquet(tmp_path_factory, cohort_notes):
    return write_omop_parquet(omop_rows(cohort_notes), tmp_path_factory.mktemp("spark") / "NOTE.parquet")


def test_spark_and_pool_give_identical_facts(omop_parquet, tmp_path):
    pool_store = tmp_path / "pool.db"
    with PoolExtractor(2) as ex:
        store = FactStore.open(pool_store, create=True)
        index_notes(iter_file_notes(omop_parquet), store, ex)
    res = CliRunner().invoke(main, ["index", str(omop_parquet), "--store", str(tmp_path / "spark.db"),
                                    "--engine", "spark", "--master", "local[2]", "--partitions", "3"])
    assert res.exit_code == 0, res.output
    assert "93 notes indexed" in res.output and "store: 37 patients, 93 notes" in res.output
    pool_rows = sqlite3.connect(pool_store).execute(FACTS).fetchall()
    spark_rows = sqlite3.connect(tmp_path / "spark.db").execute(FACTS).fetchall()
    assert len(pool_rows) > 1000
    assert spark_rows == pool_rows


def test_spark_reports_bad_rows_and_indexes_the_rest(tmp_path, cohort_notes):
    rows = omop_rows(cohort_notes[:4])
    rows[1] = {**rows[1], "note_text": "   "}
    path = write_omop_parquet(rows, tmp_path / "bad.parquet")
    res = CliRunner().invoke(main, ["index", str(path), "--store", str(tmp_path / "s.db"), "--engine", "spark",
                                    "--partitions", "2"])
    assert res.exit_code == 0, res.output
    assert "3 notes indexed" in res.output and "skipped 1 note records (1 x E006)" in res.output
    assert f"(note {rows[1]['note_id']})" in res.output
