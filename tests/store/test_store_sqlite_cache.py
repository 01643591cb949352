"""The SQLite page cache: large for the writer (index), small for readers (screen), so screening memory does not
grow with the store."""
from __future__ import annotations

from sqlalchemy import text

from pipeline.store.db import READER_CACHE_KIB, WRITER_CACHE_KIB, FactStore


def _cache(store: FactStore) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("PRAGMA cache_size")).scalar_one()


def test_the_writer_gets_the_large_cache_and_a_reader_the_small_one(tmp_path):
    path = tmp_path / "s.db"
    assert _cache(FactStore.open(path, create=True)) == -WRITER_CACHE_KIB
    assert _cache(FactStore.open(path)) == -READER_CACHE_KIB
