"""A run killed with SIGKILL at several points and started again with the same command ends with exactly what an
uninterrupted run gives: no note, fact or result lost or duplicated, no half-written output."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store_builders import AS_OF, COHORT, SEED

COPIES = 5
FACTS = ("SELECT n.patient_id, n.note_id, n.date, n.text, n.hash, n.n_facts, f.seq, f.concept, f.fact "
         "FROM ts_notes n LEFT JOIN ts_facts f ON n.nid = f.nid ORDER BY n.patient_id, n.note_id, f.seq")


@pytest.fixture(scope="module")
def big_notes(tmp_path_factory) -> Path:
    """The cohort five times over, as different patients (P01 -> P01c0 ... P01c4): 465 notes, 185 patients."""
    rows = [json.loads(x) for x in COHORT.read_text(encoding="utf-8").splitlines() if x.strip()]
    path = tmp_path_factory.mktemp("kill") / "notes.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for c in range(COPIES):
            for r in rows:
                fh.write(json.dumps({**r, "patient_id": f"{r['patient_id']}c{c}", "note_id": f"{r['note_id']}c{c}"}) + "\n")
    return path


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


def _run_to_end(args: list[str]) -> None:
    res = subprocess.run(_cmd(*args), capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]


def _kill_when(args: list[str], ready, timeout: float = 300) -> bool:
    """Start the command; SIGKILL its whole process group as soon as ``ready()``. False if it ended first."""
    proc = subprocess.Popen(_cmd(*args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            if ready():
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            time.sleep(0.005)
        raise AssertionError("the command neither reached the kill point nor ended")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _notes_in(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=0.05)
        try:
            return con.execute("SELECT count(*) FROM ts_notes").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _lines_in(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n") - 1
    except OSError:
        return 0


def test_index_killed_three_times_equals_uninterrupted(big_notes, tmp_path):
    reference = tmp_path / "reference.db"
    _run_to_end(["index", str(big_notes), "--store", str(reference), "-j", "2"])
    store = tmp_path / "killed.db"
    args = ["index", str(big_notes), "--store", str(store), "-j", "2"]
    start = time.monotonic()
    assert _kill_when(args, lambda: time.monotonic() - start > 1.0)  # while starting up
    assert _kill_when(args, lambda: _notes_in(store) >= 40)           # after a few batches
    killed_at = _notes_in(store)
    assert _kill_when(args, lambda: _notes_in(store) >= killed_at + 150)  # mid-run, resumed from there
    assert 0 < _notes_in(store) < 465
    _run_to_end(args)
    rows = sqlite3.connect(store).execute(FACTS).fetchall()
    assert len({(r[0], r[1]) for r in rows}) == 465
    assert rows == sqlite3.connect(reference).execute(FACTS).fetchall()


def test_screen_killed_twice_equals_uninterrupted(big_notes, tmp_path):
    store = tmp_path / "s.db"
    _run_to_end(["index", str(big_notes), "--store", str(store), "-j", "2"])
    _run_to_end(["screen", str(SEED), "--store", str(store), "--out", str(tmp_path / "ref"), "--as-of", AS_OF, "-j", "2"])
    out = tmp_path / "out"
    partial = out / ".NCT06935188.partial.jsonl"
    args = ["screen", str(SEED), "--store", str(store), "--out", str(out), "--as-of", AS_OF]
    assert _kill_when(args, lambda: _lines_in(partial) >= 20)
    first = _lines_in(partial)
    assert _kill_when(args, lambda: _lines_in(partial) >= first + 60)
    assert not (out / "NCT06935188.jsonl").exists()
    _run_to_end(args)
    expected = (tmp_path / "ref" / "NCT06935188.jsonl").read_bytes()
    assert expected.count(b"\n") == 185
    assert (out / "NCT06935188.jsonl").read_bytes() == expected
    assert sorted(p.name for p in out.iterdir()) == ["NCT06935188.jsonl"]
