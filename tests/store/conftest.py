"""Fixtures of the store tests: the development cohort as notes, a fact store indexed from it once per session,
the bytes `match --out` writes for it, and a fresh PostgreSQL database (``make services`` starts the server)."""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from store_builders import AS_OF, COHORT, PG_ADMIN_URL, SEED


@pytest.fixture(scope="session")
def cohort_notes():
    from pipeline.io.notes import read_notes

    notes, problems = read_notes(COHORT)
    assert not problems
    return notes


@pytest.fixture(scope="session")
def cohort_store(tmp_path_factory) -> Path:
    """The development cohort indexed once (one process); copy it before changing it."""
    from pipeline.io.omop import iter_file_notes
    from pipeline.store.db import FactStore
    from pipeline.store.index import PoolExtractor, index_notes

    path = tmp_path_factory.mktemp("store") / "cohort.db"
    with PoolExtractor(1) as ex:
        store = FactStore.open(path, create=True)
        index_notes(iter_file_notes(COHORT), store, ex)
        store.close()
    return path


@pytest.fixture
def store_copy(cohort_store, tmp_path) -> Path:
    dst = tmp_path / "copy.db"
    shutil.copy(cohort_store, dst)
    return dst


@pytest.fixture(scope="session")
def match_reference(tmp_path_factory) -> bytes:
    """`trialsieve match --out` on the cohort, the bytes the store path must reproduce."""
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path_factory.mktemp("match") / "matches.jsonl"
    res = CliRunner().invoke(main, ["match", str(SEED), str(COHORT), "--as-of", AS_OF, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_bytes()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A fresh, empty PostgreSQL database for this test session (dropped at the end)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ts_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as err:  # noqa: BLE001
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({type(err).__name__}); run `make services`")
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()
