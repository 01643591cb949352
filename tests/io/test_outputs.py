"""Output files appear only when complete; an output equal to an input is refused."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.io.outputs import ResultSpool, atomic_output, check_outputs, remove_stale


def test_atomic_output_appears_only_when_complete(tmp_path):
    path = tmp_path / "sub" / "out.jsonl"
    with atomic_output(path) as fh:
        fh.write("one\n")
        assert not path.exists()
    assert path.read_text(encoding="utf-8") == "one\n"


def test_atomic_output_interrupted_leaves_the_old_file_and_no_partial(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(path) as fh:
            fh.write("half")
            raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_check_outputs_refuses_an_input_path_however_written(tmp_path, monkeypatch):
    notes = tmp_path / "notes.jsonl"
    notes.write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="E016"):
        check_outputs(["./sub/../notes.jsonl"], [str(notes)])
    with pytest.raises(InputError, match="E016"):
        check_outputs(["a.html", "a.html"], [str(notes)])
    check_outputs(["out.jsonl", None], [str(notes), None])


def test_remove_stale_deletes_previous_outputs(tmp_path):
    old = tmp_path / "m.jsonl"
    old.write_text("previous run\n", encoding="utf-8")
    remove_stale([old, None, tmp_path / "missing.html"])
    assert not old.exists()


def test_result_spool_gives_back_whole_results_and_keeps_slim_ones():
    from review_records import build

    _, results, _, _ = build()
    spool = ResultSpool()
    for r in results:
        spool.add(r)
    assert all(not v.evidence and not v.text for s in spool.slim for v in s.criteria)
    assert [spool.full(s) for s in spool.slim] == results
    spool.close()
